/** @module login-timeout: a login prompt that gives up when no credentials come in time. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

export const loginTimeout: Scenario = {
  name: "login-timeout",
  cause: "login-timeout",
  summary:
    "login prompt; closes after --login-timeout (default 60 s) with 'Login timed out after N seconds.'",
  handle(s, cfg, ctx) {
    void loginDialogue(s, cfg).then((r) => {
      ctx.log(`login ${r}`);
      if (r === "ok") fakeShell(s, cfg);
    });
  },
};
