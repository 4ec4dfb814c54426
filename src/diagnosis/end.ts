/** @module The `end` event: the session's facts (summarize) and its diagnosis, from the events alone. */

import type { EndEvent, TraceEvent } from "../trace/events.js";
import { diagnose } from "./diagnose.js";
import { summarize } from "./summary.js";

/**
 * Build the contract's `end` object from a session's events. A live session passes its exact
 * byte counters (the events alone give them only when raw reads and writes were recorded).
 */
export function endEvent(
  events: readonly TraceEvent[],
  t: number,
  counters?: { bytesIn: number; bytesOut: number },
): EndEvent {
  const s = summarize(events);
  return {
    type: "end",
    t,
    target: s.target,
    phase: s.phase,
    transport: s.transport,
    durationMs: s.durationMs,
    idleMs: s.idleMs,
    bytesIn: counters?.bytesIn ?? s.bytesIn,
    bytesOut: counters?.bytesOut ?? s.bytesOut,
    lastServerText: s.lastServerText,
    diagnosis: diagnose(events),
  };
}
