/**
 * @module Events printed as they happen, one line each as `trace show` renders them, on
 * stderr: `toggle trace` at the `teldoc>` prompt and `connect -v`. Lines end in CR LF on a
 * terminal (it may be in raw mode), LF elsewhere.
 */
import type { ClientSession } from "../session/client.js";
import { showTrace } from "../trace/show.js";

export interface LiveOptions {
  /** Print the data too (the text is on the screen already; `-v` leaves it out). */
  readonly data?: boolean;
  /** Where the lines go (default: stderr). */
  readonly out?: NodeJS.WritableStream & { isTTY?: boolean };
}

/**
 * Print the session's events from now on; returns the function that stops it.
 * @example const stop = liveEvents(session); ...; stop();
 */
export function liveEvents(session: ClientSession, options: LiveOptions = {}): () => void {
  const out = options.out ?? process.stderr;
  const eol = out.isTTY ? "\r\n" : "\n";
  return session.recorder.subscribe((e) => {
    if (e.type === "data" && !options.data) return;
    for (const line of showTrace([e], undefined, { raw: false }))
      out.write(`[trace] ${line}${eol}`);
  });
}
