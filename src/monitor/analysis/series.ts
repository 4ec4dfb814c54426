/**
 * @module One target's series from one vantage, as the rules read it: its rollups in time order,
 * each placed on a slot of the report's period (slot = one rollup bucket), with the per-slot
 * rounds that ran and failed in shared scratch arrays. The builder fills one series at a time
 * and reuses the arrays, so memory is one series however large the fleet.
 */
import type { Cause } from "../../trace/events.js";
import type { Rollup, RollupSeconds } from "../store/types.js";

/** The report's period cut into rollup buckets. */
export interface Period {
  /** The first slot's start, epoch ms (since, rounded down to a bucket). */
  readonly start: number;
  readonly since: number;
  readonly until: number;
  readonly seconds: RollupSeconds;
  readonly slotMs: number;
  readonly slots: number;
}

/**
 * The period in slots of `seconds`.
 * @example periodOf(0, 86_400_000, 3600).slots // 24
 */
export function periodOf(since: number, until: number, seconds: RollupSeconds): Period {
  const slotMs = seconds * 1000;
  const start = Math.floor(since / slotMs) * slotMs;
  const slots = Math.max(1, Math.ceil((until - start) / slotMs));
  return { start, since, until, seconds, slotMs, slots };
}

/** One series, read by the rules. Arrays indexed by slot are scratch: valid until the next. */
export interface SeriesView {
  readonly target: string;
  readonly vantage: string;
  readonly period: Period;
  /** The series' rollups in time order, inside the period. */
  readonly rollups: readonly Rollup[];
  /** The slot of each rollup. */
  readonly slotOf: Int32Array;
  /** Rounds that ran (not skipped) per slot; 0 where the series has no bucket. */
  readonly ranAt: Float64Array;
  /** Failed rounds per slot. */
  readonly failedAt: Float64Array;
  readonly rounds: number;
  readonly ran: number;
  readonly failed: number;
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  /** failed / ran: the series' own baseline failure rate (0 when nothing ran). */
  readonly rate: number;
}

/** Rounds in a rollup that failed (ran and not ok). */
export function failedOf(r: Rollup): number {
  return Math.max(0, r.rounds - r.skipped - r.ok);
}

/** Rounds in a rollup that ran. */
export function ranOf(r: Rollup): number {
  return Math.max(0, r.rounds - r.skipped);
}

/** Adds one count map into another. */
export function addCounts<K extends string>(
  into: Partial<Record<K, number>>,
  from: Readonly<Partial<Record<K, number>>>,
): void {
  for (const k in from) {
    const v = from[k];
    if (v) into[k] = (into[k] ?? 0) + v;
  }
}

/** The most frequent key of a count map and its count (ties: the first in name order). */
export function topOf<K extends string>(m: Readonly<Partial<Record<K, number>>>): [K, number] {
  let best: [K, number] = ["" as K, 0];
  for (const k in m) {
    const v = m[k] ?? 0;
    if (v > best[1] || (v === best[1] && v > 0 && k < best[0])) best = [k, v];
  }
  return best;
}
