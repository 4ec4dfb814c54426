/**
 * @module The report of a synthetic history both ways `teldoc monitor report` can read it: from
 * its 1-h rollups, and from days with their hours (what a report over more than 3 days reads),
 * asserting that both say the same — every finding, and every total but the RTT percentiles
 * (a day's percentiles stand for its hours there). Analysis tests use it so each finding is
 * checked on the path users get.
 */
import assert from "node:assert/strict";
import { type AnalysisInput, analyse } from "../monitor/analysis/builder.js";
import { daysOf } from "../monitor/analysis/days.js";
import type { Report } from "../monitor/analysis/types.js";

/** A report without its RTT percentiles (the one thing the two ways may word differently). */
export function withoutRtt(r: Report): unknown {
  return {
    ...r,
    targets: r.targets.map(({ rttMs: _, ...t }) => t),
    tags: r.tags.map(({ rttMs: _, ...t }) => t),
  };
}

/**
 * The report of `h`; when its rollups are 1-h ones, read from days too and asserted the same.
 * @example analyseAsStored(synthetic({ seed: 1, days: 28, targets: 3 })).findings
 */
export function analyseAsStored(h: AnalysisInput): Report {
  const rollups = [...(h.rollups ?? [])];
  const full = analyse({ ...h, rollups });
  if (rollups.length === 0 || rollups.some((r) => r.seconds !== 3600)) return full;
  const fromDays = analyse({ ...h, rollups: undefined, days: daysOf(rollups) });
  assert.deepEqual(withoutRtt(fromDays), withoutRtt(full), "days and 1-h rollups disagree");
  return fromDays;
}
