/**
 * @module Piped stdin for `teldoc connect` (`printf 'user\npass\nls\nexit\n' | teldoc connect h`).
 * Input sent ahead of the server's prompts would reach its password prompt early: recorded in
 * clear (the mask starts at the prompt, session/secret-line.ts), and thrown away by login
 * programs that flush type-ahead when they turn echo off. So during the login dialogue each
 * line waits for the server's next prompt. From the first shell prompt on, or when the server
 * says nothing at all for a second (no login dialogue: HTTP, SMTP...), the rest goes as it comes.
 */
import { cleanText, endsWithShellPrompt, promptAtEnd } from "../diagnosis/index.js";
import type { ClientSession } from "../session/client.js";
import { lineEndAfter } from "../session/secret-line.js";

/** Without a prompt, the server's turn is over after this much quiet. */
export const PIPED_QUIET_MS = 1000;

/**
 * Feed `input` to the session, paced by the login prompts; `done` runs once all of it was sent
 * after the input ended.
 * @example feedPipedInput(session, process.stdin, () => session.close("stdin-eof"));
 */
export function feedPipedInput(
  session: ClientSession,
  input: NodeJS.ReadableStream,
  done: () => void,
): void {
  let pending: Buffer = Buffer.alloc(0);
  let pacing = true;
  let inputEnded = false;
  let finished = false;
  /** When our last line went out (session ms); the server's turn starts there. */
  let sentAt = Number.NEGATIVE_INFINITY;
  /** When the server last sent data (not just negotiation); its banner may be here already. */
  let heardAt = session.serverLine !== "" ? session.lastInAt : Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;

  const sendLine = (end: number) => {
    session.send(pending.subarray(0, end));
    pending = pending.subarray(end);
    sentAt = session.recorder.elapsed();
  };
  /** The server has not said anything for PIPED_QUIET_MS: it will not prompt. */
  const quiet = () => {
    timer = undefined;
    if (heardAt > sentAt) {
      // It said something that is no prompt we know ("Press RETURN"): answer with one line.
      const end = lineEndAfter(pending);
      sendLine(end === -1 ? pending.length : end);
    } else pacing = false;
    pump();
  };
  const pump = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    while (pending.length > 0 && session.connected) {
      const heard = heardAt > sentAt;
      const line = cleanText(session.serverLine);
      if (pacing && heard && endsWithShellPrompt(line)) pacing = false;
      if (!pacing) {
        session.send(pending);
        pending = Buffer.alloc(0);
        break;
      }
      const end = lineEndAfter(pending);
      if (end === -1 && !inputEnded) break;
      if (!heard || promptAtEnd(line) === undefined) {
        const since = Math.max(heardAt, sentAt, 0);
        const wait = since + PIPED_QUIET_MS - session.recorder.elapsed();
        timer = setTimeout(quiet, Math.max(0, wait)).unref();
        break;
      }
      sendLine(end === -1 ? pending.length : end);
    }
    // Lines waiting for their prompt need no more input yet: let the pipe hold the rest.
    if (pacing && lineEndAfter(pending) !== -1) input.pause();
    else input.resume();
    if (inputEnded && (pending.length === 0 || !session.connected) && !finished) {
      finished = true;
      done();
    }
  };
  session.onData(() => {
    heardAt = session.lastInAt;
    pump();
  });
  input.on("data", (chunk: Buffer) => {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    pump();
  });
  input.once("end", () => {
    inputEnded = true;
    pump();
  });
  input.resume();
}
