/** @module idle-timeout: log in, then the shell logs out after --idle-timeout without input. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

export const idleTimeout: Scenario = {
  name: "idle-timeout",
  cause: "idle-timeout",
  summary: "any login works; after --idle-timeout (default 5 min) without input the shell logs out",
  variants: {
    message: "print bash's 'timed out waiting for input: auto-logout' (default)",
    silent: "close without a word",
  },
  handle(s, cfg, ctx) {
    const message =
      cfg.variant === "silent"
        ? ""
        : (cfg.message ?? "\ntimed out waiting for input: auto-logout\n");
    void loginDialogue(s, cfg, { acceptAny: true }).then((r) => {
      ctx.log(`login ${r}`);
      if (r === "ok") fakeShell(s, cfg, { idleMs: cfg.idleTimeoutMs, idleMessage: message });
    });
  },
};
