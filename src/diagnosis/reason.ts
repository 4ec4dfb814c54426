/** @module The server's stated reason for closing: a known message, else a family of wording, else its own words quoted. */
import { CLOSING_WORDS_MS, closingText, findClosingMessage, stageOf } from "./closing.js";
import type { ServerMessage } from "./messages.js";
import { hasPrintable, oneLine } from "./text.js";
import type { SessionSummary } from "./types.js";
import { findFamily, type WordingFamily } from "./wording.js";

/**
 * A login prompt left unanswered this long before the close makes the close the login
 * timer's, whatever the words that came with it ("login time limit exceeded"): a refusal
 * comes at once. Below it, loginTimeout does not see a login timer either.
 */
export const PROMPT_WAIT_MS = 5000;

/** What the server said right before it closed, and what teldoc makes of it. */
export interface StatedReason {
  /** The cause its words name; absent when they match no known message and no family. */
  readonly cause?: "acl-rejected" | "service-unavailable";
  /** The line that says it (or all of the last words, on one line, when nothing matched). */
  readonly line: string;
  /** The known message (messages.ts) it is, when it is one: high confidence. */
  readonly message?: ServerMessage;
  /** The family of wording it belongs to, when no known message matched: lower confidence. */
  readonly family?: WordingFamily;
}

/** True when the server's words came after a login prompt it had left waiting a while. */
function afterLongPromptWait(s: SessionSummary): boolean {
  return (
    s.promptPending && s.lastPromptAt !== undefined && s.endAt - s.lastPromptAt >= PROMPT_WAIT_MS
  );
}

/**
 * The server's last words before the close (CLOSING_WORDS_MS), as a reason: first the corpus
 * of real servers' messages (in the stage where each makes sense), then, before any login
 * only, the families of wording; otherwise the words themselves. Undefined when the server
 * said nothing right before the end.
 * @example statedReason(summarize(tooManyTrace))?.family?.name // "too many / limit"
 */
export function statedReason(s: SessionSummary): StatedReason | undefined {
  const known = findClosingMessage(s, ["acl-rejected", "service-unavailable"]);
  if (known) {
    const cause = known.message.cause as NonNullable<StatedReason["cause"]>;
    return { cause, line: known.line, message: known.message };
  }
  const text = closingText(s, CLOSING_WORDS_MS);
  if (!hasPrintable(text)) return undefined;
  if (stageOf(s) === "before-login" && !afterLongPromptWait(s)) {
    const f = findFamily(text);
    if (f) return { cause: f.family.cause, line: f.line, family: f.family };
  }
  return { line: oneLine(text) };
}
