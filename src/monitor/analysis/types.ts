/**
 * @module What the analysis finds, in the contract's report shape (`monitor report --json`).
 * Every finding names the samples or buckets it rests on (evidence) and a confidence.
 */
import type { Cause } from "../../trace/events.js";

export const FINDING_KINDS = [
  "time-of-day",
  "recurring-window",
  "change-point",
  "correlated",
  "vantage",
  "cause-shift",
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];

interface FindingBase {
  readonly kind: FindingKind;
  readonly target: string | null;
  readonly vantage: string | null;
  /** One or two sentences for people. */
  readonly summary: string;
  /** 0..1 */
  readonly confidence: number;
  /** The facts it rests on, each a short line a person can check (times in UTC). */
  readonly evidence: readonly string[];
}

export interface TimeOfDayFinding extends FindingBase {
  readonly kind: "time-of-day";
  /** The hours of the week (0 = Sunday 00:00 UTC ... 167) where failures concentrate. */
  readonly hours: readonly number[];
}

export interface RecurringWindowFinding extends FindingBase {
  readonly kind: "recurring-window";
  /** 0-6, Sunday first; null for a daily window. */
  readonly weekday: number | null;
  /** "HH:MM" UTC. */
  readonly startUtc: string;
  readonly minutes: number;
  /** The weeks (or days, for a daily window) it was seen: ISO dates of each occurrence. */
  readonly weeks: readonly string[];
}

export interface ChangePointFinding extends FindingBase {
  readonly kind: "change-point";
  readonly metric: "rtt-p50" | "loss";
  /** ISO time of the change. */
  readonly at: string;
  readonly before: number;
  readonly after: number;
}

export interface CorrelatedFinding extends FindingBase {
  readonly kind: "correlated";
  /** ISO time of the minute. */
  readonly at: string;
  readonly targets: readonly string[];
}

export interface VantageFinding extends FindingBase {
  readonly kind: "vantage";
  readonly failing: readonly string[];
  readonly healthy: readonly string[];
}

export interface CauseShiftFinding extends FindingBase {
  readonly kind: "cause-shift";
  readonly from: Cause;
  readonly to: Cause;
  readonly at: string;
}

export type Finding =
  | TimeOfDayFinding
  | RecurringWindowFinding
  | ChangePointFinding
  | CorrelatedFinding
  | VantageFinding
  | CauseShiftFinding;

/** One target from one vantage over the report's period. */
export interface TargetReport {
  readonly target: string;
  readonly vantage: string;
  readonly rounds: number;
  /** Healthy rounds / rounds that ran (skipped rounds excluded), 0..1; null when none ran. */
  readonly availability: number | null;
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  readonly rttMs: { readonly p50: number | null; readonly p90: number | null };
  readonly findings: readonly Finding[];
}

/**
 * The totals of every target (and vantage) carrying one tag. Not named by the contract, which
 * allows extra fields where it is silent: `report --json` carries them as `tags`.
 */
export interface TagReport {
  readonly tag: string;
  /** Target-and-vantage series with this tag. */
  readonly series: number;
  readonly rounds: number;
  /** Healthy rounds / rounds that ran, over all of them; null when none ran. */
  readonly availability: number | null;
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  readonly rttMs: { readonly p50: number | null; readonly p90: number | null };
}

/** `monitor report --json`. */
export interface Report {
  /** ISO. */
  readonly since: string;
  readonly until: string;
  readonly targets: readonly TargetReport[];
  /** Per tag, by tag name (an extra field: see TagReport). */
  readonly tags: readonly TagReport[];
  /** Findings across targets (correlated, vantage) and per target, most confident first. */
  readonly findings: readonly Finding[];
}
