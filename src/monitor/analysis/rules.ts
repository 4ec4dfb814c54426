/**
 * @module The per-series rules, one array: each reads one target's series from one vantage and
 * says how many tests it ran and what it found. Cross-target findings (correlated, vantage) need
 * every series and live in the builder's finish.
 */
import type { RuleResult } from "./candidate.js";
import { causeShift } from "./cause-shift.js";
import { changePoints } from "./change-point.js";
import { recurringWindows } from "./recurring-window.js";
import type { SeriesView } from "./series.js";
import { explainedByWindows, timeOfDay } from "./time-of-day.js";
import type { FindingKind, RecurringWindowFinding } from "./types.js";

export interface SeriesRule {
  readonly kind: FindingKind;
  readonly run: (v: SeriesView) => RuleResult;
}

/** Every per-series rule. Idle-related drops need a held-session probe the monitor lacks yet. */
export const SERIES_RULES: readonly SeriesRule[] = [
  { kind: "recurring-window", run: recurringWindows },
  { kind: "time-of-day", run: timeOfDay },
  { kind: "change-point", run: changePoints },
  { kind: "cause-shift", run: causeShift },
];

/**
 * Run every rule on one series; `count` is told each rule's tests. A time-of-day finding whose
 * hours the series' recurring windows already cover is dropped (the window says it better).
 */
export function runRules(v: SeriesView, count: (kind: FindingKind, tests: number) => void) {
  const found = SERIES_RULES.flatMap((rule) => {
    const r = rule.run(v);
    count(rule.kind, r.tested);
    return r.found;
  });
  const windows = found
    .map((c) => c.finding)
    .filter((f): f is RecurringWindowFinding => f.kind === "recurring-window");
  return found.filter(
    (c) => c.finding.kind !== "time-of-day" || !explainedByWindows(c.finding, windows),
  );
}
