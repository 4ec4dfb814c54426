/**
 * @module What `^]` gives: the `teldoc>` prompt's commands, one line each, as data. The prompt's
 * `help` and `connect --help` both print this table, so they cannot disagree. No imports: the
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

/** The part of `connect --help` about the terminal, the escape and -q/-v. */
export function connectHelpText(): string {
  return `
On a terminal: raw mode when the server echoes, line mode otherwise. ${ESCAPE_NAME} (Ctrl-]) opens
the teldoc> prompt:
${table("  ")}
${AFTER}

Output: the server's text on stdout; the end (the classic line, then the diagnosis) on stderr.
When stderr is a terminal (and without --json), also "Trying ADDRESS..." with the time waited
while a connect takes long, "Connected to HOST." and "Escape character is '^]'.".
  -q   none of those lines, no progress; the end in one line: the classic line when the
       session ended as asked, else the cause and its summary
  -v   also each event on stderr as it happens (negotiation, timers, the close), then all the
       evidence and the other possible causes`;
}
