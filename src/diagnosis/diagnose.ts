/** @module diagnose(): run every rule over a session's summary; the best candidate wins, the rest become alternatives. */
import type { Cause, Diagnosis, TraceEvent } from "../trace/events.js";
import { at, diagnoseCommand } from "./format.js";
import { RULES } from "./rules/index.js";
import { summarize } from "./summary.js";
import type { Candidate, Rule, SessionSummary } from "./types.js";

const MAX_EVIDENCE = 4;
const MAX_ALTERNATIVES = 4;

function round2(x: number): number {
  return Math.round(Math.min(1, Math.max(0, x)) * 100) / 100;
}

/** What the evidence lacks, when no rule could name a cause. */
function missing(s: SessionSummary, eventCount: number): string[] {
  if (eventCount === 0) return ["the trace has no events"];
  const last = s.connectFailures.at(-1);
  if (s.connectedAt === undefined && last)
    return [
      `the connect failed with ${last.code} (${last.outcome}), which does not say where the problem is`,
    ];
  if (s.connectedAt === undefined) return ["no resolve or connect result was recorded"];
  if (s.socketError)
    return [
      `socket error ${s.socketError.code} (${s.socketError.message || "no message"}) matches no known ending`,
    ];
  if (s.finAt === undefined && s.localClose === undefined && s.deadPeerAt === undefined)
    return [
      "the trace ends while the session was open: no FIN, RST, timeout or local close was recorded",
    ];
  return ["the events match no known ending"];
}

function unknown(s: SessionSummary, eventCount: number): Candidate {
  const why = missing(s, eventCount);
  return {
    cause: "unknown",
    confidence: 0.2,
    summary: `Not enough evidence to name a cause: ${why[0]}.`,
    evidence: [...why, `reached the ${s.phase} phase; transport ${s.transport}`],
    advice: [
      "Record the whole session with `--trace FILE` and run `teldoc trace diagnose FILE`.",
      `${diagnoseCommand(s.target)} runs the full checklist.`,
    ],
  };
}

/** Where a cut trace stops: what was still open, and what is missing. */
function cutTrace(s: SessionSummary): string {
  const open =
    s.connectedAt !== undefined
      ? "while the session was open: no close was recorded"
      : s.target.address !== undefined
        ? `while connecting to ${s.target.address} port ${s.target.port}: no connect result was recorded`
        : "before any connection was made: no result was recorded";
  return `The trace ends ${at(s.endAt)} ${open} (the client was killed, or the file was cut).`;
}

/**
 * A trace that stops before the session's end names no cause and no transport it did not see;
 * what the events showed until then is evidence, and the rules' candidates are alternatives.
 */
function unfinished(
  s: SessionSummary,
  events: readonly TraceEvent[],
  before: Candidate | undefined,
): Candidate {
  const last = events[events.length - 1];
  const ended = s.connectedAt !== undefined ? "the session" : "the connect";
  return {
    cause: "unknown",
    confidence: 0.2,
    summary: cutTrace(s),
    evidence: [
      `the last event is ${last.type} ${at(last.t)}; no event after it says how ${ended} ended`,
      `reached the ${s.phase} phase${s.lastServerText ? `; last server text: ${s.lastServerText}` : ""}`,
      ...(before ? [`until then the evidence pointed to ${before.cause}: ${before.summary}`] : []),
    ],
    advice: [
      "Record the session again with `--trace FILE` (on a disk with room, and let teldoc finish), then run `teldoc trace diagnose FILE`.",
      `${diagnoseCommand(s.target)} runs the full checklist.`,
    ],
  };
}

function alternatives(ranked: readonly Candidate[], winner: Cause): Diagnosis["alternatives"] {
  const seen = new Set<Cause>([winner]);
  const out: { cause: Cause; confidence: number }[] = [];
  for (const c of ranked) {
    if (seen.has(c.cause)) continue;
    seen.add(c.cause);
    out.push({ cause: c.cause, confidence: round2(c.confidence) });
  }
  return out.slice(0, MAX_ALTERNATIVES);
}

/**
 * Diagnose from a summary already made (the CLI summarizes once for the `end` line).
 * @example diagnoseSummary(summarize(events), events).cause // "idle-timeout"
 */
function diagnoseSummary(
  s: SessionSummary,
  events: readonly TraceEvent[],
  rules: readonly Rule[] = RULES,
): Diagnosis {
  const ranked = rules
    .map((rule) => rule(s, events))
    .filter((c): c is Candidate => c !== undefined)
    .map((c, order) => ({ c, order }))
    .sort((a, b) => b.c.confidence - a.c.confidence || a.order - b.order)
    .map((x) => x.c);
  const best =
    s.transport === "unknown" && events.length > 0
      ? unfinished(s, events, ranked[0])
      : (ranked[0] ?? unknown(s, events.length));
  return {
    cause: best.cause,
    confidence: round2(best.confidence),
    summary: best.summary,
    evidence: best.evidence.slice(0, MAX_EVIDENCE),
    advice: best.advice,
    alternatives: alternatives(ranked, best.cause),
  };
}

/**
 * Why a Telnet session ended, with confidence, evidence and advice, from its events alone.
 * @example
 * const d = diagnose(events);
 * d.cause    // "idle-timeout"
 * d.summary  // "The server ended the session after 10.0 s without input."
 */
export function diagnose(events: readonly TraceEvent[], rules: readonly Rule[] = RULES): Diagnosis {
  return diagnoseSummary(summarize(events), events, rules);
}
