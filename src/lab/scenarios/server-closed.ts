/** @module server-closed: log in, then the server closes in order, for no stated reason. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

export const serverClosed: Scenario = {
  name: "server-closed",
  cause: "server-closed",
  summary:
    "any login works; --after (default 1 s) into the shell the server closes (FIN) without a word",
  handle(s, cfg, ctx) {
    void loginDialogue(s, cfg, { acceptAny: true }).then((r) => {
      if (r !== "ok") return;
      fakeShell(s, cfg);
      s.clock.after(cfg.afterMs, () => {
        ctx.log("closed (FIN)");
        s.close();
      });
    });
  },
};
