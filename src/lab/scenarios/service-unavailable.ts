/** @module service-unavailable: accepted but not served — busy, a real connection limit, maintenance, shutdown. */
import { loginDialogue } from "../fake-login.js";
import { fakeShell } from "../shell.js";
import type { Scenario } from "../types.js";

const MESSAGES: Readonly<Record<string, string>> = {
  busy: "Server is busy, please try again later.\n",
  maintenance: "System is down for maintenance. Please try again later.\n",
  shutdown: "\nBroadcast message from root@lab:\n\nThe system is going down for poweroff NOW!\n",
};

export const serviceUnavailable: Scenario = {
  name: "service-unavailable",
  cause: "service-unavailable",
  summary:
    "accepts, then refuses to serve: busy (default), a real connection limit, maintenance or shutdown",
  variants: {
    busy: "say the server is busy, close",
    limit:
      "serve --limit sessions at once (login + shell); refuse the next with 'Too many connections'",
    maintenance: "say the system is down for maintenance, close",
    shutdown: "log in, then the system goes down: broadcast message, close",
  },
  handle(s, cfg, ctx) {
    const variant = cfg.variant ?? "busy";
    if (variant === "limit") {
      if (ctx.active > cfg.limit) {
        ctx.log(`refused: ${ctx.active - 1} sessions open, limit ${cfg.limit}`);
        s.close(cfg.message ?? `Too many connections (limit ${cfg.limit}); try again later.\n`);
        return;
      }
      void loginDialogue(s, cfg).then((r) => r === "ok" && fakeShell(s, cfg));
      return;
    }
    if (variant === "shutdown") {
      void loginDialogue(s, cfg, { acceptAny: true }).then((r) => {
        if (r !== "ok") return;
        fakeShell(s, cfg);
        s.clock.after(cfg.afterMs, () => s.close(cfg.message ?? MESSAGES.shutdown));
      });
      return;
    }
    ctx.log(`refused: ${variant}`);
    s.close(cfg.message ?? MESSAGES[variant] ?? MESSAGES.busy);
  },
};
