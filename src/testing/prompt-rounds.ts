/**
 * @module Test support: the `teldoc>` prompt's round trips on a real terminal. Each round
 * presses `^]`, waits for the prompt, types a command (or a key), waits for its answer, and
 * then proves the session has the keyboard again: `echo marker-N` typed next must be answered
 * by the server. Shared by the lab and the real-telnetd tests.
 */
import type { Pane } from "./tmux.js";

export interface PromptRound {
  /** What is typed at the prompt (then Enter), or a tmux key name such as `C-c`. */
  readonly type?: string;
  readonly key?: string;
  /** What the screen shows once the command has run (unique to this round). */
  readonly shows?: RegExp;
  /** The prompt stays open after it (help, a mistake): an empty line goes back. */
  readonly staysOpen?: boolean;
}

/** Every prompt command but close, and the ways back (empty line, Ctrl-C). */
export const PROMPT_ROUNDS: readonly PromptRound[] = [
  { type: "" },
  { type: "status", shows: /^Connected to \S+ port \d+; \d+ bytes in, \d+ out$/m },
  { type: "send ayt", shows: /^sent IAC AYT$/m },
  { type: "send nop", shows: /^sent IAC NOP$/m },
  { type: "toggle trace", shows: /^trace on: events are printed as they happen$/m },
  { type: "toggle trace", shows: /^trace off$/m },
  { type: "keepalive 5s", shows: /^keepalive every 5\.0 s$/m },
  { type: "keepalive off", shows: /^keepalive off$/m },
  { type: "help", shows: /this list \(the prompt stays open\)[\s\S]*\nteldoc>$/, staysOpen: true },
  {
    type: "frobnicate",
    shows: /unknown command "frobnicate"; type help\nteldoc>$/,
    staysOpen: true,
  },
  { key: "C-c", shows: /^teldoc> \^C$/m },
];

/**
 * Run the rounds on a pane whose session sits at a shell prompt on the server; round i's
 * marker is `marker-(first+i)`, and the server's answer is that text on a line of its own.
 */
export async function runPromptRounds(
  pane: Pane,
  rounds: readonly PromptRound[],
  first = 1,
): Promise<void> {
  let n = first;
  for (const r of rounds) {
    await pane.key("C-]");
    await pane.waitFor(/\nteldoc>$/);
    if (r.key !== undefined) await pane.key(r.key);
    else await pane.type(r.type ?? "");
    if (r.shows) await pane.waitFor(r.shows);
    if (r.staysOpen) await pane.type("");
    await pane.type(`echo marker-${n}`);
    // The answer and the shell prompt after it: a ^] pressed before the prompt came would open
    // ours while the server is still writing (its text then lands on our prompt's line).
    await pane.waitFor(new RegExp(`(?:^|\\n)marker-${n}\\n[\\s\\S]*[$#>%] ?$`));
    n++;
  }
}
