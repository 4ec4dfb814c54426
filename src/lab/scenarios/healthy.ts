/** @module healthy: banner, login prompt, a small fake shell. Ends when the user logs out. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

export const healthy: Scenario = {
  name: "healthy",
  cause: "logout",
  summary:
    "banner, login prompt (user/password from --user/--password), a fake shell; `exit` logs out",
  handle(s, cfg, ctx) {
    void loginDialogue(s, cfg).then((r) => {
      ctx.log(`login ${r}`);
      if (r === "ok") fakeShell(s, cfg);
    });
  },
};
