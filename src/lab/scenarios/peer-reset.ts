/** @module peer-reset: log in, then abort the session with a TCP RST. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

export const peerReset: Scenario = {
  name: "peer-reset",
  cause: "peer-reset",
  summary:
    "any login works; --after (default 1 s) into the shell, or at the first command, the server sends RST",
  handle(s, cfg, ctx) {
    void loginDialogue(s, cfg, { acceptAny: true }).then((r) => {
      if (r !== "ok") return;
      fakeShell(s, cfg);
      const reset = () => {
        ctx.log("reset (RST)");
        s.reset();
      };
      const timer = s.clock.after(cfg.afterMs, reset);
      s.once("line", () => {
        timer.cancel();
        setImmediate(reset);
      });
    });
  },
};
