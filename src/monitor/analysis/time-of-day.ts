/**
 * @module Time-of-day: failures concentrated at some hours of the week (or of every day),
 * against the series' own baseline. Each of the 168 hours of the week and 24 hours of the day is
 * tested: under "failures fall uniformly over the rounds that ran", an hour's failures are
 * Binomial(rounds in that hour, baseline rate); its upper tail is the p. To keep one bad
 * afternoon from passing as a pattern, each hour is tested without its worst week (or day):
 * the excess must recur.
 */
import { KEEP_LN_P, NOTHING, type RuleResult } from "./candidate.js";
import {
  count,
  EPOCH_WEEKDAY,
  HOUR_MS,
  hhmm,
  hourOfWeek,
  pct,
  WEEKDAYS,
  WEEKDAYS_SHORT,
} from "./format.js";
import type { SeriesView } from "./series.js";
import { adjustLog, binomialTailLog, formatP } from "./stats.js";
import type { RecurringWindowFinding, TimeOfDayFinding } from "./types.js";

/** Fewer failures than this in the period make no pattern worth a person's time. */
export const MIN_FAILURES = 8;
/** An hour stands out only at three times the baseline rate or more (an effect, not a wobble). */
export const MIN_RATE_RATIO = 3;
/** ...and with at least this many failures once its worst week or day is left out. */
const MIN_HOUR_FAILURES = 3;
/** Tests inside one series: 168 hours of the week and 24 hours of the day. */
const TESTS = 168 + 24;
/** Evidence lines for the hours, strongest first. */
const MAX_EVIDENCE_HOURS = 4;

/** Per-bin sums over the period, and the worst single occurrence (week or day) of each bin. */
interface Bins {
  readonly n: Float64Array;
  readonly x: Float64Array;
  readonly worstX: Float64Array;
  readonly worstN: Float64Array;
}

function bins(size: number): Bins {
  const a = () => new Float64Array(size);
  return { n: a(), x: a(), worstX: a(), worstN: a() };
}

/** The bins, reused from series to series (a report tests thousands; each test is synchronous). */
const WEEK_BINS = bins(168);
const DAY_BINS = bins(24);

function emptied(b: Bins): Bins {
  for (const a of [b.n, b.x, b.worstX, b.worstN]) a.fill(0);
  return b;
}

/** Adds one hour's rounds to bin i. */
function put(b: Bins, i: number, n: number, x: number): void {
  b.n[i] += n;
  b.x[i] += x;
  if (x > b.worstX[i]) {
    b.worstX[i] = x;
    b.worstN[i] = n;
  }
}

/** Folds the series' slots into hours of the week and of the day. */
function fold(v: SeriesView): { week: Bins; day: Bins } {
  const week = emptied(WEEK_BINS);
  const day = emptied(DAY_BINS);
  if (v.period.slotMs === HOUR_MS) foldHours(v, week, day);
  else foldSlots(v, week, day);
  return { week, day };
}

/** Slots shorter than an hour: those of one hour are consecutive; sum them, then add the hour. */
function foldSlots(v: SeriesView, week: Bins, day: Bins): void {
  const { start, slotMs } = v.period;
  let hour = -1;
  let n = 0;
  let x = 0;
  for (let k = 0; k <= v.slots.length; k++) {
    const s = v.slots[k];
    const h = k < v.slots.length ? Math.floor((start + s * slotMs) / HOUR_MS) : -2;
    if (h !== hour) {
      if (hour >= 0 && n > 0) {
        put(week, hourOfWeek(hour * HOUR_MS), n, x);
        put(day, hour % 24, n, x);
      }
      hour = h;
      n = 0;
      x = 0;
    }
    if (h >= 0) {
      n += v.ranAt[s];
      x += v.failedAt[s];
    }
  }
}

/** 1-h slots, the common case: each is its own hour (a slot given twice counts twice). */
function foldHours(v: SeriesView, week: Bins, day: Bins): void {
  const { slots, ranAt, failedAt } = v;
  const first = v.period.start / HOUR_MS;
  // The bins of slot 0; slot s is s hours on (small integers: no floating-point modulo).
  const week0 = ((((first + EPOCH_WEEKDAY * 24) % 168) + 168) % 168) | 0;
  const day0 = (((first % 24) + 24) % 24) | 0;
  for (let k = 0; k < slots.length; ) {
    const s = slots[k];
    let m = 1;
    while (k + m < slots.length && slots[k + m] === s) m++;
    k += m;
    const n = ranAt[s] * m;
    if (n <= 0 || first + s < 0) continue;
    const x = failedAt[s] * m;
    put(week, (week0 + s) % 168, n, x);
    put(day, (day0 + s) % 24, n, x);
  }
}

/** ln p of each bin that stands out (undefined where none does). */
function test(b: Bins, rate: number): Map<number, number> {
  const out = new Map<number, number>();
  for (let i = 0; i < b.n.length; i++) {
    const x = b.x[i] - b.worstX[i];
    const n = b.n[i] - b.worstN[i];
    if (x < MIN_HOUR_FAILURES || x < MIN_RATE_RATIO * rate * n) continue;
    const lnP = adjustLog(binomialTailLog(n, rate, x), TESTS);
    if (lnP < KEEP_LN_P) out.set(i, lnP);
  }
  return out;
}

/** "02:00-05:00, 14:00-15:00": contiguous runs of hours of the day. */
function hourRuns(hours: readonly number[]): string {
  const runs: string[] = [];
  let i = 0;
  while (i < hours.length) {
    let j = i;
    while (j + 1 < hours.length && hours[j + 1] === hours[j] + 1) j++;
    runs.push(`${hhmm(hours[i] * 60)}-${hhmm((hours[j] + 1) * 60)}`);
    i = j + 1;
  }
  return runs.join(", ");
}

/**
 * Hours of the week in words: "every day 14:00-15:00", "Mon-Fri 09:00-12:00", "Sun 02:00-03:00".
 * @example describeHours([2]) // "Sunday 02:00-03:00"
 */
export function describeHours(hours: readonly number[]): string {
  const perDay = WEEKDAYS.map((_, d) =>
    hours.filter((h) => Math.floor(h / 24) === d).map((h) => h % 24),
  );
  const keyOf = (d: number) => perDay[d].join(",");
  if (perDay.every((_, d) => keyOf(d) === keyOf(0))) return `every day ${hourRuns(perDay[0])}`;
  const parts: string[] = [];
  let d = 0;
  while (d < 7) {
    if (!perDay[d].length) {
      d++;
      continue;
    }
    let e = d;
    while (e + 1 < 7 && keyOf(e + 1) === keyOf(d)) e++;
    const days = d === e ? (WEEKDAYS[d] ?? "") : `${WEEKDAYS_SHORT[d]}-${WEEKDAYS_SHORT[e]}`;
    parts.push(`${days} ${hourRuns(perDay[d])}`);
    d = e + 1;
  }
  return parts.join("; ");
}

function hourLine(label: string, b: Bins, i: number, rate: number, lnP: number): string {
  const expected = b.n[i] * rate;
  return `${label}: ${count(b.x[i])} failures in ${count(b.n[i])} rounds (${pct(b.x[i] / b.n[i])}), ${expected.toFixed(1)} expected at the baseline (${formatP(lnP)}, without its worst ${b.n.length === 24 ? "day" : "week"})`;
}

/**
 * The time-of-day finding of one series, if its failures concentrate at some hours.
 * @example timeOfDay(view).found[0]?.finding.summary // "Failures concentrate every day 14:00-15:00 UTC: ..."
 */
export function timeOfDay(v: SeriesView): RuleResult {
  if (v.failed < MIN_FAILURES || v.rate <= 0 || v.rate >= 1) return NOTHING;
  const { week, day } = fold(v);
  const inWeek = test(week, v.rate);
  const inDay = test(day, v.rate);
  if (!inWeek.size && !inDay.size) return { tested: 1, found: [] };
  const hours = new Set(inWeek.keys());
  for (let h = 0; h < 168; h++)
    if (inDay.has(h % 24) && week.x[h] >= MIN_RATE_RATIO * v.rate * week.n[h]) hours.add(h);
  const sorted = [...hours].sort((a, b) => a - b);
  const strongest = [
    ...[...inDay].map(([i, lnP]) => ({ label: `every day ${hourRuns([i])}`, b: day, i, lnP })),
    ...[...inWeek].map(([i, lnP]) => ({ label: describeHours([i]), b: week, i, lnP })),
  ].sort((a, b) => a.lnP - b.lnP);
  const lnP = strongest[0].lnP;
  const inHours = sorted.reduce((s, h) => s + week.x[h], 0);
  const finding: TimeOfDayFinding = {
    kind: "time-of-day",
    target: v.target,
    vantage: v.vantage,
    summary: `Failures concentrate ${describeHours(sorted)} UTC: ${count(inHours)} of ${count(v.failed)} failures fall in those hours, against a baseline of ${pct(v.rate)} of rounds.`,
    confidence: 0,
    evidence: [
      ...strongest
        .slice(0, MAX_EVIDENCE_HOURS)
        .map((s) => hourLine(`${s.label} UTC`, s.b, s.i, v.rate, s.lnP)),
      `baseline: ${count(v.failed)} failures in ${count(v.ran)} rounds that ran (${pct(v.rate)})`,
    ],
    hours: sorted,
  };
  return { tested: 1, found: [{ finding, lnP }] };
}

/** The hours of the week a recurring window touches. */
function windowHours(w: RecurringWindowFinding): Set<number> {
  const out = new Set<number>();
  const [hh, mm] = w.startUtc.split(":").map(Number);
  const days = w.weekday === null ? [0, 1, 2, 3, 4, 5, 6] : [w.weekday];
  for (const d of days) {
    const first = d * 24 * 60 + hh * 60 + mm;
    for (let m = first; m < first + w.minutes; m += 60) out.add(Math.floor(m / 60) % 168);
    out.add(Math.floor((first + w.minutes - 1) / 60) % 168);
  }
  return out;
}

/** True when every hour of a time-of-day finding lies in the series' recurring windows. */
export function explainedByWindows(
  t: TimeOfDayFinding,
  windows: readonly RecurringWindowFinding[],
): boolean {
  if (!windows.length) return false;
  const covered = new Set<number>();
  for (const w of windows) for (const h of windowHours(w)) covered.add(h);
  return t.hours.every((h) => covered.has(h));
}
