/**
 * @module JSON Lines for trace events: one object per line, as `connect --json` prints and
 * `--trace FILE` records. The reader, which validates each line, is decode.ts (it loads zod,
 * which writing a trace does not need).
 */

import { toJson } from "../util/json.js";
import type { EndEvent, TraceEvent } from "./events.js";

/**
 * One event as one line (with the newline), numbers rounded (toJson). Raw reads and writes, the bulk of a trace, are
 * written without JSON.stringify: their fields need no escaping (hex is [0-9a-f]).
 */
export function encodeEvent(event: TraceEvent | EndEvent): string {
  if ((event.type === "read" || event.type === "write") && Object.keys(event).length === 4) {
    return `{"t":${event.t},"type":"${event.type}","bytes":${event.bytes},"hex":"${event.hex}"}\n`;
  }
  return `${toJson(event)}\n`;
}
