/**
 * @module Pure: fold samples into rollups. A bucket starts at the sample's time floored to the
 * rollup size (300 s or 3600 s, UTC epoch). Every round counts in `rounds`; a skipped round
 * counts in `rounds` and `skipped` only; a failed (not ok, not skipped) round counts in
 * `byCause` and, when it has one, `byStage`. Connects sent/answered add up, and the RTT
 * min/max are exact over every answered connect of the bucket while p50/p90 are nearest-rank
 * percentiles read from an RTT sketch (rtt-sketch.ts: < 2 % error), so rollups merge: folding
 * samples one write after another, or merging accumulators, gives the same rollup as folding
 * them all at once. Both stores keep the accumulator (with its sketch) and answer with
 * `toRollup`, so a rollup reads the same whichever path built it.
 */
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES, type Sample, STAGES, type Stage, sampleTime } from "../sample.js";
import { type RttSketch, sketchAdd, sketchMerge, sketchPercentile } from "./rtt-sketch.js";
import { ROLLUP_SECONDS, type Rollup, type RollupSeconds } from "./types.js";

/** A day's size: its accumulator keeps counts and RTT min/max, no sketch (day-hours.ts). */
export const DAY_SECONDS = 86400;
/** The sizes a write folds samples into. */
export const STORE_SECONDS = [...ROLLUP_SECONDS, DAY_SECONDS] as const;
export type AccSeconds = (typeof STORE_SECONDS)[number];

/** A rollup being built: the Rollup's counts plus the RTT sketch its percentiles come from. */
export interface RollupAcc {
  readonly start: number;
  readonly seconds: AccSeconds;
  readonly vantage: string;
  readonly target: string;
  rounds: number;
  ok: number;
  skipped: number;
  readonly byCause: Partial<Record<Cause, number>>;
  readonly byStage: Partial<Record<Stage, number>>;
  sent: number;
  answered: number;
  rttMin: number | null;
  rttMax: number | null;
  readonly sketch: RttSketch;
}

/** The start (epoch ms) of the bucket of `seconds` that holds `t` (epoch ms). */
export function bucketStart(t: number, seconds: AccSeconds): number {
  const size = seconds * 1000;
  return Math.floor(t / size) * size;
}

/** An empty accumulator for one target's bucket. */
export function emptyAcc(
  vantage: string,
  target: string,
  seconds: AccSeconds,
  start: number,
): RollupAcc {
  return {
    start,
    seconds,
    vantage,
    target,
    rounds: 0,
    ok: 0,
    skipped: 0,
    byCause: {},
    byStage: {},
    sent: 0,
    answered: 0,
    rttMin: null,
    rttMax: null,
    sketch: new Map(),
  };
}

/** Fold one sample into its bucket's accumulator (the caller picks the right one). */
export function addSample(acc: RollupAcc, s: Sample): void {
  acc.rounds++;
  if (s.ok) acc.ok++;
  else if (s.skipped) acc.skipped++;
  else {
    acc.byCause[s.cause] = (acc.byCause[s.cause] ?? 0) + 1;
    if (s.stage) acc.byStage[s.stage] = (acc.byStage[s.stage] ?? 0) + 1;
  }
  acc.sent += s.connects.sent;
  acc.answered += s.connects.answered;
  const sketch = acc.seconds !== DAY_SECONDS;
  for (const rtt of s.connects.rttMs) {
    if (acc.rttMin === null || rtt < acc.rttMin) acc.rttMin = rtt;
    if (acc.rttMax === null || rtt > acc.rttMax) acc.rttMax = rtt;
    if (sketch) sketchAdd(acc.sketch, rtt);
  }
}

/** Add `from` (the same target's same bucket) into `into`. */
export function mergeAcc(into: RollupAcc, from: RollupAcc): void {
  into.rounds += from.rounds;
  into.ok += from.ok;
  into.skipped += from.skipped;
  for (const [k, n] of Object.entries(from.byCause) as [Cause, number][])
    into.byCause[k] = (into.byCause[k] ?? 0) + n;
  for (const [k, n] of Object.entries(from.byStage) as [Stage, number][])
    into.byStage[k] = (into.byStage[k] ?? 0) + n;
  into.sent += from.sent;
  into.answered += from.answered;
  if (from.rttMin !== null && (into.rttMin === null || from.rttMin < into.rttMin))
    into.rttMin = from.rttMin;
  if (from.rttMax !== null && (into.rttMax === null || from.rttMax > into.rttMax))
    into.rttMax = from.rttMax;
  sketchMerge(into.sketch, from.sketch);
}

/** Copy `counts` with its keys in the order of `names` (stable JSON). */
export function orderedCounts<K extends string>(
  counts: Partial<Record<K, number>>,
  names: readonly K[],
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  let keys = 0;
  let only: K | undefined;
  for (const k in counts) {
    keys++;
    only = k;
  }
  // Most counts have no key or one (read per rollup: millions of times in a report).
  if (keys === 0) return out;
  if (keys === 1) {
    if (counts[only!]) out[only!] = counts[only!];
    return out;
  }
  for (const k of names) if (counts[k]) out[k] = counts[k];
  return out;
}

/** The finished Rollup of an accumulator (of a rollup size: a day's is day-hours.ts's). */
export function toRollup(acc: RollupAcc): Rollup {
  const { rttMin: min, rttMax: max } = acc;
  const pct = (p: number) =>
    min === null || max === null ? null : sketchPercentile(acc.sketch, p, min, max);
  return {
    start: acc.start,
    seconds: acc.seconds as RollupSeconds,
    vantage: acc.vantage,
    target: acc.target,
    rounds: acc.rounds,
    ok: acc.ok,
    skipped: acc.skipped,
    byCause: orderedCounts(acc.byCause, CAUSE_NAMES),
    byStage: orderedCounts(acc.byStage, STAGES),
    sent: acc.sent,
    answered: acc.answered,
    rttMs: { min, p50: pct(0.5), p90: pct(0.9), max },
  };
}

/** The key of a target's bucket: vantage, target, start. */
export function accKey(vantage: string, target: string, start: number): string {
  return `${vantage}\u0000${target}\u0000${start}`;
}

/**
 * Fold samples into accumulators, one per (vantage, target, bucket), in (vantage, target,
 * start) order.
 */
export function foldSamples(samples: Iterable<Sample>, seconds: RollupSeconds): RollupAcc[] {
  const accs = new Map<string, RollupAcc>();
  for (const s of samples) {
    const start = bucketStart(sampleTime(s), seconds);
    const key = accKey(s.vantage, s.target, start);
    let acc = accs.get(key);
    if (!acc) {
      acc = emptyAcc(s.vantage, s.target, seconds, start);
      accs.set(key, acc);
    }
    addSample(acc, s);
  }
  return [...accs.values()].sort(compareAccs);
}

/** A bucket of one stored series (the store's id for its vantage and target). */
export interface SeriesAcc {
  readonly series: number;
  readonly acc: RollupAcc;
}

/**
 * Fold (series id, sample) pairs into every rollup size at once: what a store merges into
 * its stored buckets after a write.
 */
export function foldForStore(entries: Iterable<readonly [number, Sample]>): SeriesAcc[] {
  const accs = new Map<string, SeriesAcc>();
  for (const [series, s] of entries) {
    const t = sampleTime(s);
    for (const seconds of STORE_SECONDS) {
      const start = bucketStart(t, seconds);
      const key = `${seconds}:${series}:${start}`;
      let entry = accs.get(key);
      if (!entry) {
        entry = { series, acc: emptyAcc(s.vantage, s.target, seconds, start) };
        accs.set(key, entry);
      }
      addSample(entry.acc, s);
    }
  }
  return [...accs.values()];
}

/** (vantage, target, start) order. */
export function compareAccs(
  a: Pick<Rollup, "vantage" | "target" | "start">,
  b: Pick<Rollup, "vantage" | "target" | "start">,
): number {
  if (a.vantage !== b.vantage) return a.vantage < b.vantage ? -1 : 1;
  if (a.target !== b.target) return a.target < b.target ? -1 : 1;
  return a.start - b.start;
}

/**
 * The rollups of `samples` at one size, in (vantage, target, start) order.
 * @example rollupSamples(samples, 300) // one Rollup per target and 5-min bucket
 */
export function rollupSamples(samples: Iterable<Sample>, seconds: RollupSeconds): Rollup[] {
  return foldSamples(samples, seconds).map(toRollup);
}
