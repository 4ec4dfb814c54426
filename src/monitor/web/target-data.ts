/**
 * @module What a target's pages read from the store, bounded by what they show: its rollups over
 * the period (5-min buckets up to 3 days, 1-h beyond: at most a few thousand per vantage), the
 * report over them (the analysis' findings), its most recent failed samples (at most
 * `MAX_FAILURES`, from the raw samples' last 7 days) and its kept traces.
 */
import { type Report, reportBuilder } from "../analysis/index.js";
import type { Sample } from "../sample.js";
import type { KeptTrace, Rollup, RollupSeconds, Store, TargetInfo } from "../store/types.js";

const DAY_MS = 86_400_000;
/** Failures listed on a target's page. */
export const MAX_FAILURES = 20;
/** Raw samples are kept 7 days by default: failures are looked for no further back. */
const FAILURE_WINDOW_MS = 7 * DAY_MS;

/** The bucket size for a period: 5 min up to 3 days, 1 h beyond (as `monitor report`). */
export function bucketSeconds(periodMs: number): RollupSeconds {
  return periodMs <= 3 * DAY_MS ? 300 : 3600;
}

export interface Period {
  readonly since: number;
  readonly until: number;
  readonly seconds: RollupSeconds;
}

/** The period ending now, aligned to its buckets. */
export function periodOf(now: number, periodMs: number): Period {
  const seconds = bucketSeconds(periodMs);
  const size = seconds * 1000;
  const until = Math.ceil((now + 1) / size) * size;
  return { since: until - Math.ceil(periodMs / size) * size, until, seconds };
}

/** Every vantage's rollups of one target, grouped by vantage (the store's order). */
export async function targetRollups(
  store: Store,
  target: string,
  p: Period,
  vantage?: string,
): Promise<Map<string, Rollup[]>> {
  const by = new Map<string, Rollup[]>();
  const q = { seconds: p.seconds, since: p.since, until: p.until, target };
  for await (const r of store.rollups(vantage === undefined ? q : { ...q, vantage })) {
    let list = by.get(r.vantage);
    if (!list) {
      list = [];
      by.set(r.vantage, list);
    }
    list.push(r);
  }
  return by;
}

/** The analysis over one target's rollups (every vantage: the vantage finding compares them). */
export function targetReport(
  by: ReadonlyMap<string, readonly Rollup[]>,
  p: Period,
  targets: readonly TargetInfo[],
): Report {
  const b = reportBuilder({ since: p.since, until: p.until, targets });
  for (const v of [...by.keys()].sort()) for (const r of by.get(v)!) b.addRollup(r);
  return b.finish();
}

/** The newest failed samples of one target from one vantage, newest first. */
export async function recentFailures(
  store: Store,
  target: string,
  vantage: string,
  p: Period,
): Promise<Sample[]> {
  const ring: Sample[] = [];
  const since = Math.max(p.since, p.until - FAILURE_WINDOW_MS);
  for await (const s of store.samples({
    since,
    until: p.until,
    target,
    vantage,
    failedOnly: true,
  })) {
    if (s.skipped) continue;
    ring.push(s);
    if (ring.length > MAX_FAILURES) ring.shift();
  }
  return ring.reverse();
}

/** The kept traces of one target from one vantage, by the failed sample's time (epoch ms). */
export async function keptTraces(
  store: Store,
  target: string,
  vantage: string,
): Promise<Map<number, KeptTrace>> {
  const out = new Map<number, KeptTrace>();
  for (const k of await store.traces(target, vantage)) out.set(Date.parse(k.t), k);
  return out;
}
