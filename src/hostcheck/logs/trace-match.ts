/**
 * @module `--trace FILE`: the server's side of a client's trace. A trace records times relative
 * to its start (`t`, ms) and no wall-clock time, so its start is taken from the file: the
 * writer's last line (the `end` event, at `t`) was written at the file's modification time,
 * hence start = mtime - end.t. The client's address is the `connected` event's local address
 * (as the server saw it, unless NAT changed it). The matching session is the one of that client
 * whose start is closest to the client's connect, within the tolerance (clock skew between
 * the two machines; default ±120 s); the skew found is reported.
 */
import { readFileSync, statSync } from "node:fs";
import { endEvent } from "../../diagnosis/index.js";
import { TeldocError } from "../../errors.js";
import { decodeTrace } from "../../trace/decode.js";
import type { Cause } from "../../trace/events.js";
import { normalizeAddress } from "./address.js";
import type { ServerSession } from "./types.js";

/** Clock skew tolerated between the client's and the server's clocks. */
export const DEFAULT_SKEW_MS = 120_000;
/** Most log times have whole seconds: such a time stands for the second that follows it. */
const LOG_RESOLUTION_MS = 1_000;

/** What the trace says, for the match and for people. */
export interface ClientTrace {
  readonly file: string;
  /** The client's address (connected.local), or null when it never connected. */
  readonly client: string | null;
  readonly server: { readonly address: string; readonly port: number } | null;
  /** When the client connected (ISO, UTC), from the file's mtime; null when it never did. */
  readonly connectedAt: string | null;
  readonly timeFrom: "file mtime minus the end event's t";
  readonly cause: Cause;
  readonly summary: string;
}

/** The match: the server's session and the skew (server start - client connect, ms). */
export interface TraceMatch {
  readonly trace: ClientTrace;
  readonly session: ServerSession | null;
  readonly skewMs: number | null;
  readonly toleranceMs: number;
  /** One line for people: what the client saw next to what the server saw. */
  readonly verdict: string;
}

/**
 * Read a trace file written by `teldoc connect --trace`.
 * @example loadClientTrace("session.jsonl").client // "192.0.2.7"
 */
export function loadClientTrace(file: string): ClientTrace & { connectedMs: number | null } {
  let text: string;
  let mtime: number;
  try {
    text = readFileSync(file, "utf8");
    mtime = statSync(file).mtimeMs;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TeldocError("TELDOC_ERR_USAGE", `--trace: cannot read ${file} (${code})`);
  }
  const decoded = decodeTrace(text);
  const bad = decoded.problems.find((p) => p.fatal);
  if (bad) throw new TeldocError("TELDOC_ERR_BAD_TRACE", `${file}:${bad.line}: ${bad.problem}`);
  const events = decoded.events;
  if (events.length === 0)
    throw new TeldocError("TELDOC_ERR_USAGE", `--trace: ${file} holds no trace events`);
  const lastT = decoded.end?.t ?? events[events.length - 1]!.t;
  const end = decoded.end ?? endEvent(events, lastT);
  const connected = events.find((e) => e.type === "connected");
  const connectedMs = connected ? mtime - lastT + connected.t : null;
  return {
    file,
    client: connected ? normalizeAddress(connected.local.address) : null,
    server: connected ? { address: connected.remote.address, port: connected.remote.port } : null,
    connectedAt: connectedMs === null ? null : new Date(connectedMs).toISOString(),
    connectedMs,
    timeFrom: "file mtime minus the end event's t",
    cause: end.diagnosis.cause,
    summary: end.diagnosis.summary,
  };
}

/** Keeps the best session for a trace while sessions stream by (bounded: one is kept). */
export class TraceMatcher {
  private best: { s: ServerSession; skew: number; distance: number } | undefined;

  constructor(
    private readonly trace: ClientTrace & { connectedMs: number | null },
    private readonly toleranceMs = DEFAULT_SKEW_MS,
  ) {}

  offer(s: ServerSession): void {
    const t = this.trace;
    if (t.client === null || t.connectedMs === null || s.client === null) return;
    if (normalizeAddress(s.client) !== t.client) return;
    const start = Date.parse(s.start);
    const skew = start - t.connectedMs;
    // A time in whole seconds (most logs) stands for that whole second.
    const width = start % LOG_RESOLUTION_MS === 0 ? LOG_RESOLUTION_MS : 0;
    const distance = skew > 0 ? skew : Math.max(0, -skew - width);
    if (distance > this.toleranceMs) return;
    if (!this.best || distance < this.best.distance) this.best = { s, skew, distance };
  }

  result(): TraceMatch {
    const { connectedMs: _, ...trace } = this.trace;
    const session = this.best?.s ?? null;
    return {
      trace,
      session,
      skewMs: this.best ? Math.round(this.best.skew) : null,
      toleranceMs: this.toleranceMs,
      verdict: verdictLine(trace, session, this.toleranceMs),
    };
  }
}

function verdictLine(t: ClientTrace, s: ServerSession | null, toleranceMs: number): string {
  const client = `the client saw: ${t.summary} (${t.cause})`;
  if (t.client === null) return `${client}; it never connected, so the server has no session of it`;
  if (!s)
    return `${client}; the server's logs have no session of ${t.client} within ±${Math.round(toleranceMs / 1000)} s of ${t.connectedAt}`;
  return `${client}; the server saw: ${s.summary} (${s.cause})`;
}
