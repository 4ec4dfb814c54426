/**
 * @module What `teldoc monitor report` reads, and in what order it goes into the report builder.
 * Up to 3 days: the 5-min rollups. Longer: the days with their hours — one row per target and
 * day instead of 24 1-h rollups, and the same findings as those (analysis/builder.ts reads a
 * day's hours as its 1-h rollups) — or, with `read: "hours"`, the 1-h rollups themselves (the
 * reference the day path is measured and tested against). Then the failed rounds of the raw
 * samples, for the correlated minutes.
 */
import { reportBuilder } from "./analysis/builder.js";
import type { Report } from "./analysis/types.js";
import type { Store } from "./store/types.js";

const DAY_MS = 86_400_000;
/** Periods up to this long are read from 5-min rollups. */
export const FIVE_MINUTE_UP_TO_MS = 3 * DAY_MS;

export interface ReportQuery {
  /** Epoch ms, inclusive. */
  readonly since: number;
  /** Epoch ms, exclusive. */
  readonly until: number;
  readonly target?: string;
  readonly vantage?: string;
  /** Past 3 days: "days" (the default) or every 1-h rollup ("hours"). */
  readonly read?: "days" | "hours";
}

/**
 * The report of `store` over a period.
 * @example await readReport(store, { since: Date.now() - 30 * 86_400_000, until: Date.now() })
 */
export async function readReport(store: Store, q: ReportQuery): Promise<Report> {
  const { since, until } = q;
  const only = {
    ...(q.target !== undefined ? { target: q.target } : {}),
    ...(q.vantage !== undefined ? { vantage: q.vantage } : {}),
  };
  const b = reportBuilder({ since, until, targets: await store.targets(q.vantage) });
  if (until - since <= FIVE_MINUTE_UP_TO_MS) {
    for await (const r of store.rollups({ ...only, since, until, seconds: 300 })) b.addRollup(r);
  } else if (q.read === "hours") {
    for await (const r of store.rollups({ ...only, since, until, seconds: 3600 })) b.addRollup(r);
  } else {
    // The first day starts before `since`: the builder takes its hours from `since` on.
    const first = Math.floor(since / DAY_MS) * DAY_MS;
    for await (const d of store.days({ ...only, since: first, until })) b.addDay(d);
  }
  const minPerMinute = b.failuresWorthReading();
  for await (const f of store.failures({ ...only, since, until, minPerMinute }))
    b.addFailedRound(f);
  return b.finish();
}
