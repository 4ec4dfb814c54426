/**
 * @module JSON Lines for trace events: one object per line, as `connect --json` prints and
 * `--trace FILE` records; and the reader for `trace show|diagnose`.
 */
import type { EndEvent, TraceEvent } from "./events.js";

/**
 * One event as one line (with the newline). Raw reads and writes, the bulk of a trace, are
 * written without JSON.stringify: their fields need no escaping (hex is [0-9a-f]).
 */
export function encodeEvent(event: TraceEvent | EndEvent): string {
  if ((event.type === "read" || event.type === "write") && Object.keys(event).length === 4) {
    return `{"t":${event.t},"type":"${event.type}","bytes":${event.bytes},"hex":"${event.hex}"}\n`;
  }
  return `${JSON.stringify(event)}\n`;
}

export interface DecodedTrace {
  readonly events: TraceEvent[];
  readonly end: EndEvent | undefined;
  /** Lines that were not trace events: their line numbers and why. */
  readonly problems: readonly { line: number; problem: string }[];
}

const KNOWN = new Set([
  "resolving",
  "resolved",
  "resolve-failed",
  "connecting",
  "connected",
  "connect-failed",
  "read",
  "write",
  "data",
  "option",
  "subneg",
  "command",
  "protocol-error",
  "timer",
  "fin",
  "socket-error",
  "local-close",
  "step",
  "probe",
  "closed",
]);

/** Read a JSON Lines trace; unreadable lines are reported, not thrown. */
export function decodeTrace(text: string): DecodedTrace {
  const events: TraceEvent[] = [];
  const problems: { line: number; problem: string }[] = [];
  let end: EndEvent | undefined;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    let obj: unknown;
    try {
      obj = JSON.parse(line);
    } catch {
      problems.push({ line: i + 1, problem: "not JSON" });
      continue;
    }
    const o = obj as { type?: unknown; t?: unknown };
    if (
      typeof o !== "object" ||
      o === null ||
      typeof o.type !== "string" ||
      typeof o.t !== "number"
    ) {
      problems.push({ line: i + 1, problem: "not a trace event (needs type and t)" });
    } else if (o.type === "end") {
      end = obj as EndEvent;
    } else if (KNOWN.has(o.type)) {
      events.push(obj as TraceEvent);
    } else {
      problems.push({ line: i + 1, problem: `unknown event type "${o.type}"` });
    }
  }
  return { events, end, problems };
}
