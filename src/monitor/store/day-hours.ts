/**
 * @module A day's hours (`DayHours`), pure: each entry is set from that hour's 1-h rollup
 * accumulator (the stores do it at every write, after merging, so an entry always says what
 * the hour's rollup says); the day's RTT p50/p90 from its hours; the days a write touched; the
 * pure fold of samples into days with their hours, which both stores must equal. The bytes are
 * day-codec.ts's.
 */
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES, type Sample } from "../sample.js";
import {
  compareAccs,
  DAY_SECONDS,
  emptyAcc,
  foldSamples,
  mergeAcc,
  orderedCounts,
  type RollupAcc,
  type SeriesAcc,
} from "./rollup.js";
import { sketchPercentiles } from "./rtt-sketch.js";
import type { DayHours, DayRollup } from "./types.js";

export const HOURS_PER_DAY = 24;
const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

type Counts = Partial<Record<Cause, number>>;

/** DayHours being built. */
export interface MutableDayHours extends DayHours {
  readonly rounds: number[];
  readonly skipped: number[];
  readonly ok: number[];
  readonly sent: number[];
  readonly answered: number[];
  readonly p50: number[];
  readonly p90: number[];
  readonly byCause: (Counts | null)[];
}

// Copies of templates: the fastest way to fresh small arrays of one kind of element (a month of
// a fleet is 300,000 days, eight arrays each).
const ZEROS: readonly number[] = new Array<number>(HOURS_PER_DAY).fill(0);
const NANS: readonly number[] = new Array<number>(HOURS_PER_DAY).fill(Number.NaN);
const NULLS: readonly null[] = new Array<null>(HOURS_PER_DAY).fill(null);
const zeros = () => ZEROS.slice();
const nans = () => NANS.slice();
const nulls = (): null[] => NULLS.slice();

/** A day with no round yet. */
export function emptyHours(): MutableDayHours {
  return {
    rounds: zeros(),
    skipped: zeros(),
    ok: zeros(),
    sent: zeros(),
    answered: zeros(),
    p50: nans(),
    p90: nans(),
    byCause: nulls(),
  };
}

/** The start (epoch ms) of the UTC day that holds t. */
export function dayStart(t: number): number {
  return Math.floor(t / DAY_MS) * DAY_MS;
}

/** Set the entry of the hour `acc` (a 1-h accumulator, merged) covers to what it says now. */
export function setHour(hours: MutableDayHours, acc: RollupAcc): void {
  const h = Math.floor((acc.start - dayStart(acc.start)) / HOUR_MS);
  const failed = acc.rounds - acc.skipped - acc.ok;
  hours.rounds[h] = acc.rounds;
  hours.skipped[h] = acc.skipped;
  hours.ok[h] = acc.ok;
  hours.sent[h] = acc.sent;
  hours.answered[h] = acc.answered;
  const [p50, p90] =
    acc.rttMin === null || acc.rttMax === null
      ? [null, null]
      : sketchPercentiles(acc.sketch, [0.5, 0.9], acc.rttMin, acc.rttMax);
  hours.p50[h] = p50 ?? Number.NaN;
  hours.p90[h] = p90 ?? Number.NaN;
  hours.byCause[h] = failed > 0 ? orderedCounts(acc.byCause, CAUSE_NAMES) : null;
}

/** What a day's hours add up to: its counts (a day's row keeps no other copy of them). */
export function dayTotals(
  hours: DayHours,
): Pick<RollupAcc, "rounds" | "ok" | "skipped" | "sent" | "answered"> {
  let [rounds, ok, skipped, sent, answered] = [0, 0, 0, 0, 0];
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    rounds += hours.rounds[h]!;
    ok += hours.ok[h]!;
    skipped += hours.skipped[h]!;
    sent += hours.sent[h]!;
    answered += hours.answered[h]!;
  }
  return { rounds, ok, skipped, sent, answered };
}

/** The lower weighted median of `values` (NaN ones left out); null when none weighs. */
function weightedMedian(values: readonly number[], weights: readonly number[]): number | null {
  const order: number[] = [];
  let total = 0;
  for (let h = 0; h < values.length; h++)
    if (Number.isFinite(values[h]) && weights[h]! > 0) {
      order.push(h);
      total += weights[h]!;
    }
  if (total === 0) return null;
  order.sort((a, b) => values[a]! - values[b]! || a - b);
  let seen = 0;
  for (const h of order) {
    seen += weights[h]!;
    if (seen >= total / 2) return values[h]!;
  }
  return values[order[order.length - 1]!]!;
}

/**
 * A day's connect RTT p50 and p90: the medians of its hours' p50 and p90, each hour weighted
 * by its connects answered.
 * @example dayPercentiles(hours) // { p50: 2.1, p90: 3.4 }
 */
export function dayPercentiles(hours: DayHours): { p50: number | null; p90: number | null } {
  return {
    p50: weightedMedian(hours.p50, hours.answered),
    p90: weightedMedian(hours.p90, hours.answered),
  };
}

/** A day from its accumulator (counts, RTT min/max) and its hours. */
export function dayRollup(acc: Omit<RollupAcc, "sketch">, hours: DayHours): DayRollup {
  const { p50, p90 } = dayPercentiles(hours);
  return {
    start: acc.start,
    seconds: 86400,
    vantage: acc.vantage,
    target: acc.target,
    rounds: acc.rounds,
    ok: acc.ok,
    skipped: acc.skipped,
    byCause: orderedCounts(acc.byCause, CAUSE_NAMES),
    byStage: acc.byStage,
    sent: acc.sent,
    answered: acc.answered,
    rttMs: { min: acc.rttMin, p50, p90, max: acc.rttMax },
    hours,
  };
}

/** The key of a series' day among a write's accumulators. */
export function dayKey(series: number, t: number): string {
  return `${series}:${dayStart(t)}`;
}

/**
 * The hours of every day a write touched, each touched hour set from its merged 1-h
 * accumulator (call after merging the write's accumulators with the stored ones); `stored`
 * gives a day's hours as stored, undefined for a new day. Keyed by `dayKey`.
 */
export function touchedDays(
  list: readonly SeriesAcc[],
  stored: (series: number, dayStart: number) => MutableDayHours | undefined,
): Map<string, MutableDayHours> {
  const days = new Map<string, MutableDayHours>();
  for (const { series, acc } of list) {
    if (acc.seconds !== DAY_SECONDS) continue;
    days.set(dayKey(series, acc.start), stored(series, acc.start) ?? emptyHours());
  }
  for (const { series, acc } of list) {
    if (acc.seconds !== 3600) continue;
    const hours = days.get(dayKey(series, acc.start));
    if (hours) setHour(hours, acc);
  }
  return days;
}

/**
 * A day's accumulator and hours from its 1-h accumulators (one target's, any order): what a
 * migration builds for the days written before days were kept, and what a bulk load writes.
 */
export function dayOfHours(hourAccs: readonly RollupAcc[]): {
  acc: RollupAcc;
  hours: MutableDayHours;
} {
  const first = hourAccs[0];
  if (!first) throw new RangeError("a day needs at least one hour");
  const acc = emptyAcc(first.vantage, first.target, DAY_SECONDS, dayStart(first.start));
  const hours = emptyHours();
  for (const hour of hourAccs) {
    mergeAcc(acc, { ...hour, sketch: new Map() });
    setHour(hours, hour);
  }
  return { acc, hours };
}

/**
 * The days of `samples` with their hours, in (vantage, target, start) order: what
 * `Store.days()` must return.
 * @example dayRollupsOf(samples)[0]?.hours.rounds[14] // rounds between 14:00 and 15:00 UTC
 */
export function dayRollupsOf(samples: Iterable<Sample>): DayRollup[] {
  const byDay = new Map<string, RollupAcc[]>();
  for (const acc of foldSamples(samples, 3600)) {
    const key = `${acc.vantage}\u0000${acc.target}\u0000${dayStart(acc.start)}`;
    const group = byDay.get(key);
    if (group) group.push(acc);
    else byDay.set(key, [acc]);
  }
  return [...byDay.values()]
    .map((group) => {
      const { acc, hours } = dayOfHours(group);
      return dayRollup(acc, hours);
    })
    .sort(compareAccs);
}
