/**
 * @module The overview's index: one row per target and vantage with its last 24 h (availability,
 * hourly RTT median for the sparkline, last failure) and its status. Reading 10,000 series'
 * rollups takes a moment, so the index is a snapshot, rebuilt in the background when older than
 * `maxAgeMs` (the stale one is served meanwhile), and it yields to the event loop as it reads,
 * so probes and other requests go on. "Now" comes from the engine's live state at each request.
 */
import type { Cause } from "../../trace/events.js";
import type { TargetState } from "../monitor.js";
import type { Level } from "../sample.js";
import type { Rollup, Store, TargetInfo } from "../store/types.js";
import type { Status } from "./params.js";

const HOUR_MS = 3_600_000;
/** Hours in the overview's window (and points in a sparkline). */
export const OVERVIEW_HOURS = 24;
/** The store's latest 5-min buckets within this age say the status of a series with no live state. */
const RECENT_MS = 30 * 60_000;
/** Rollups read between two yields to the event loop. */
const YIELD_EVERY = 2000;

export interface OverviewRow {
  readonly name: string;
  readonly vantage: string;
  readonly host: string;
  readonly port: number | null;
  readonly level: Level | null;
  readonly tags: readonly string[];
  status: Status;
  /** The cause now (failing or flapping), else the last failure's within the window. */
  cause: Cause | null;
  /** When that cause was seen (epoch ms: the bucket's start, or the live round's time). */
  causeAt: number | null;
  /** The live round's first line of evidence, when failing now. */
  evidence: string | null;
  /** Healthy / ran over the window; null when none ran. */
  availability: number | null;
  rounds: number;
  /** Median of the hourly RTT medians, ms. */
  rttMs: number | null;
  /** Hourly RTT median (null: none answered) and failed share, oldest first. */
  readonly spark: (number | null)[];
  readonly failed: number[];
}

export interface OverviewSnapshot {
  readonly builtAt: number;
  /** The window's first hour (epoch ms). */
  readonly from: number;
  readonly rows: readonly OverviewRow[];
  readonly tags: readonly string[];
  readonly vantages: readonly string[];
  readonly buildMs: number;
}

const keyOf = (vantage: string, name: string) => `${vantage}\u0000${name}`;
const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function emptyRow(info: Partial<TargetInfo> & { name: string; vantage: string }): OverviewRow {
  return {
    name: info.name,
    vantage: info.vantage,
    host: info.host ?? "",
    port: info.port ?? null,
    level: info.level ?? null,
    tags: info.tags ?? [],
    status: "no-data",
    cause: null,
    causeAt: null,
    evidence: null,
    availability: null,
    rounds: 0,
    rttMs: null,
    spark: Array.from({ length: OVERVIEW_HOURS }, () => null),
    failed: Array.from({ length: OVERVIEW_HOURS }, () => 0),
  };
}

/** The cause with most failures in a bucket. */
export function topCause(r: Rollup): Cause | null {
  let best: Cause | null = null;
  let n = 0;
  for (const [cause, k] of Object.entries(r.byCause) as [Cause, number][])
    if (k > n) {
      best = cause;
      n = k;
    }
  return best;
}

function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Per-series sums while the hourly rollups stream. */
class HourlyFold {
  ok = 0;
  ran = 0;
  readonly rtts: number[] = [];
  constructor(readonly row: OverviewRow) {}
  add(r: Rollup, slot: number): void {
    const ran = r.rounds - r.skipped;
    this.ran += ran;
    this.ok += r.ok;
    this.row.rounds += r.rounds;
    this.row.spark[slot] = r.rttMs.p50;
    this.row.failed[slot] = ran > 0 ? (ran - r.ok) / ran : 0;
    if (r.rttMs.p50 !== null) this.rtts.push(r.rttMs.p50);
    const cause = r.ok < ran ? topCause(r) : null;
    if (cause) {
      this.row.cause = cause;
      this.row.causeAt = r.start;
    }
  }
  finish(): void {
    this.row.availability = this.ran > 0 ? this.ok / this.ran : null;
    this.row.rttMs = median(this.rtts);
  }
}

/** The status a series' newest 5-min bucket says. */
function statusOf(r: Rollup): { status: Status; cause: Cause | null } {
  const ran = r.rounds - r.skipped;
  if (ran <= 0) return { status: "no-data", cause: null };
  if (r.ok === ran) return { status: "healthy", cause: null };
  return { status: r.ok === 0 ? "failing" : "flapping", cause: topCause(r) };
}

interface Reader {
  rows: Map<string, OverviewRow>;
  rowOf(vantage: string, name: string): OverviewRow;
}

async function readHourly(store: Store, from: number, until: number, rd: Reader): Promise<void> {
  let fold: HourlyFold | undefined;
  let n = 0;
  for await (const r of store.rollups({ seconds: 3600, since: from, until })) {
    const row = rd.rowOf(r.vantage, r.target);
    if (fold?.row !== row) {
      fold?.finish();
      fold = new HourlyFold(row);
    }
    const slot = Math.floor((r.start - from) / HOUR_MS);
    if (slot >= 0 && slot < OVERVIEW_HOURS) fold.add(r, slot);
    if (++n % YIELD_EVERY === 0) await tick();
  }
  fold?.finish();
}

async function readRecent(store: Store, now: number, rd: Reader): Promise<void> {
  let n = 0;
  // Buckets come oldest first per series: the last one seen wins.
  for await (const r of store.rollups({ seconds: 300, since: now - RECENT_MS })) {
    const row = rd.rowOf(r.vantage, r.target);
    const s = statusOf(r);
    if (s.status !== "no-data") {
      row.status = s.status;
      if (s.cause) {
        row.cause = s.cause;
        row.causeAt = r.start;
      }
    }
    if (++n % YIELD_EVERY === 0) await tick();
  }
}

/** Read the store into a snapshot (bounded: 24 hourly and ~3 five-minute buckets per series). */
export async function buildSnapshot(store: Store, now: number): Promise<OverviewSnapshot> {
  const t0 = performance.now();
  const from = Math.floor(now / HOUR_MS) * HOUR_MS - (OVERVIEW_HOURS - 1) * HOUR_MS;
  const rows = new Map<string, OverviewRow>();
  for (const t of await store.targets()) rows.set(keyOf(t.vantage, t.name), emptyRow(t));
  const rd: Reader = {
    rows,
    rowOf(vantage, name) {
      const key = keyOf(vantage, name);
      let row = rows.get(key);
      if (!row) {
        row = emptyRow({ name, vantage });
        rows.set(key, row);
      }
      return row;
    },
  };
  await readHourly(store, from, from + OVERVIEW_HOURS * HOUR_MS, rd);
  await readRecent(store, now, rd);
  const all = [...rows.values()];
  return {
    builtAt: now,
    from,
    rows: all,
    tags: [...new Set(all.flatMap((r) => r.tags))].sort(),
    vantages: [...new Set(all.map((r) => r.vantage))].sort(),
    buildMs: Math.round(performance.now() - t0),
  };
}

/** The snapshot's rows with the engine's live state over them (copies; the snapshot is kept). */
export function withLive(
  snap: OverviewSnapshot,
  vantage: string | undefined,
  live: readonly TargetState[],
): OverviewRow[] {
  if (vantage === undefined || live.length === 0) return snap.rows as OverviewRow[];
  const now = new Map(live.map((s) => [s.target, s]));
  const seen = new Set<string>();
  const rows = snap.rows.map((row) => {
    const s = row.vantage === vantage ? now.get(row.name) : undefined;
    if (!s) return row;
    seen.add(s.target);
    return liveRow(row, s);
  });
  for (const s of live)
    if (!seen.has(s.target)) rows.push(liveRow(emptyRow({ name: s.target, vantage }), s));
  return rows;
}

function liveRow(row: OverviewRow, s: TargetState): OverviewRow {
  const out = { ...row };
  if (!out.host) Object.assign(out, { host: s.last.host, port: s.last.port, level: s.last.level });
  if (!s.ok) {
    out.status = "failing";
    out.cause = s.cause;
    out.causeAt = Date.parse(s.last.t);
    out.evidence = s.last.evidence[0] ?? null;
  } else if (row.status !== "flapping") out.status = "healthy";
  return out;
}

/** The snapshot, rebuilt in the background once older than `maxAgeMs`. */
export class OverviewIndex {
  private current: OverviewSnapshot | undefined;
  private building: Promise<OverviewSnapshot> | undefined;

  constructor(
    private readonly store: Store,
    private readonly now: () => number,
    private readonly maxAgeMs = 30_000,
  ) {}

  /** The newest snapshot: the first call waits for it; later ones get the stale one while it is rebuilt. */
  async get(): Promise<OverviewSnapshot> {
    const cur = this.current;
    if (cur && this.now() - cur.builtAt < this.maxAgeMs) return cur;
    const next = this.rebuild();
    return cur ?? next;
  }

  /** The snapshot if one was read (never waits). */
  peek(): OverviewSnapshot | undefined {
    return this.current;
  }

  /** Start a rebuild (one at a time). */
  rebuild(): Promise<OverviewSnapshot> {
    if (!this.building) {
      this.building = buildSnapshot(this.store, this.now())
        .then((s) => {
          this.current = s;
          return s;
        })
        .finally(() => {
          this.building = undefined;
        });
      // A background rebuild that fails is retried at the next request.
      this.building.catch(() => {});
    }
    return this.building;
  }
}
