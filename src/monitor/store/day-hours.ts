/**
 * @module A day's hours (`DayHours`), pure: each entry is set from that hour's 1-h rollup
 * accumulator (the stores do it at every write, after merging, so an entry always says what
 * the hour's rollup says), encoded compactly (a healthy hour is 5-6 bytes: rounds, connects
 * sent, the p50), and read back for the report. Also the pure fold of samples into 1-day
 * rollups with their hours, which both stores must equal.
 */
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES, type Sample } from "../sample.js";
import {
  ByteReader,
  ByteWriter,
  readAccHead,
  readCauses,
  readSketch,
  writeAccHead,
  writeCauses,
  writeSketch,
} from "./codec.js";
import {
  compareAccs,
  emptyAcc,
  foldSamples,
  mergeAcc,
  orderedCounts,
  type RollupAcc,
  type SeriesAcc,
  toRollup,
} from "./rollup.js";
import { sketchPercentile } from "./rtt-sketch.js";
import type { DayHours, DayRollup, Rollup } from "./types.js";

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
  readonly byCause: (Counts | null)[];
}

// Array literals: V8 copies them from a template, the fastest way to a fresh small array
// (a month of a fleet is 300,000 days, seven arrays each).
// biome-ignore format: 24 hours on one line
const zeros = (): number[] => [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
// biome-ignore format: 24 hours on one line
const nulls = (): null[] => [null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null];
const NaN_ = Number.NaN;
// biome-ignore format: 24 hours on one line
const nans = (): number[] => [NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_, NaN_];

/** A day with no round yet. */
export function emptyHours(): MutableDayHours {
  return {
    rounds: zeros(),
    skipped: zeros(),
    ok: zeros(),
    sent: zeros(),
    answered: zeros(),
    p50: nans(),
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
  hours.p50[h] =
    acc.rttMin === null || acc.rttMax === null
      ? Number.NaN
      : (sketchPercentile(acc.sketch, 0.5, acc.rttMin, acc.rttMax) ?? Number.NaN);
  hours.byCause[h] = failed > 0 ? orderedCounts(acc.byCause, CAUSE_NAMES) : null;
}

/**
 * Per hour: rounds × 2 + 1 when anything is irregular (then skipped, failed and unanswered
 * follow); nothing more for an hour without rounds; else connects sent, the p50 (a measure),
 * and the causes when some round failed.
 */
export function writeHours(w: ByteWriter, hours: DayHours): void {
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const rounds = hours.rounds[h] ?? 0;
    const skipped = hours.skipped[h] ?? 0;
    const failed = rounds - skipped - (hours.ok[h] ?? 0);
    const unanswered = (hours.sent[h] ?? 0) - (hours.answered[h] ?? 0);
    const irregular = skipped > 0 || failed > 0 || unanswered > 0;
    w.uint(rounds * 2 + (irregular ? 1 : 0));
    if (rounds === 0) continue;
    if (irregular) for (const n of [skipped, failed, unanswered]) w.uint(n);
    w.uint(hours.sent[h] ?? 0);
    const p50 = hours.p50[h] ?? Number.NaN;
    w.measure(Number.isNaN(p50) ? null : p50);
    if (failed > 0) writeCauses(w, hours.byCause[h] ?? {});
  }
}

/** The hours `writeHours` wrote. */
export function readHours(r: ByteReader): MutableDayHours {
  const out = emptyHours();
  const { rounds, skipped, ok, sent, answered, p50, byCause } = out;
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const header = r.uint();
    if (header < 2) continue;
    const n = (header - (header % 2)) / 2;
    let s = 0;
    let failed = 0;
    let unanswered = 0;
    if (header % 2 === 1) {
      s = r.uint();
      failed = r.uint();
      unanswered = r.uint();
    }
    const sentH = r.uint();
    rounds[h] = n;
    skipped[h] = s;
    ok[h] = n - s - failed;
    sent[h] = sentH;
    answered[h] = sentH - unanswered;
    p50[h] = r.measure() ?? Number.NaN;
    if (failed > 0) byCause[h] = readCauses(r);
  }
  return out;
}

/**
 * A day's row as SQLite keeps it: its accumulator's head (counts, RTT min/max), its RTT p50
 * and p90, its hours, and last its sketch — which only a write reads back (to merge), so a
 * report reads a day without decoding it.
 */
export function encodeDay(acc: RollupAcc, hours: DayHours): Buffer {
  const w = new ByteWriter();
  writeAccHead(w, acc);
  const [min, max] = [acc.rttMin, acc.rttMax];
  for (const p of [0.5, 0.9])
    w.measure(min === null || max === null ? null : sketchPercentile(acc.sketch, p, min, max));
  writeHours(w, hours);
  writeSketch(w, acc.sketch);
  return w.bytes();
}

/** A day's accumulator and hours from its SQLite row (to merge a write into it). */
export function readDayAcc(
  blob: Uint8Array,
  key: Pick<RollupAcc, "vantage" | "target" | "start">,
): { acc: RollupAcc; hours: MutableDayHours } {
  const r = new ByteReader(blob);
  const head = readAccHead(r);
  r.measure();
  r.measure();
  const hours = readHours(r);
  return { acc: { ...key, seconds: 86400, ...head, sketch: readSketch(r) }, hours };
}

/** The hours alone (PostgreSQL keeps the accumulator in columns). */
export function encodeHours(hours: DayHours): Buffer {
  const w = new ByteWriter();
  writeHours(w, hours);
  return w.bytes();
}

/** A day from its SQLite row. */
export function readDay(
  blob: Uint8Array,
  key: Pick<DayRollup, "vantage" | "target" | "start">,
): DayRollup {
  const r = new ByteReader(blob);
  const head = readAccHead(r);
  const p50 = r.measure();
  const p90 = r.measure();
  return {
    start: key.start,
    seconds: 86400,
    vantage: key.vantage,
    target: key.target,
    rounds: head.rounds,
    ok: head.ok,
    skipped: head.skipped,
    byCause: head.byCause,
    byStage: head.byStage,
    sent: head.sent,
    answered: head.answered,
    rttMs: { min: head.rttMin, p50, p90, max: head.rttMax },
    hours: readHours(r),
  };
}

/** A day without its hours: the 1-day Rollup. */
export function dayAsRollup(d: DayRollup): Rollup {
  const { hours: _, ...rollup } = d;
  return rollup;
}

/** A day from its rollup and hours. */
export function dayRollup(r: Rollup, hours: DayHours): DayRollup {
  return {
    start: r.start,
    seconds: 86400,
    vantage: r.vantage,
    target: r.target,
    rounds: r.rounds,
    ok: r.ok,
    skipped: r.skipped,
    byCause: r.byCause,
    byStage: r.byStage,
    sent: r.sent,
    answered: r.answered,
    rttMs: r.rttMs,
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
    if (acc.seconds !== 86400) continue;
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
  const acc = emptyAcc(first.vantage, first.target, 86400, dayStart(first.start));
  const hours = emptyHours();
  for (const hour of hourAccs) {
    mergeAcc(acc, hour);
    setHour(hours, hour);
  }
  return { acc, hours };
}

/**
 * The 1-day rollups of `samples` with their hours, in (vantage, target, start) order: what
 * `Store.days()` must return.
 * @example dayRollupsOf(samples)[0]?.hours.rounds[14] // rounds between 14:00 and 15:00 UTC
 */
export function dayRollupsOf(samples: Iterable<Sample>): DayRollup[] {
  const list = [...samples];
  const byDay = new Map<string, RollupAcc[]>();
  for (const acc of foldSamples(list, 3600)) {
    const key = `${acc.vantage}\u0000${acc.target}\u0000${dayStart(acc.start)}`;
    const group = byDay.get(key);
    if (group) group.push(acc);
    else byDay.set(key, [acc]);
  }
  return [...byDay.values()]
    .map((group) => {
      const { acc, hours } = dayOfHours(group);
      return dayRollup(toRollup(acc), hours);
    })
    .sort(compareAccs);
}
