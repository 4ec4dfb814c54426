/** @module summarize(): the facts of one session (phase, transport, times, text) from its events. */
import { CONNECT_TRANSPORT, type Phase, type TraceEvent, type Transport } from "../trace/events.js";
import { type Acc, HANDLERS, newAcc } from "./fold.js";
import { lastNonEmptyLine } from "./text.js";
import type { SessionSummary } from "./types.js";

function phaseOf(a: Acc): Phase {
  if (a.connectedAt === undefined) {
    if (a.resolveFailed) return "resolve";
    return a.resolved || a.connecting || a.connectFailures.length > 0 ? "connect" : "resolve";
  }
  if (a.loginSucceededAt !== undefined) return "session";
  if (a.lastPromptAt !== undefined) return "login";
  return a.firstServerDataAt !== undefined ? "session" : "negotiation";
}

/** How the transport ended; `unknown` when the events stop before any end was recorded (a cut trace). */
function transportOf(a: Acc): Transport {
  if (a.connectedAt === undefined) {
    if (a.resolveFailed) return "dns";
    const last = a.connectFailures.at(-1);
    if (last) return CONNECT_TRANSPORT[last.outcome];
    return a.closed?.transport ?? "unknown";
  }
  return a.terminal?.transport ?? a.closed?.transport ?? "unknown";
}

function endOf(a: Acc): number {
  if (a.connectedAt === undefined) {
    return a.resolveFailed?.t ?? a.connectFailures.at(-1)?.t ?? a.lastT ?? 0;
  }
  return a.terminal?.t ?? a.closed?.t ?? a.lastT ?? 0;
}

/** Times to the microsecond, without float noise. */
function ms(x: number): number {
  return Math.round(x * 1000) / 1000;
}

function finish(a: Acc): SessionSummary {
  const {
    firstT,
    lastT,
    host,
    port,
    address,
    family,
    resolved,
    connecting,
    rawIn,
    rawOut,
    sawRead,
    sawWrite,
    estIn,
    estOut,
    awaiting,
    outLine,
    lastActivity,
    unansweredSince,
    idleBeforeMs,
    terminal,
    ...facts
  } = a;
  const startAt = firstT ?? 0;
  const endAt = endOf(a);
  const idleFrom = Math.max(a.connectedAt ?? endAt, a.lastOutAt ?? -Infinity);
  return {
    ...facts,
    target: {
      host: host ?? address ?? "",
      port: port ?? 23,
      ...(address !== undefined ? { address } : {}),
      ...(family !== undefined ? { family } : {}),
    },
    phase: phaseOf(a),
    transport: transportOf(a),
    startAt,
    endAt,
    durationMs: ms(Math.max(0, (lastT ?? startAt) - startAt)),
    idleMs: ms(Math.max(0, endAt - idleFrom)),
    survivedQuietMs: ms(a.survivedQuietMs),
    bytesIn: sawRead ? rawIn : estIn,
    bytesOut: sawWrite ? rawOut : estOut,
    lastServerText: lastNonEmptyLine(a.serverText),
    ...(unansweredSince !== undefined
      ? { unanswered: { since: unansweredSince, idleBeforeMs: ms(idleBeforeMs ?? 0) } }
      : {}),
  };
}

/**
 * The facts of one session, from its events alone (no clock: every time is an event's `t`).
 * @example
 * const s = summarize(events);
 * s.phase      // "session"
 * s.transport  // "fin"
 * s.idleMs     // 10002
 */
export function summarize(events: readonly TraceEvent[]): SessionSummary {
  const a = newAcc();
  for (const e of events) {
    a.firstT ??= e.t;
    a.lastT = e.t;
    const handle = HANDLERS[e.type] as (acc: Acc, ev: TraceEvent) => void;
    handle?.(a, e);
  }
  return finish(a);
}
