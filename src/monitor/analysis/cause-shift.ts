/**
 * @module Cause shift: the dominant failure cause changed (refused → filtered since ...). Every
 * split between buckets with failures is scored by the G-test of "cause" against "before/after"
 * (a 2×C table); the best split's chi-square tail, times the splits tried, is the p. The cause
 * must dominate each side, and keep dominating in both halves of its side, so one burst of a
 * different cause (an outage) is not a shift.
 */
import type { Cause } from "../../trace/events.js";
import { KEEP_LN_P, NOTHING, type RuleResult } from "./candidate.js";
import { causesText, count, iso, pct, when } from "./format.js";
import { addCounts, type SeriesView, slotStart, topOf } from "./series.js";
import { adjustLog, chiSquareTailLog, formatP } from "./stats.js";
import type { CauseShiftFinding } from "./types.js";

/** Each side of a shift holds at least this many failures (fewer say nothing about a cause). */
const MIN_SIDE_FAILURES = 6;
/** The dominant cause of a side has at least this share of that side's failures. */
const MIN_DOMINANT_SHARE = 0.6;

type Counts = Partial<Record<Cause, number>>;

/** The slots with failures, in time order. */
function failingBuckets(v: SeriesView): number[] {
  const out: number[] = [];
  for (let k = 0; k < v.slots.length; k++) if (v.failedAt[v.slots[k]] > 0) out.push(v.slots[k]);
  return out;
}

const NONE: Counts = {};
const causesAt = (v: SeriesView, slot: number): Counts => v.causesAt.get(slot) ?? NONE;

/** G = 2 Σ O ln(O/E) of a 2×C table given as before-counts and totals. */
function gStatistic(before: Float64Array, total: Float64Array, nBefore: number, n: number) {
  let g = 0;
  const nAfter = n - nBefore;
  for (let c = 0; c < total.length; c++) {
    const t = total[c];
    if (t === 0) continue;
    const o1 = before[c];
    const o2 = t - o1;
    if (o1 > 0) g += o1 * Math.log((o1 * n) / (t * nBefore));
    if (o2 > 0) g += o2 * Math.log((o2 * n) / (t * nAfter));
  }
  return 2 * g;
}

/** Sum of causes over the failing list's slots [from..to). */
function causesOver(v: SeriesView, list: readonly number[], from: number, to: number): Counts {
  const out: Counts = {};
  for (let i = from; i < to; i++) addCounts(out, causesAt(v, list[i]));
  return out;
}

/** True when `cause` dominates both halves of list[from..to). */
function holds(v: SeriesView, list: readonly number[], from: number, to: number, cause: Cause) {
  const mid = Math.floor((from + to) / 2);
  return [causesOver(v, list, from, mid), causesOver(v, list, mid, to)].every(
    (c) => topOf(c)[0] === cause,
  );
}

/** The best split: index into the failing list where the after side starts, and its G. */
function bestSplit(v: SeriesView, list: readonly number[], causes: readonly Cause[]) {
  const index = new Map(causes.map((c, i) => [c, i]));
  const total = new Float64Array(causes.length);
  // Each bucket's causes as (index, count) pairs, read once: `ends[i]` closes bucket i's.
  const pairs: number[] = [];
  const ends = new Int32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const m = causesAt(v, list[i]);
    for (const c in m) {
      const at = index.get(c as Cause)!;
      const count = m[c as Cause] ?? 0;
      total[at] += count;
      pairs.push(at, count);
    }
    ends[i] = pairs.length;
  }
  const n = total.reduce((a, b) => a + b, 0);
  const before = new Float64Array(causes.length);
  let nBefore = 0;
  let [at, g, splits] = [-1, 0, 0];
  for (let i = 0, p = 0; i < list.length - 1; i++) {
    for (; p < ends[i]; p += 2) {
      before[pairs[p]] += pairs[p + 1];
      nBefore += pairs[p + 1];
    }
    if (nBefore < MIN_SIDE_FAILURES || n - nBefore < MIN_SIDE_FAILURES) continue;
    splits++;
    const gi = gStatistic(before, total, nBefore, n);
    if (gi > g) [at, g] = [i + 1, gi];
  }
  return { at, g, splits };
}

/**
 * The cause shift of one series, if its dominant failure cause changed.
 * @example causeShift(view).found[0]?.finding.summary // "Failures changed from refused to filtered since 2026-11-12 14:00 UTC ..."
 */
export function causeShift(v: SeriesView): RuleResult {
  const causes = Object.keys(v.byCause) as Cause[];
  if (v.failed < 2 * MIN_SIDE_FAILURES || causes.length < 2) return NOTHING;
  const list = failingBuckets(v);
  const split = bestSplit(v, list, causes);
  if (split.at < 0) return { tested: 1, found: [] };
  const lnP = adjustLog(chiSquareTailLog(split.g, causes.length - 1), split.splits);
  if (lnP >= KEEP_LN_P) return { tested: 1, found: [] };
  const before = causesOver(v, list, 0, split.at);
  const after = causesOver(v, list, split.at, list.length);
  const [from, nFrom] = topOf(before);
  const [to, nTo] = topOf(after);
  const sum = (c: Counts) => Object.values(c).reduce((a: number, b) => a + (b ?? 0), 0);
  const [nB, nA] = [sum(before), sum(after)];
  if (from === to || nFrom < MIN_DOMINANT_SHARE * nB || nTo < MIN_DOMINANT_SHARE * nA)
    return { tested: 1, found: [] };
  if (!holds(v, list, 0, split.at, from) || !holds(v, list, split.at, list.length, to))
    return { tested: 1, found: [] };
  const last = { start: slotStart(v.period, list[split.at - 1]) };
  const first = { start: slotStart(v.period, list[split.at]) };
  const finding: CauseShiftFinding = {
    kind: "cause-shift",
    target: v.target,
    vantage: v.vantage,
    summary: `Failures changed from ${from} to ${to} since ${when(first.start)}: before, ${count(nFrom)} of ${count(nB)} failures were ${from}; since, ${count(nTo)} of ${count(nA)} are ${to}.`,
    confidence: 0,
    evidence: [
      `before: ${causesText(before)} (${pct(nFrom / nB)} ${from}); the last bucket with failures starts ${when(last.start)}`,
      `since: ${causesText(after)} (${pct(nTo / nA)} ${to}); the first bucket with failures starts ${when(first.start)}`,
      `G-test of cause against before/since, best of ${count(split.splits)} splits: ${formatP(lnP)}`,
    ],
    from,
    to,
    at: iso(first.start),
  };
  return { tested: 1, found: [{ finding, lnP }] };
}
