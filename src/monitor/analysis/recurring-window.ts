/**
 * @module Recurring windows: the same weekday and time failing across weeks ("a maintenance
 * window?"), or the same time every day. A bucket is *bad* when a good part of its rounds
 * failed, improbably at the series' own rate; a window is a run of bucket positions in the week (or day) that were bad
 * in at least two weeks (days). Its test: with q the share of the series' buckets that are bad,
 * a given week is bad somewhere in a window of L buckets with chance q_L = 1 − (1 − q)^L; k of
 * W weeks so is Binomial(W, q_L); that tail, times the number of windows of that length in a
 * week, is the p. A window seen in one week only is an outage, not a window.
 */
import type { Cause } from "../../trace/events.js";
import { KEEP_LN_P, NOTHING, type RuleResult } from "./candidate.js";
import {
  causesText,
  clock,
  count,
  DAY_MS,
  EPOCH_WEEKDAY,
  hhmm,
  isoDate,
  minutesText,
  WEEKDAYS,
  WEEKDAYS_SHORT,
  weekdayOf,
} from "./format.js";
import { addCounts, type SeriesView } from "./series.js";
import { binomialTailLog, formatP } from "./stats.js";
import type { RecurringWindowFinding } from "./types.js";

/** A bucket is bad when noise at the series' rate makes its failures rarer than 1 in 1,000... */
const BAD_BUCKET_LN_P = Math.log(1e-3);
/** ...and at least this many of its rounds failed (one failed round is no window)... */
const MIN_BAD_FAILURES = 2;
/**
 * ...and at least a quarter of them: in a maintenance window most rounds fail, and a 15-minute
 * window still fails a quarter of an hourly bucket. Hours where a few more rounds fail than
 * usual are a time-of-day pattern, not a window.
 */
const MIN_BAD_SHARE = 0.25;
/** A weekly window must be seen in at least two weeks (three make it convincing: see the p). */
export const MIN_WEEKS = 2;
/** A position belongs to a window when it was bad in at least this many weeks (days). */
const RECUR = 2;
/** A daily window must be seen on at least three days. */
export const MIN_DAYS = 3;
/** A daily window shows on at least this many different weekdays; else it is weekly. */
const DAILY_MIN_WEEKDAYS = 3;
/** Occurrences listed one per evidence line; the rest are counted. */
const MAX_OCCURRENCE_LINES = 6;

type Cycle = "week" | "day";

/** One window found in one cycle, before it is worded. */
interface Window {
  readonly cycle: Cycle;
  /** The window's first position in the cycle, in buckets. */
  readonly pos: number;
  readonly length: number;
  /** The absolute bucket index where each occurrence starts; and the cycles it ran healthy. */
  readonly occurrences: readonly number[];
  readonly healthy: readonly number[];
  readonly lnP: number;
}

/** Marks the bad buckets; returns how many buckets ran and how many were bad. */
function markBad(v: SeriesView, bad: Uint8Array): { observed: number; bad: number } {
  const thresholds = new Map<number, number>();
  const threshold = (n: number): number => {
    let k = thresholds.get(n);
    if (k === undefined) {
      k = MIN_BAD_FAILURES;
      while (k <= n && binomialTailLog(n, v.rate, k) >= BAD_BUCKET_LN_P) k++;
      thresholds.set(n, k);
    }
    return k;
  };
  let observed = 0;
  let nBad = 0;
  for (let k = 0; k < v.slots.length; k++) {
    const s = v.slots[k];
    const n = v.ranAt[s];
    if (n <= 0) continue;
    observed++;
    const x = v.failedAt[s];
    if (x >= MIN_BAD_FAILURES && x >= MIN_BAD_SHARE * n && x >= threshold(n)) {
      bad[s] = 1;
      nBad++;
    }
  }
  return { observed, bad: nBad };
}

/** Runs of positions (circular) where at least `min` cycles were bad: [start, length][]. */
function runs(counts: Uint16Array, min: number): [number, number][] {
  const S = counts.length;
  let anchor = -1;
  for (let j = 0; j < S; j++) if (counts[j] < min) anchor = j;
  if (anchor < 0) return [[0, S]];
  const out: [number, number][] = [];
  let start = -1;
  for (let t = 1; t <= S; t++) {
    const j = (anchor + t) % S;
    if (counts[j] >= min && start < 0) start = j;
    if (counts[j] < min && start >= 0) {
      out.push([start, (j - start + S) % S]);
      start = -1;
    }
  }
  return out;
}

/** The windows of one cycle (week or day) in one series. */
function windowsIn(v: SeriesView, bad: Uint8Array, q: number, cycle: Cycle, min: number) {
  const { start, slotMs, slots } = v.period;
  const perDay = DAY_MS / slotMs;
  const S = cycle === "week" ? 7 * perDay : perDay;
  const offset = cycle === "week" ? EPOCH_WEEKDAY * perDay : 0;
  const abs0 = start / slotMs + offset;
  const counts = new Uint16Array(S);
  for (let s = 0; s < slots; s++) if (bad[s]) counts[(abs0 + s) % S]++;
  const found: Window[] = [];
  for (const [pos, length] of runs(counts, RECUR)) {
    const occurrences: number[] = [];
    const healthy: number[] = [];
    for (let c = Math.floor(abs0 / S) - 1; c <= Math.floor((abs0 + slots) / S); c++) {
      const first = c * S + pos - abs0;
      let ran = false;
      let hit = false;
      for (let t = 0; t < length; t++) {
        const s = first + t;
        if (s < 0 || s >= slots) continue;
        ran ||= v.ranAt[s] > 0;
        hit ||= bad[s] === 1;
      }
      if (hit) occurrences.push(first);
      else if (ran) healthy.push(first);
    }
    const k = occurrences.length;
    if (k < min) continue;
    const qL = -Math.expm1(length * Math.log1p(-Math.min(q, 1 - 1e-12)));
    const lnP = binomialTailLog(k + healthy.length, qL, k) + Math.log(Math.max(1, S / length));
    if (lnP < KEEP_LN_P) found.push({ cycle, pos, length, occurrences, healthy, lnP });
  }
  return found;
}

/**
 * Rounds and causes of one occurrence: the window's buckets from `first` on (`active` marks the
 * slots where the series has a bucket).
 */
function occurrenceLine(v: SeriesView, w: Window, first: number, active: Uint8Array): string {
  const { start, slotMs } = v.period;
  let ran = 0;
  let failed = 0;
  const causes: Partial<Record<Cause, number>> = {};
  for (let t = 0; t < w.length; t++) {
    const s = first + t;
    if (s < 0 || s >= active.length || !active[s]) continue;
    ran += v.ranAt[s];
    failed += v.failedAt[s];
    const c = v.causesAt.get(s);
    if (c) addCounts(causes, c);
  }
  const t0 = start + first * slotMs;
  const t1 = t0 + w.length * slotMs;
  const why = failed ? ` (${causesText(causes)})` : "";
  return `${WEEKDAYS_SHORT[weekdayOf(t0)]} ${isoDate(t0)} ${clock(t0)}-${clock(t1)} UTC: ${count(failed)} of ${count(ran)} rounds failed${why}`;
}

function word(v: SeriesView, w: Window, active: Uint8Array): RecurringWindowFinding {
  const slotMinutes = v.period.slotMs / 60_000;
  const startMinute = w.pos * slotMinutes;
  const minutes = w.length * slotMinutes;
  const weekday = w.cycle === "week" ? Math.floor(startMinute / 1440) : null;
  const span = `${hhmm(startMinute)}-${hhmm(startMinute + minutes)} UTC`;
  const when = weekday === null ? `every day ${span}` : `every ${WEEKDAYS[weekday]} ${span}`;
  const dates = w.occurrences.map((s) => isoDate(v.period.start + s * v.period.slotMs));
  const unit = weekday === null ? "days" : `${WEEKDAYS[weekday]}s`;
  const missed = w.healthy.length ? `; healthy in that window on ${w.healthy.length} more` : "";
  const lines = w.occurrences.slice(0, MAX_OCCURRENCE_LINES);
  return {
    kind: "recurring-window",
    target: v.target,
    vantage: v.vantage,
    summary: `Fails ${when} (${minutesText(minutes)}), a maintenance window? Seen on ${w.occurrences.length} ${unit}: ${dates.slice(0, MAX_OCCURRENCE_LINES).join(", ")}${dates.length > MAX_OCCURRENCE_LINES ? ", ..." : ""}${missed}.`,
    confidence: 0,
    evidence: [
      ...lines.map((s) => occurrenceLine(v, w, s, active)),
      ...(w.occurrences.length > lines.length
        ? [`and ${w.occurrences.length - lines.length} more occurrences`]
        : []),
      ...w.healthy.slice(0, 2).map((s) => `healthy: ${occurrenceLine(v, w, s, active)}`),
      `${w.occurrences.length} of ${w.occurrences.length + w.healthy.length} ${w.cycle}s bad in this window; by chance at this target's rate of bad buckets: ${formatP(w.lnP)}`,
    ],
    weekday,
    startUtc: hhmm(startMinute),
    minutes,
    weeks: dates,
  };
}

/** Minutes of the day a window covers, as [from, to) (to may pass 1440). */
function dayRange(w: Window, slotMinutes: number): [number, number] {
  const from = (w.pos * slotMinutes) % 1440;
  return [from, from + w.length * slotMinutes];
}

function overlapsDaily(w: Window, daily: readonly Window[], slotMinutes: number): boolean {
  const [a0, a1] = dayRange(w, slotMinutes);
  return daily.some((d) => {
    const [b0, b1] = dayRange(d, slotMinutes);
    return [-1440, 0, 1440].some((shift) => a0 < b1 + shift && b0 + shift < a1);
  });
}

/**
 * The recurring windows of one series: daily ones first (seen on three or more weekdays), then
 * weekly ones that a daily window does not already explain.
 * @example recurringWindows(view).found[0]?.finding.summary // "Fails every Sunday 02:00-02:30 UTC ..."
 */
export function recurringWindows(v: SeriesView): RuleResult {
  if (v.failed < MIN_BAD_FAILURES * MIN_WEEKS || v.rate <= 0) return NOTHING;
  const bad = new Uint8Array(v.period.slots);
  const { observed, bad: nBad } = markBad(v, bad);
  if (nBad < MIN_WEEKS) return { tested: 1, found: [] };
  const q = nBad / observed;
  const slotMinutes = v.period.slotMs / 60_000;
  const daily = windowsIn(v, bad, q, "day", MIN_DAYS).filter(
    (w) =>
      new Set(w.occurrences.map((s) => weekdayOf(v.period.start + s * v.period.slotMs))).size >=
      DAILY_MIN_WEEKDAYS,
  );
  const weekly = windowsIn(v, bad, q, "week", MIN_WEEKS).filter(
    (w) => !overlapsDaily(w, daily, slotMinutes),
  );
  const active = new Uint8Array(v.period.slots);
  for (let k = 0; k < v.slots.length; k++) active[v.slots[k]] = 1;
  const found = [...daily, ...weekly].map((w) => ({ finding: word(v, w, active), lnP: w.lnP }));
  return { tested: 1, found };
}
