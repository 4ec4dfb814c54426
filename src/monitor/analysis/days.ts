/**
 * @module Days with their hours from 1-h rollups, pure: what a store's `days()` says of those
 * rollups (the same day-hours.ts rules: the day's RTT p50/p90 are its hours'). For tests and
 * benches that make rollups (synthetic.ts) and want the report as `teldoc monitor report`
 * reads it over weeks.
 */
import type { Cause } from "../../trace/events.js";
import type { Stage } from "../sample.js";
import { dayPercentiles } from "../store/day-hours.js";
import type { DayHours, DayRollup, Rollup } from "../store/types.js";
import { DAY_MS, HOUR_MS } from "./format.js";
import { addCounts, failedOf } from "./series.js";

interface Building {
  readonly first: Rollup;
  readonly hours: { -readonly [K in keyof DayHours]: DayHours[K][number][] };
  readonly byCause: Partial<Record<Cause, number>>;
  readonly byStage: Partial<Record<Stage, number>>;
  rounds: number;
  ok: number;
  skipped: number;
  sent: number;
  answered: number;
  min: number | null;
  max: number | null;
}

function building(first: Rollup): Building {
  const zeros = () => new Array<number>(24).fill(0);
  return {
    first,
    hours: {
      rounds: zeros(),
      skipped: zeros(),
      ok: zeros(),
      sent: zeros(),
      answered: zeros(),
      p50: new Array(24).fill(Number.NaN),
      p90: new Array(24).fill(Number.NaN),
      byCause: new Array(24).fill(null),
    },
    byCause: {},
    byStage: {},
    rounds: 0,
    ok: 0,
    skipped: 0,
    sent: 0,
    answered: 0,
    min: null,
    max: null,
  };
}

function addHour(b: Building, r: Rollup): void {
  const h = Math.floor((r.start % DAY_MS) / HOUR_MS);
  b.hours.rounds[h] = r.rounds;
  b.hours.skipped[h] = r.skipped;
  b.hours.ok[h] = r.ok;
  b.hours.sent[h] = r.sent;
  b.hours.answered[h] = r.answered;
  b.hours.p50[h] = r.rttMs.p50 ?? Number.NaN;
  b.hours.p90[h] = r.rttMs.p90 ?? Number.NaN;
  b.hours.byCause[h] = failedOf(r) > 0 ? r.byCause : null;
  b.rounds += r.rounds;
  b.ok += r.ok;
  b.skipped += r.skipped;
  b.sent += r.sent;
  b.answered += r.answered;
  addCounts(b.byCause, r.byCause);
  addCounts(b.byStage, r.byStage);
  const { min, max } = r.rttMs;
  if (min !== null && (b.min === null || min < b.min)) b.min = min;
  if (max !== null && (b.max === null || max > b.max)) b.max = max;
}

function finish(b: Building): DayRollup {
  const { p50, p90 } = dayPercentiles(b.hours);
  return {
    start: Math.floor(b.first.start / DAY_MS) * DAY_MS,
    seconds: 86400,
    vantage: b.first.vantage,
    target: b.first.target,
    rounds: b.rounds,
    ok: b.ok,
    skipped: b.skipped,
    byCause: b.byCause,
    byStage: b.byStage,
    sent: b.sent,
    answered: b.answered,
    rttMs: { min: p50 === null ? null : b.min, p50, p90, max: p50 === null ? null : b.max },
    hours: b.hours,
  };
}

/**
 * The days of 1-h rollups (any order), in the store's order: vantage, target, start.
 * @example daysOf(synthetic({ seed: 1, days: 28, targets: 3 }).rollups).length // 3 × 28
 */
export function daysOf(hourly: Iterable<Rollup>): DayRollup[] {
  const days = new Map<string, Building>();
  for (const r of hourly) {
    if (r.seconds !== 3600)
      throw new RangeError(`days are made of 1-h rollups, not of ${r.seconds}-s ones`);
    const key = `${r.vantage}\u0000${r.target}\u0000${Math.floor(r.start / DAY_MS)}`;
    let b = days.get(key);
    if (!b) {
      b = building(r);
      days.set(key, b);
    }
    addHour(b, r);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...days.values()]
    .map(finish)
    .sort((a, b) => cmp(a.vantage, b.vantage) || cmp(a.target, b.target) || a.start - b.start);
}
