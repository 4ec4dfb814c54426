/** @module auth-failed: a login prompt that rejects every try, then closes. */
import { loginDialogue } from "../fake-login.js";
import type { Scenario } from "../types.js";

export const authFailed: Scenario = {
  name: "auth-failed",
  cause: "auth-failed",
  summary: "login prompt; rejects --tries attempts (default 3) with 'Login incorrect', then closes",
  handle(s, cfg, ctx) {
    // No credentials are right here: the password can never match.
    void loginDialogue(s, { ...cfg, password: "\u0000never" }).then((r) => ctx.log(`login ${r}`));
  },
};
