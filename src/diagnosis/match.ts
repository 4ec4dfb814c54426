/** @module Looking up the server-message corpus in a session's text. */
import type { Cause } from "../trace/events.js";
import { SERVER_MESSAGES, type ServerMessage } from "./messages.js";
import { lineOf } from "./text.js";

/** A corpus entry found in some text, with the line it was found on. */
export interface MessageMatch {
  readonly message: ServerMessage;
  readonly line: string;
}

/**
 * The corpus entries of the given causes found in `text`, latest line first.
 * @example findMessages("Login incorrect\nlogin: ", ["auth-failed"])[0].message.id // "login-incorrect"
 */
export function findMessages(
  text: string,
  causes?: readonly Cause[],
  corpus: readonly ServerMessage[] = SERVER_MESSAGES,
): MessageMatch[] {
  const found: { match: MessageMatch; at: number }[] = [];
  for (const message of corpus) {
    if (causes && !causes.includes(message.cause)) continue;
    const line = lineOf(text, message.pattern);
    if (line === undefined) continue;
    found.push({ match: { message, line }, at: text.lastIndexOf(line) });
  }
  return found.sort((a, b) => b.at - a.at).map((f) => f.match);
}

/** The first (latest) corpus entry of the given causes found in `text`. */
export function findMessage(text: string, causes?: readonly Cause[]): MessageMatch | undefined {
  return findMessages(text, causes)[0];
}
