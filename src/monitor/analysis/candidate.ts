/**
 * @module A finding before the report-wide correction: each rule returns candidates with the
 * log tail probability of their test (already corrected for the tries inside one series) and
 * says how many series it tested; `settle` corrects for every test of that kind in the report
 * (Bonferroni) and keeps what is still confident. So confidence = 1 − p, where p is the chance
 * that noise alone would have produced a finding this strong anywhere in the report.
 */
import { adjustLog, confidenceOf } from "./stats.js";
import type { Finding, FindingKind } from "./types.js";

/**
 * Report a finding only when noise would make one this strong in fewer than 5 % of reports
 * (per kind): a fleet report of 10,000 targets must not fill with coincidences.
 */
export const MIN_CONFIDENCE = 0.95;
/** ln of the largest per-series p worth keeping: past it, no correction can bring it under. */
export const KEEP_LN_P = Math.log(1 - MIN_CONFIDENCE);

/** A finding (confidence not yet set) and its test's ln p. */
export interface Candidate {
  readonly finding: Finding;
  readonly lnP: number;
}

/** What one rule made of one series: how many tests it ran (0 or 1 series) and what it found. */
export interface RuleResult {
  readonly tested: number;
  readonly found: readonly Candidate[];
}

export const NOTHING: RuleResult = { tested: 0, found: [] };

/** A settled finding with the strength it was sorted by. */
export interface Settled {
  readonly finding: Finding;
  /** −ln p after correction: ties of confidence (1.00) are broken by it. */
  readonly strength: number;
}

/** Counts tests per kind across the report. */
export class TestCounter {
  private readonly n = new Map<FindingKind, number>();

  add(kind: FindingKind, tests: number): void {
    this.n.set(kind, (this.n.get(kind) ?? 0) + tests);
  }

  get(kind: FindingKind): number {
    return this.n.get(kind) ?? 0;
  }
}

/**
 * Correct a candidate for every test of its kind; undefined when it is no longer confident.
 * @example settle({ finding, lnP: Math.log(1e-9) }, tests)?.finding.confidence // 1
 */
export function settle(c: Candidate, tests: TestCounter): Settled | undefined {
  const lnP = adjustLog(c.lnP, tests.get(c.finding.kind));
  const confidence = confidenceOf(lnP);
  if (confidence < MIN_CONFIDENCE) return undefined;
  return { finding: { ...c.finding, confidence }, strength: -lnP };
}

/** Most confident first; equal confidence by strength, then kind and target for a stable order. */
export function byConfidence(a: Settled, b: Settled): number {
  return (
    b.finding.confidence - a.finding.confidence ||
    b.strength - a.strength ||
    a.finding.kind.localeCompare(b.finding.kind) ||
    (a.finding.target ?? "").localeCompare(b.finding.target ?? "")
  );
}
