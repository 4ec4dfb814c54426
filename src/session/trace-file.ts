/** @module The library's `trace: "FILE"`: JSON Lines with raw bytes, as `connect --trace` writes. */
import { createWriteStream, fchmodSync, fstatSync, openSync, type WriteStream } from "node:fs";
import type { Writable } from "node:stream";
import { TeldocError } from "../errors.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import { encodeEvent } from "../trace/jsonl.js";
import { formatMs } from "../util/duration.js";

/** Where the events go: a file, a function, or nowhere (undefined). */
export interface TraceSink {
  write(event: TraceEvent | EndEvent): void;
  end(): void;
}

/**
 * The sink for the `trace` option. `throttle` gets each write's result, so the session can
 * stop reading while the file falls behind (ClientSession.throttle). A write that fails later
 * (disk full, a pipe closed) goes to `onError` once; the recording stops, the session goes on.
 */
export function traceSink(
  trace: string | ((event: TraceEvent | EndEvent) => void) | undefined,
  throttle?: (stream: Writable, written: boolean) => void,
  onError: (err: TeldocError) => void = () => {},
): TraceSink | undefined {
  if (typeof trace === "function") return { write: trace, end: () => {} };
  if (typeof trace !== "string") return undefined;
  const file = openTrace(trace, onError);
  return {
    write: (e) => {
      if (file.destroyed) return;
      const written = file.write(encodeEvent(e));
      throttle?.(file, written);
    },
    end: () => file.end(),
  };
}

/** Traces and captures hold what the session carried (user names, commands, output). */
const OUTPUT_FILE_MODE = 0o600;

/**
 * Open a file for writing now (a bad path throws the fs error at once, not later in the
 * session); errors after that go to `onLaterError` instead of crashing the program. A new file
 * is created mode 0600; an existing regular file of ours open to others is narrowed to 0600
 * before anything is written (never widened). Devices, FIFOs (`/dev/stdout`) and other users'
 * files keep their mode.
 */
export function openForWriting(path: string, onLaterError: (err: Error) => void): WriteStream {
  const fd = openSync(path, "w", OUTPUT_FILE_MODE);
  narrowMode(fd);
  const file = createWriteStream("", { fd });
  file.on("error", onLaterError);
  return file;
}

/**
 * The error for a recording that could not be written mid-session: what (trace, pcap), where,
 * and the system's words; `cause` is the fs error.
 * @example recordingFailed("trace", "t.jsonl", err).message // "cannot write the trace to t.jsonl (ENOSPC: no space left on device, write): ..."
 */
export function recordingFailed(
  what: string,
  path: string,
  err: Error,
  atMs?: number,
): TeldocError {
  const when = atMs === undefined ? "" : ` at ${formatMs(atMs)}`;
  return new TeldocError(
    "TELDOC_ERR_TRACE_WRITE",
    `cannot write the ${what} to ${path}${when} (${err.message}): the ${what} stops there, the session goes on`,
    { cause: err },
  );
}

function narrowMode(fd: number): void {
  const st = fstatSync(fd);
  if (!st.isFile() || (st.mode & 0o077) === 0 || st.uid !== process.getuid?.()) return;
  try {
    fchmodSync(fd, OUTPUT_FILE_MODE);
  } catch {
    // A file system without modes (vfat, some network mounts): nothing to narrow.
  }
}

/** Open the trace file now, so that a bad path fails connect() instead of the process later. */
function openTrace(path: string, onError: (err: TeldocError) => void = () => {}): WriteStream {
  try {
    // A disk that fills up later must not crash the program: the trace stops, the session goes on.
    return openForWriting(path, (err) => onError(recordingFailed("trace", path, err)));
  } catch (err) {
    throw new TeldocError(
      "TELDOC_ERR_INVALID_ARGUMENT",
      `trace = ${JSON.stringify(path)}: cannot write it (${(err as Error).message})`,
    );
  }
}
