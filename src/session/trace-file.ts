/** @module The library's `trace: "FILE"`: JSON Lines with raw bytes, as `connect --trace` writes. */
import { createWriteStream, openSync, type WriteStream } from "node:fs";
import { TeldocError } from "../errors.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import { encodeEvent } from "../trace/jsonl.js";

/** Where the events go: a file, a function, or nowhere (undefined). */
export interface TraceSink {
  write(event: TraceEvent | EndEvent): void;
  end(): void;
}

/** The sink for the `trace` option. */
export function traceSink(
  trace: string | ((event: TraceEvent | EndEvent) => void) | undefined,
): TraceSink | undefined {
  if (typeof trace === "function") return { write: trace, end: () => {} };
  if (typeof trace !== "string") return undefined;
  const file = openTrace(trace);
  return { write: (e) => file.write(encodeEvent(e)), end: () => file.end() };
}

/** Open the trace file now, so that a bad path fails connect() instead of the process later. */
export function openTrace(path: string): WriteStream {
  let fd: number;
  try {
    fd = openSync(path, "w");
  } catch (err) {
    throw new TeldocError(
      "TELDOC_ERR_INVALID_ARGUMENT",
      `trace = ${JSON.stringify(path)}: cannot write it (${(err as Error).message})`,
    );
  }
  const file = createWriteStream("", { fd });
  // A disk that fills up later must not crash the program: the trace stops, the session goes on.
  file.on("error", () => {});
  return file;
}
