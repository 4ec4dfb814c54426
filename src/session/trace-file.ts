/** @module The library's `trace: "FILE"`: JSON Lines with raw bytes, as `connect --trace` writes. */
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { TeldocError } from "../errors.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import { encodeEvent } from "../trace/jsonl.js";

/** Where the events go: a file, a function, or nowhere (undefined). */
export interface TraceSink {
  write(event: TraceEvent | EndEvent): void;
  end(): void;
}

/**
 * The sink for the `trace` option. `throttle` gets each write's result, so the session can
 * stop reading while the file falls behind (ClientSession.throttle).
 */
export function traceSink(
  trace: string | ((event: TraceEvent | EndEvent) => void) | undefined,
  throttle?: (stream: Writable, written: boolean) => void,
): TraceSink | undefined {
  if (typeof trace === "function") return { write: trace, end: () => {} };
  if (typeof trace !== "string") return undefined;
  const file = openTrace(trace);
  return {
    write: (e) => {
      const written = file.write(encodeEvent(e));
      throttle?.(file, written);
    },
    end: () => file.end(),
  };
}

/**
 * Open a file for writing now (a bad path throws the fs error at once, not later in the
 * session); errors after that go to `onLaterError` instead of crashing the program.
 */
export function openForWriting(path: string, onLaterError: (err: Error) => void): WriteStream {
  const file = createWriteStream("", { fd: openSync(path, "w") });
  file.on("error", onLaterError);
  return file;
}

/** Open the trace file now, so that a bad path fails connect() instead of the process later. */
export function openTrace(path: string): WriteStream {
  try {
    // A disk that fills up later must not crash the program: the trace stops, the session goes on.
    return openForWriting(path, () => {});
  } catch (err) {
    throw new TeldocError(
      "TELDOC_ERR_INVALID_ARGUMENT",
      `trace = ${JSON.stringify(path)}: cannot write it (${(err as Error).message})`,
    );
  }
}
