/**
 * @module What `^]` gives: the `teldoc>` prompt's commands, one line each, as data. The prompt's
 * `help` prints this table. No imports: the
 * help is built before any command's engine is loaded.
 */

/** The escape character: Ctrl-] (0x1d), as in the classic client. */
export const ESCAPE_BYTE = 0x1d;
export const ESCAPE_NAME = "^]";

/** Each command of the `teldoc>` prompt and what it does. */
export const PROMPT_COMMANDS: readonly (readonly [usage: string, what: string])[] = [
  ["close", "end the session, then the diagnosis (quit and Ctrl-D too)"],
  ["status", "where we are connected, options in effect, bytes, idle time"],
  ["send CMD", "a Telnet command: ayt, nop, brk, ip, ao, ec, el, ga"],
  ["keepalive DUR|off", "TCP keepalive and IAC NOP every DUR, or stop them"],
  ["toggle trace", "print events as they happen (negotiation, timers), or stop"],
  ["help", "this list (the prompt stays open)"],
  ["(empty line)", "back to the session (so is Ctrl-C)"],
];

/** How the prompt behaves, under the table. */
const AFTER = "A command returns to the session; help and a mistyped one keep the prompt open.";

function table(indent: string): string {
  const width = Math.max(...PROMPT_COMMANDS.map(([usage]) => usage.length)) + 2;
  return PROMPT_COMMANDS.map(([usage, what]) => `${indent}${usage.padEnd(width)}${what}`).join(
    "\n",
  );
}

/** The `help` text at the `teldoc>` prompt. */
export function promptHelp(): string {
  return `Commands at the teldoc> prompt:\n${table("  ")}\n${AFTER}`;
}
