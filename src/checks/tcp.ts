/**
 * @module The `tcp` check: the dial's result — open (with the address, family, local address
 * and connect time), or refused, filtered, unreachable or local-firewall with the errno — read
 * from the telnet probe's session events (one connection serves both checks).
 */
import { diagnose, neighbourFailure } from "../diagnosis/index.js";
import type { ConnectedEvent, ConnectFailedEvent, TraceEvent } from "../trace/events.js";
import { formatMs, formatRtt } from "../util/duration.js";
import type { CheckResult } from "./types.js";

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** The tcp check's result from a session's dial events. */
export function tcpResult(events: readonly TraceEvent[], durationMs: number): CheckResult {
  const connected = events.find((e): e is ConnectedEvent => e.type === "connected");
  const failed = events.filter((e): e is ConnectFailedEvent => e.type === "connect-failed");
  const failures = failed.map((e) => ({
    address: e.address,
    outcome: e.outcome,
    code: e.code,
    durationMs: round(e.durationMs),
    ...(e.nextHop ? { nextHop: e.nextHop } : {}),
  }));
  if (connected) {
    const tried = failures.length > 0 ? ` after ${failures.length} failed address(es)` : "";
    return {
      id: "tcp",
      status: failures.length > 0 ? "warn" : "pass",
      summary: `open: ${connected.remote.address} port ${connected.remote.port} accepted in ${formatRtt(connected.durationMs)}${tried}`,
      durationMs,
      data: {
        state: "open",
        address: connected.remote.address,
        family: connected.family,
        local: connected.local,
        connectMs: round(connected.durationMs),
        failures,
      },
    };
  }
  const d = diagnose(events);
  const last = failures.at(-1);
  // A neighbour that never answered ARP/ND (the host down or off its subnet), for the admin note.
  const lastFailed = failed.at(-1);
  const neighbour = lastFailed ? neighbourFailure(lastFailed) : undefined;
  const state =
    d.cause === "refused" ||
    d.cause === "filtered" ||
    d.cause === "unreachable" ||
    d.cause === "local-firewall"
      ? d.cause
      : (last?.outcome ?? "error");
  return {
    id: "tcp",
    status: "fail",
    summary: `${state}${last ? ` (${last.code} after ${formatMs(last.durationMs)})` : ""}: ${d.summary}`,
    durationMs,
    data: { state, errno: last?.code, failures, ...(neighbour ? { neighbour } : {}) },
    finding: d,
  };
}
