/** @module The server's closing words: the text right before the close, in the stage it came, and the corpus entries found there. */
import type { Cause } from "../trace/events.js";
import { findMessages, type MessageMatch } from "./match.js";
import { SERVER_MESSAGES, type ServerMessage, stagesOf } from "./messages.js";
import type { SessionSummary, Stage } from "./types.js";

/**
 * Text explains a close only when the close follows it within this. Servers write their last
 * words and close at once; the slowest known are tcp wrappers, which sleep 5 s after a banner
 * (libwrap's clean_exit()), and util-linux login, which waits about 5 s after its last
 * "Login incorrect". A MOTD, a legal banner or command output minutes before is not a reason.
 * A row with its own pause says so (`leadMs`: ksh warns, then exits 60 s later).
 */
export const CLOSING_WORDS_MS = 10_000;

/**
 * Where the session stood when its last words came (they come after the last input, so the
 * session's end state is theirs).
 * @example stageOf(summarize(trace().resolve().connect().in("Busy\r\n").fin().events)) // "before-login"
 */
export function stageOf(s: SessionSummary): Stage {
  if (s.loginSucceededAt !== undefined || s.lastCommand !== undefined) return "session";
  if (s.usernameSentAt !== undefined || s.passwordSentAt !== undefined) return "after-credentials";
  return "before-login";
}

/**
 * The server's last words: its text after the last prompt and the last input, from lines
 * that came at most `leadMs` before the end ("" when there are none).
 * @example closingText(summarize(trace().resolve().connect().in("Busy.\r\n").fin().events)) // "Busy.\n"
 */
export function closingText(s: SessionSummary, leadMs = CLOSING_WORDS_MS): string {
  // Words after the end (none in a real trace) cannot explain it.
  const lines = s.closingLines.filter((l) => l.t <= s.endAt);
  let from = lines.length;
  while (from > 0 && s.endAt - lines[from - 1].t <= leadMs) from--;
  return lines
    .slice(from)
    .map((l) => l.text)
    .join("");
}

/** The corpus entries that can explain a close in this stage, grouped by how long before it they may come. */
function byLead(
  stage: Stage,
  causes: readonly Cause[],
  corpus: readonly ServerMessage[],
): Map<number, ServerMessage[]> {
  const groups = new Map<number, ServerMessage[]>();
  for (const m of corpus) {
    if (!causes.includes(m.cause) || !stagesOf(m).includes(stage)) continue;
    const lead = m.leadMs ?? CLOSING_WORDS_MS;
    groups.set(lead, [...(groups.get(lead) ?? []), m]);
  }
  return new Map([...groups].sort((a, b) => a[0] - b[0]));
}

/**
 * The known message of the given causes that explains the close: among the server's last
 * words, in a stage where that wording makes sense, and soon enough before the end. The
 * nearest to the close wins.
 * @example findClosingMessage(summarize(loginTimedOutTrace), ["login-timeout"])?.message.id // "login-timed-out-after"
 */
export function findClosingMessage(
  s: SessionSummary,
  causes: readonly Cause[],
  corpus: readonly ServerMessage[] = SERVER_MESSAGES,
): MessageMatch | undefined {
  for (const [lead, rows] of byLead(stageOf(s), causes, corpus)) {
    const text = closingText(s, lead);
    if (text === "") continue;
    const found = findMessages(text, undefined, rows)[0];
    if (found) return found;
  }
  return undefined;
}
