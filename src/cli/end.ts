/** @module The `end` event: the session's facts (summarize) and its diagnosis, from the events alone. */
import { diagnose, summarize } from "../diagnosis/index.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";

/** Build the contract's `end` object from a session's events. */
export function endEvent(events: readonly TraceEvent[], t: number): EndEvent {
  const s = summarize(events);
  return {
    type: "end",
    t,
    target: s.target,
    phase: s.phase,
    transport: s.transport,
    durationMs: s.durationMs,
    idleMs: s.idleMs,
    bytesIn: s.bytesIn,
    bytesOut: s.bytesOut,
    lastServerText: s.lastServerText,
    diagnosis: diagnose(events),
  };
}
