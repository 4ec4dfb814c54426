/** @module wrong-service: another protocol on the port — an SSH banner (default) or an HTTP server. */
import type { Scenario } from "../types.js";

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
      const timer = setTimeout(answer, 2000);
      raw.on("data", (d: Buffer) => {
        seen += d.toString("latin1");
        if (seen.includes("\n")) {
          clearTimeout(timer);
          answer();
        }
      });
      raw.on("close", () => clearTimeout(timer));
      return;
    }
    ctx.log("sent an SSH banner");
    raw.write("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n");
    const drop = () => raw.end("Invalid SSH identification string.\r\n");
    const timer = setTimeout(drop, 10_000);
    raw.once("data", () => {
      clearTimeout(timer);
      setTimeout(drop, 100);
    });
    raw.on("close", () => clearTimeout(timer));
  },
};
