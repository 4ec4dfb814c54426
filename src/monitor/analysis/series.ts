/**
 * @module One target's series from one vantage, as the rules read it: the slots of the report's
 * period where it has a bucket (slot = one rollup bucket), in time order, and per slot what the
 * rules need of a bucket (rounds that ran and failed, connect RTT p50 and loss, the causes of
 * its failures) in shared scratch arrays. Columns, not rollups: a series read from 1-h rollups
 * and one read from days with their hours look the same. The builder fills one series at a
 * time and reuses the arrays, so memory is one series however large the fleet.
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

/** The start (epoch ms) of a slot. */
export function slotStart(p: Period, slot: number): number {
  return p.start + slot * p.slotMs;
}

/**
 * One series, read by the rules. Arrays indexed by slot are scratch, valid until the next
 * series, and meaningful only at the series' `slots`.
 */
export interface SeriesView {
  readonly target: string;
  readonly vantage: string;
  readonly period: Period;
  /** The slots where the series has a bucket (a round, skipped or not), in time order. */
  readonly slots: Int32Array;
  /** Rounds that ran (not skipped) per slot. */
  readonly ranAt: Float64Array;
  /** Failed rounds per slot. */
  readonly failedAt: Float64Array;
  /** The bucket's connect RTT p50 per slot, ms; NaN when no connect was answered. */
  readonly p50At: Float64Array;
  /** The bucket's connect loss per slot (1 − answered / sent); NaN when none was sent. */
  readonly lossAt: Float64Array;
  /** Failed rounds by cause, at the slots with failures. */
  readonly causesAt: ReadonlyMap<number, Readonly<Partial<Record<Cause, number>>>>;
  readonly rounds: number;
  readonly ran: number;
  readonly failed: number;
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  /** failed / ran: the series' own baseline failure rate (0 when nothing ran). */
  readonly rate: number;
}

/** Rounds in a rollup that failed (ran and not ok). */
export function failedOf(r: Pick<Rollup, "rounds" | "skipped" | "ok">): number {
  return Math.max(0, r.rounds - r.skipped - r.ok);
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
