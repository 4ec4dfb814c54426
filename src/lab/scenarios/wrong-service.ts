/** @module wrong-service: another protocol on the port — an SSH banner (default) or an HTTP server. */
import type { Scenario } from "../types.js";

/** The HTTP variant answers after a request line, or after this long without one. */
const HTTP_ANSWER_MS = 2000;
/** The SSH variant drops a client that says nothing this long, or this soon after it says anything. */
const SSH_DROP_MS = 10_000;
const SSH_DROP_AFTER_DATA_MS = 100;

export const wrongService: Scenario = {
  name: "wrong-service",
  cause: "wrong-service",
  summary: "speaks another protocol: an SSH server's banner (default) or an HTTP server",
  variants: {
    ssh: "send an OpenSSH banner, then drop the client that answers no SSH",
    http: "answer like a web server",
  },
  telnet: false,
  handle(s, cfg, ctx) {
    const raw = s.socket;
    if (cfg.variant === "http") {
      let seen = "";
      const answer = () => {
        ctx.log("answered as HTTP");
        raw.end(
          "HTTP/1.1 400 Bad Request\r\nServer: nginx\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
      };
      const timer = s.clock.after(HTTP_ANSWER_MS, answer);
      raw.on("data", (d: Buffer) => {
        seen += d.toString("latin1");
        if (seen.includes("\n")) {
          timer.cancel();
          answer();
        }
      });
      raw.on("close", () => timer.cancel());
      return;
    }
    ctx.log("sent an SSH banner");
    raw.write("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    const drop = () => raw.end("Invalid SSH identification string.\r\n");
    const timer = s.clock.after(SSH_DROP_MS, drop);
    raw.once("data", () => {
      timer.cancel();
      s.clock.after(SSH_DROP_AFTER_DATA_MS, drop);
    });
    raw.on("close", () => timer.cancel());
  },
};
