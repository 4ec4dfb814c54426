/**
 * @module The chart's data (`/api/target/NAME/series`): one point per bucket of the period, gaps
 * as nulls (uPlot breaks the line there), as column arrays uPlot takes as they are.
 */
import type { Rollup } from "../store/types.js";
import type { Period } from "./target-data.js";

export interface ChartSeries {
  readonly target: string;
  readonly vantage: string;
  readonly since: string;
  readonly until: string;
  readonly seconds: number;
  /** Bucket starts, epoch seconds. */
  readonly t: number[];
  readonly min: (number | null)[];
  readonly max: (number | null)[];
  readonly p50: (number | null)[];
  readonly p90: (number | null)[];
  /** Connects not answered, % of those sent. */
  readonly lossPct: (number | null)[];
  /** Rounds that failed, % of those that ran. */
  readonly failedPct: (number | null)[];
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * The columns for one series' rollups over a period.
 * @example chartSeries("sw1", "lan", rollups, period).p50
 */
export function chartSeries(
  target: string,
  vantage: string,
  rollups: readonly Rollup[],
  p: Period,
): ChartSeries {
  const size = p.seconds * 1000;
  const at = new Map(rollups.map((r) => [r.start, r]));
  const out: ChartSeries = {
    target,
    vantage,
    since: new Date(p.since).toISOString(),
    until: new Date(p.until).toISOString(),
    seconds: p.seconds,
    t: [],
    min: [],
    max: [],
    p50: [],
    p90: [],
    lossPct: [],
    failedPct: [],
  };
  for (let t = p.since; t < p.until; t += size) {
    const r = at.get(t);
    const ran = r ? r.rounds - r.skipped : 0;
    out.t.push(t / 1000);
    out.min.push(r?.rttMs.min ?? null);
    out.max.push(r?.rttMs.max ?? null);
    out.p50.push(r?.rttMs.p50 ?? null);
    out.p90.push(r?.rttMs.p90 ?? null);
    out.lossPct.push(r && r.sent > 0 ? round((1 - r.answered / r.sent) * 100) : null);
    out.failedPct.push(r && ran > 0 ? round(((ran - r.ok) / ran) * 100) : null);
  }
  return out;
}
