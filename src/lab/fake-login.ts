/**
 * @module The lab's login dialogue, as util-linux login prints it: `login: `, `Password: ` with
 * echo off, `Login incorrect`, and `Login timed out after N seconds.` when nothing comes in time.
 */
import type { ServerSession } from "../session/server-session.js";
import type { LabConfig } from "./types.js";

export type LoginResult = "ok" | "failed" | "timeout" | "closed";

/** Ask for credentials until they are right, tries run out, or the login timer (on the session's clock) fires. */
export function loginDialogue(
  s: ServerSession,
  cfg: LabConfig,
  opts: { acceptAny?: boolean } = {},
): Promise<LoginResult> {
  return new Promise((resolve) => {
    let tries = 0;
    let stage: "user" | "password" = "user";
    let user = "";
    const finish = (r: LoginResult) => {
      timer.cancel();
      s.removeListener("line", onLine);
      s.removeListener("close", onClose);
      resolve(r);
    };
    const timer = s.clock.after(cfg.loginTimeoutMs, () => {
      s.close(`\nLogin timed out after ${Math.round(cfg.loginTimeoutMs / 1000)} seconds.\n`);
      finish("timeout");
    });
    const onClose = () => finish("closed");
    const onLine = (line: string) => {
      if (stage === "user") {
        user = line.trim();
        if (user === "") {
          s.write(`${cfg.hostname} login: `);
          return;
        }
        stage = "password";
        s.setEcho(false);
        s.write("Password: ");
        return;
      }
      s.setEcho(true);
      s.write("\n");
      if (opts.acceptAny || (user === cfg.user && line === cfg.password)) {
        finish("ok");
        return;
      }
      tries++;
      if (tries >= cfg.tries) {
        s.close("Login incorrect\n");
        finish("failed");
        return;
      }
      s.write(`Login incorrect\n${cfg.hostname} login: `);
      stage = "user";
    };
    s.on("line", onLine);
    s.once("close", onClose);
    s.write(`${cfg.banner}\n\n${cfg.hostname} login: `);
  });
}
