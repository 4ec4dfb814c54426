/**
 * @module Vantage: the same target failing from some vantage points and healthy from others over
 * the same buckets → the path from the failing ones. Each series of a target probed from more
 * than one vantage leaves a small summary (its active buckets as runs, its failing buckets);
 * for every pair the failures are compared over the buckets both ran: given the f + h failures
 * of the pair, "same rate from both" makes the failing side's share Binomial(f + h, its share of
 * the rounds), whose upper tail is the p. Buckets are minutes long at least, so clock skew of
 * seconds between vantage points moves no failure out of its bucket but at an edge.
 */
import { type Candidate, KEEP_LN_P } from "./candidate.js";
import { count, namesText, pct } from "./format.js";
import type { SeriesView } from "./series.js";
import { binomialTailLog, formatP } from "./stats.js";
import type { VantageFinding } from "./types.js";

/** The failing side has at least 5 failures in the shared buckets (fewer is anecdote). */
const MIN_FAILURES = 5;
/** ...and at least 5 times the other side's failure rate there. */
const MIN_RATE_RATIO = 5;
/** So many targets with the same failing/healthy vantage sets become one finding. */
export const MERGE_AT = 3;
const MAX_NAMES = 8;

/** What one series keeps for the comparison. */
export interface VantageSummary {
  readonly target: string;
  readonly vantage: string;
  readonly ran: number;
  /** Active buckets as [start, end) slot pairs, in order. */
  readonly runs: Int32Array;
  readonly activeSlots: number;
  readonly failSlots: Int32Array;
  readonly failCounts: Float64Array;
}

/** A series' summary (reads the scratch arrays: call before they are cleared). */
export function summarize(v: SeriesView): VantageSummary {
  const runs: number[] = [];
  const failSlots: number[] = [];
  const failCounts: number[] = [];
  let active = 0;
  for (let k = 0; k < v.slots.length; k++) {
    const s = v.slots[k];
    if (v.ranAt[s] <= 0) continue;
    active++;
    if (runs.length && runs[runs.length - 1] === s) runs[runs.length - 1] = s + 1;
    else if (!runs.length || runs[runs.length - 1] < s) runs.push(s, s + 1);
    if (v.failedAt[s] > 0) {
      failSlots.push(s);
      failCounts.push(v.failedAt[s]);
    }
  }
  return {
    target: v.target,
    vantage: v.vantage,
    ran: v.ran,
    runs: Int32Array.from(runs),
    activeSlots: active,
    failSlots: Int32Array.from(failSlots),
    failCounts: Float64Array.from(failCounts),
  };
}

function activeAt(runs: Int32Array, s: number): boolean {
  let lo = 0;
  let hi = runs.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (s < runs[2 * mid]) hi = mid - 1;
    else if (s >= runs[2 * mid + 1]) lo = mid + 1;
    else return true;
  }
  return false;
}

function overlap(a: Int32Array, b: Int32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    n += Math.max(0, Math.min(a[i + 1], b[j + 1]) - Math.max(a[i], b[j]));
    if (a[i + 1] < b[j + 1]) i += 2;
    else j += 2;
  }
  return n;
}

/** One side of a pair over the shared buckets: rounds (estimated) and failures. */
function side(a: VantageSummary, b: VantageSummary, shared: number) {
  let failed = 0;
  for (let i = 0; i < a.failSlots.length; i++)
    if (activeAt(b.runs, a.failSlots[i])) failed += a.failCounts[i];
  return { rounds: (a.ran * shared) / Math.max(1, a.activeSlots), failed };
}

interface Pair {
  readonly failing: VantageSummary;
  readonly healthy: VantageSummary;
  readonly f: ReturnType<typeof side>;
  readonly h: ReturnType<typeof side>;
  readonly lnP: number;
}

/** The pair's test when `a` fails markedly more than `b`; undefined otherwise. */
function compare(a: VantageSummary, b: VantageSummary): Pair | undefined {
  const shared = overlap(a.runs, b.runs);
  if (shared === 0) return undefined;
  const f = side(a, b, shared);
  const h = side(b, a, shared);
  if (f.failed < MIN_FAILURES || f.rounds <= 0 || h.rounds <= 0) return undefined;
  if (f.failed / f.rounds < MIN_RATE_RATIO * (h.failed / h.rounds)) return undefined;
  const share = f.rounds / (f.rounds + h.rounds);
  const lnP = binomialTailLog(f.failed + h.failed, share, f.failed);
  return { failing: a, healthy: b, f, h, lnP };
}

const line = (s: VantageSummary, x: ReturnType<typeof side>) =>
  `${s.vantage}: ${count(x.failed)} of ~${count(x.rounds)} rounds failed (${pct(x.failed / x.rounds)})`;

function word(target: string, pairs: readonly Pair[]): VantageFinding {
  const failing = [...new Set(pairs.map((p) => p.failing.vantage))].sort();
  const healthy = [...new Set(pairs.map((p) => p.healthy.vantage))]
    .filter((v) => !failing.includes(v))
    .sort();
  const best = pairs.reduce((a, b) => (b.lnP < a.lnP ? b : a));
  return {
    kind: "vantage",
    target,
    vantage: null,
    summary: `${target} fails from ${namesText(failing)} but not from ${namesText(healthy)} over the same time: the path from ${namesText(failing)}, not the server.`,
    confidence: 0,
    evidence: pairs
      .slice(0, 4)
      .map(
        (p) =>
          `over the buckets both ran: ${line(p.failing, p.f)}; ${line(p.healthy, p.h)} (${formatP(p.lnP)})`,
      ),
    failing,
    healthy: healthy.length ? healthy : [best.healthy.vantage],
  };
}

/**
 * The vantage findings of a target's summaries (one per vantage), and how many pairs were tested.
 * @example vantageFindings("core-sw1", [lan, dc]).found[0]?.finding.summary // "core-sw1 fails from office-lan but not from dc-east ..."
 */
export function vantageFindings(
  target: string,
  series: readonly VantageSummary[],
): { tested: number; found: Candidate[] } {
  const pairs: Pair[] = [];
  let tested = 0;
  for (const a of series)
    for (const b of series) {
      if (a === b || a.failSlots.length === 0) continue;
      tested++;
      const p = compare(a, b);
      if (p && p.lnP < KEEP_LN_P) pairs.push(p);
    }
  if (!pairs.length) return { tested, found: [] };
  const lnP = Math.min(...pairs.map((p) => p.lnP));
  return { tested, found: [{ finding: word(target, pairs), lnP }] };
}

/** A vantage finding with its sort strength (see candidate.ts). */
export interface SettledVantage {
  readonly finding: VantageFinding;
  readonly strength: number;
}

/**
 * Many targets with the same failing and healthy vantage points: one finding for them all (the
 * path from those vantage points), at the strongest of their confidences.
 */
export function mergeVantage(found: readonly SettledVantage[]): SettledVantage[] {
  const groups = new Map<string, SettledVantage[]>();
  for (const x of found) {
    const key = `${x.finding.failing.join(",")}|${x.finding.healthy.join(",")}`;
    groups.set(key, [...(groups.get(key) ?? []), x]);
  }
  const out: SettledVantage[] = [];
  for (const g of groups.values()) {
    if (g.length < MERGE_AT) {
      out.push(...g);
      continue;
    }
    const best = g.reduce((a, b) => (b.strength > a.strength ? b : a)).finding;
    const targets = g.map((x) => x.finding.target ?? "").sort();
    const finding: VantageFinding = {
      ...best,
      target: null,
      summary: `${g.length} targets fail from ${namesText(best.failing)} but not from ${namesText(best.healthy)} over the same time: the path from ${namesText(best.failing)}, not the servers.`,
      evidence: [`targets: ${namesText(targets, MAX_NAMES)}`, ...best.evidence.slice(0, 2)],
    };
    out.push({ finding, strength: Math.max(...g.map((x) => x.strength)) });
  }
  return out;
}
