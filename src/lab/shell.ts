/**
 * @module The lab's fake shell: a prompt and a few harmless built-ins. It never runs a real
 * command. An idle timer, when set, logs the user out like bash's TMOUT.
 */
import type { Timer } from "../session/clock.js";
import type { ServerSession } from "../session/server-session.js";
import type { LabConfig } from "./types.js";

const HELP = "built-ins: help, echo TEXT, date, uptime, whoami, hostname, show version, exit";

/**
 * Run the shell until the user leaves; `idleMs` ends the session after that long without input.
 * Time comes from the session's clock.
 */
export function fakeShell(
  s: ServerSession,
  cfg: LabConfig,
  opts: { idleMs?: number; idleMessage?: string } = {},
): void {
  const started = s.clock.now();
  const prompt = () => s.write(`${cfg.user}@${cfg.hostname}:~$ `);
  let idle: Timer | undefined;
  const arm = () => {
    const ms = opts.idleMs;
    if (ms === undefined) return;
    idle?.cancel();
    idle = s.clock.after(ms, () => s.close(opts.idleMessage ?? ""));
  };
  s.on("close", () => idle?.cancel());
  s.on("line", (line: string) => {
    arm();
    const [cmd, ...rest] = line.trim().split(/\s+/);
    switch (cmd) {
      case "":
        break;
      case "exit":
      case "logout":
      case "quit":
        s.close("logout\n");
        return;
      case "help":
        s.write(`${HELP}\n`);
        break;
      case "echo":
        s.write(`${rest.join(" ")}\n`);
        break;
      case "date":
        // The date, as a person reads it: wall-clock time, not the session's clock.
        s.write(`${new Date().toUTCString()}\n`);
        break;
      case "uptime":
        s.write(`up ${Math.round((s.clock.now() - started) / 1000)} seconds, 1 user\n`);
        break;
      case "whoami":
        s.write(`${cfg.user}\n`);
        break;
      case "hostname":
        s.write(`${cfg.hostname}\n`);
        break;
      case "show":
        s.write(
          rest[0] === "version"
            ? "teldoc lab fake shell 1.0\n"
            : `% Invalid input: show ${rest.join(" ")}\n`,
        );
        break;
      default:
        s.write(`-sh: ${cmd}: command not found (this is the teldoc lab's fake shell; try help)\n`);
    }
    prompt();
  });
  arm();
  if (cfg.motd !== "") s.write(`${cfg.motd}\n\n`);
  prompt();
}
