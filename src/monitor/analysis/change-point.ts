/**
 * @module Change points in a series' connect RTT (the buckets' p50) or connect loss: a new level
 * that stays. Pettitt's rank test finds the split and its p (ranks: a few wild buckets cannot
 * make a change); then the effect must be large enough to matter (median before vs after), and
 * sharp (the buckets right either side of the split differ by at least half the whole step), so
 * a slow drift or a noisy but steady RTT is not called a change.
 */
import { KEEP_LN_P, type RuleResult } from "./candidate.js";
import { count, HOUR_MS, iso, msText, pct, when } from "./format.js";
import { type SeriesView, slotStart } from "./series.js";
import { formatP, median, pettitt } from "./stats.js";
import type { ChangePointFinding } from "./types.js";

/** Each side of a change lasts at least 6 hours: shorter is an episode, not a new level. */
const MIN_SEGMENT_MS = 6 * HOUR_MS;
/** ...and at least 6 buckets (ranks need a few). */
const MIN_SEGMENT_BUCKETS = 6;
/** RTT: the new median is at least 1.5× (or at most 1/1.5×) the old... */
const RTT_MIN_RATIO = 1.5;
/** ...and at least 0.5 ms away from it (sub-millisecond LAN jitter is nothing to act on). */
const RTT_MIN_DELTA_MS = 0.5;
/** Loss: the median bucket loss moves by at least 2 percentage points. */
const LOSS_MIN_DELTA = 0.02;
/** The step right at the split is at least this share of the whole step (a drift's is ~0). */
const LOCAL_SHARE = 0.5;

type Metric = ChangePointFinding["metric"];

/** One metric's values per bucket and the slot each came from. */
interface Values {
  readonly xs: Float64Array;
  readonly from: Int32Array;
}

/** Room for the values, reused from series to series (each metric's test is synchronous). */
let xsRoom = new Float64Array(0);
let fromRoom = new Int32Array(0);

function valuesOf(v: SeriesView, metric: Metric): Values {
  const at = metric === "rtt-p50" ? v.p50At : v.lossAt;
  if (xsRoom.length < v.slots.length) {
    xsRoom = new Float64Array(v.slots.length);
    fromRoom = new Int32Array(v.slots.length);
  }
  const xs = xsRoom;
  const from = fromRoom;
  let n = 0;
  for (let k = 0; k < v.slots.length; k++) {
    const s = v.slots[k];
    const x = at[s];
    if (!Number.isFinite(x)) continue;
    xs[n] = x;
    from[n++] = s;
  }
  return { xs: xs.subarray(0, n), from: from.subarray(0, n) };
}

/** True when a move from `a` to `b` is large enough to report. */
function matters(metric: Metric, a: number, b: number): boolean {
  const delta = Math.abs(b - a);
  if (metric === "loss") return delta >= LOSS_MIN_DELTA;
  return delta >= RTT_MIN_DELTA_MS && Math.max(a, b) >= RTT_MIN_RATIO * Math.min(a, b);
}

/**
 * Could any split matter? A segment of m or more values has its median between the
 * ceil(m/2)-th smallest and the ceil(m/2)-th largest of all values: if those two do not differ
 * enough, no split can (cheap: one pass with two small sorted buffers).
 */
function couldMatter(metric: Metric, xs: Float64Array, minSegment: number): boolean {
  const k = Math.ceil(minSegment / 2);
  const low = new Float64Array(k).fill(Number.POSITIVE_INFINITY);
  const high = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  for (let j = 0; j < xs.length; j++) {
    const x = xs[j];
    if (x < low[k - 1]) {
      let i = k - 1;
      for (; i > 0 && low[i - 1] > x; i--) low[i] = low[i - 1];
      low[i] = x;
    }
    if (x > high[k - 1]) {
      let i = k - 1;
      for (; i > 0 && high[i - 1] < x; i--) high[i] = high[i - 1];
      high[i] = x;
    }
  }
  return xs.length >= 2 * k && matters(metric, low[k - 1], high[k - 1]);
}

const show = (metric: Metric, x: number) => (metric === "loss" ? pct(x) : msText(x));

function word(v: SeriesView, metric: Metric, vals: Values, cut: Cut): ChangePointFinding {
  const startOf = (i: number) => slotStart(v.period, vals.from[i]);
  const n = vals.xs.length;
  const tAt = startOf(cut.at);
  const what = metric === "loss" ? "Connect loss (median per bucket)" : "Connect RTT median";
  const s = (x: number) => show(metric, x);
  const end = startOf(n - 1) + v.period.slotMs;
  return {
    kind: "change-point",
    target: v.target,
    vantage: v.vantage,
    summary: `${what} ${s(cut.before)} → ${s(cut.after)} since ${when(tAt)}.`,
    confidence: 0,
    evidence: [
      `before: median ${s(cut.before)} over ${count(cut.at)} buckets, ${when(startOf(0))} to ${when(tAt)}`,
      `after: median ${s(cut.after)} over ${count(n - cut.at)} buckets, ${when(tAt)} to ${when(end)}`,
      `the ${cut.m} buckets either side of the change: ${s(cut.localBefore)} → ${s(cut.localAfter)}`,
      `Pettitt rank test over ${count(n)} buckets: ${formatP(cut.lnP)}`,
    ],
    metric,
    at: iso(tAt),
    before: cut.before,
    after: cut.after,
  };
}

interface Cut {
  readonly at: number;
  readonly m: number;
  readonly before: number;
  readonly after: number;
  readonly localBefore: number;
  readonly localAfter: number;
  readonly lnP: number;
}

/** The change of one metric, if there is one that matters. */
function cutOf(metric: Metric, xs: Float64Array, minSegment: number): Cut | undefined {
  const p = pettitt(xs, minSegment);
  if (!p || p.lnP >= KEEP_LN_P) return undefined;
  const scratch = new Float64Array(xs.length);
  const n = xs.length;
  const before = median(xs, 0, p.at, scratch);
  const after = median(xs, p.at, n, scratch);
  if (!matters(metric, before, after)) return undefined;
  const m = minSegment;
  const localBefore = median(xs, p.at - m, p.at, scratch);
  const localAfter = median(xs, p.at, p.at + m, scratch);
  const local = localAfter - localBefore;
  if (Math.sign(local) !== Math.sign(after - before)) return undefined;
  if (Math.abs(local) < LOCAL_SHARE * Math.abs(after - before)) return undefined;
  return { at: p.at, m, before, after, localBefore, localAfter, lnP: p.lnP };
}

/**
 * Change points of one series, in RTT and in loss (two tests).
 * @example changePoints(view).found[0]?.finding.summary // "Connect RTT median 2.1 ms → 40 ms since 2026-11-12 14:05 UTC."
 */
export function changePoints(v: SeriesView): RuleResult {
  const minSegment = Math.max(MIN_SEGMENT_BUCKETS, Math.ceil(MIN_SEGMENT_MS / v.period.slotMs));
  let tested = 0;
  const found = [];
  for (const metric of ["rtt-p50", "loss"] as const) {
    const vals = valuesOf(v, metric);
    if (vals.xs.length < 2 * minSegment) continue;
    tested++;
    if (!couldMatter(metric, vals.xs, minSegment)) continue;
    const cut = cutOf(metric, vals.xs, minSegment);
    if (cut) found.push({ finding: word(v, metric, vals, cut), lnP: cut.lnP });
  }
  return { tested, found };
}
