/**
 * @module `teldoc logs`' engine: line sources in, server-side sessions out (each handed to
 * `onSession` as soon as it is over, so a 1 GB log never sits in memory), then the totals by
 * cause and by client. The CLI prints; this reads and decides.
 */
import type { Cause } from "../../trace/events.js";
import { normalizeAddress } from "./address.js";
import { type GrouperOptions, SessionGrouper } from "./grouper.js";
import type { LineSource } from "./lines.js";
import { type LineCounts, mergedLines, newCounts } from "./records.js";
import { classify } from "./rules/index.js";
import type { Evidence, ServerSession, SessionFacts } from "./types.js";

export interface AnalyzeOptions extends GrouperOptions {
  /** Only lines from this time on (ms since the epoch). */
  readonly since?: number;
  /** Only this client's sessions (any form: `::ffff:10.0.0.1` is 10.0.0.1). */
  readonly client?: string;
}

/** Per client: how many sessions, and by cause. */
export interface ClientTotals {
  sessions: number;
  byCause: Partial<Record<Cause, number>>;
}

export interface LogTotals extends LineCounts {
  sessions: number;
  byCause: Partial<Record<Cause, number>>;
  /** By client; past MAX_CLIENTS distinct clients, the rest under "(other clients)". */
  byClient: Record<string, ClientTotals>;
  /** Distinct clients counted one by one. */
  clients: number;
  /** Wall time of the read, and lines per second. */
  ms: number;
  linesPerSecond: number;
}

/**
 * A finished session as the contract prints it: ISO times (UTC), the cause, the lines.
 * @example toServerSession(facts).cause // "acl-rejected"
 */
export function toServerSession(f: SessionFacts): ServerSession {
  const v = classify(f);
  const evidence: Evidence[] = f.lines.map((l) => l.at);
  const key = f.lines[v.decisive[0] ?? f.lines.length - 1]?.at ?? evidence[0]!;
  return {
    client: f.client ?? null,
    start: new Date(f.start).toISOString(),
    end: new Date(f.end).toISOString(),
    cause: v.cause,
    evidence,
    key,
    confidence: v.confidence,
    summary: v.summary,
    protocol: f.protocol,
    service: f.service ?? null,
    pid: f.pid ?? null,
    user: f.user ?? null,
    ended: f.ended,
  };
}

/** Clients counted one by one; beyond, they are counted together (memory stays bounded). */
export const MAX_CLIENTS = 10_000;
const OTHERS = "(other clients)";

function count(totals: LogTotals, s: ServerSession): void {
  totals.sessions++;
  totals.byCause[s.cause] = (totals.byCause[s.cause] ?? 0) + 1;
  let key = s.client ?? "(unknown)";
  if (totals.byClient[key] === undefined && totals.clients >= MAX_CLIENTS) key = OTHERS;
  else if (totals.byClient[key] === undefined) totals.clients++;
  totals.byClient[key] ??= { sessions: 0, byCause: {} };
  const c = totals.byClient[key];
  c.sessions++;
  c.byCause[s.cause] = (c.byCause[s.cause] ?? 0) + 1;
}

/**
 * Read the sources (merged by time), group their lines into sessions, name each one's cause.
 * `onSession` gets each session as it ends (it may return a promise: the reader waits, so a
 * slow consumer holds the reading back).
 * @example const totals = await analyzeLogs([await fileLines("/var/log/auth.log")], {}, print);
 */
export async function analyzeLogs(
  sources: readonly LineSource[],
  options: AnalyzeOptions,
  onSession: (s: ServerSession) => void | Promise<void>,
): Promise<LogTotals> {
  const t0 = performance.now();
  const counts = newCounts();
  const totals: LogTotals = {
    ...counts,
    sessions: 0,
    byCause: {},
    clients: 0,
    byClient: {},
    ms: 0,
    linesPerSecond: 0,
  };
  const wanted = options.client === undefined ? undefined : normalizeAddress(options.client);
  const ready: ServerSession[] = [];
  const grouper = new SessionGrouper((f) => {
    if (wanted !== undefined && (f.client === undefined || normalizeAddress(f.client) !== wanted))
      return;
    ready.push(toServerSession(f));
  }, options);
  const drain = async () => {
    for (const s of ready.splice(0)) {
      count(totals, s);
      await onSession(s);
    }
  };
  for await (const batch of mergedLines(sources, counts, options.since)) {
    for (const line of batch) grouper.add(line);
    await drain();
  }
  grouper.flush();
  await drain();
  const ms = performance.now() - t0;
  return {
    ...totals,
    ...counts,
    ms,
    linesPerSecond: ms > 0 ? Math.round(counts.lines / (ms / 1000)) : 0,
  };
}
