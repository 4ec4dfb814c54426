/**
 * @module The monitor's storage, behind one interface: SQLite (the embedded default) and
 * PostgreSQL (for fleets and many vantage points) implement it, and one shared case suite
 * runs against both. Raw samples are kept `rawDays`; every write also folds them into
 * rollups (5 min, 1 h and 1 day: counts by cause and stage, connect RTT percentiles; a day also
 * its hours), which are kept longer. A sample is known by (vantage, target, t): writing it again changes nothing. `write` resolves only once the samples are durable: what was acknowledged survives
 * `kill -9`.
 */
import type { Cause } from "../../trace/events.js";
import type { Level, Sample, Stage } from "../sample.js";

/** Which samples: all bounds optional; `since` inclusive, `until` exclusive (epoch ms). */
export interface SampleQuery {
  readonly since?: number;
  readonly until?: number;
  readonly target?: string;
  readonly vantage?: string;
  /** Only failed rounds (not ok; skipped ones included). */
  readonly failedOnly?: boolean;
}

/** The rollup sizes, in seconds (and, apart, days with their hours: `DayRollup`). */
export const ROLLUP_SECONDS = [300, 3600] as const;
export type RollupSeconds = (typeof ROLLUP_SECONDS)[number];

/** One target's rounds from one vantage in one time bucket. */
export interface Rollup {
  /** The bucket's start, epoch ms (a multiple of `seconds` * 1000). */
  readonly start: number;
  readonly seconds: RollupSeconds;
  readonly vantage: string;
  readonly target: string;
  /** Every round, skipped ones included. */
  readonly rounds: number;
  /** Healthy rounds. */
  readonly ok: number;
  /** Rounds the scheduler skipped (counted in rounds, not in byCause). */
  readonly skipped: number;
  /** Failed rounds by cause (healthy not counted). */
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  /** Failed rounds by stage. */
  readonly byStage: Readonly<Partial<Record<Stage, number>>>;
  /** TCP connects sent and answered (loss = 1 - answered/sent). */
  readonly sent: number;
  readonly answered: number;
  /** Connect RTT percentiles over every answered connect in the bucket, ms; null when none. */
  readonly rttMs: {
    readonly min: number | null;
    readonly p50: number | null;
    readonly p90: number | null;
    readonly max: number | null;
  };
}

/** Which rollups. */
export interface RollupQuery extends SampleQuery {
  readonly seconds: RollupSeconds;
}

/**
 * A day's hours as the report reads them, kept up to date with the day's 1-h rollups (each
 * entry is what that hour's rollup says). Index h is the hour h:00-h+1:00 UTC; an hour with no
 * round is 0 everywhere, its p50 NaN. Arrays of numbers, not objects per hour: a month of a
 * fleet is millions of hours.
 */
export interface DayHours {
  readonly rounds: readonly number[];
  readonly skipped: readonly number[];
  readonly ok: readonly number[];
  readonly sent: readonly number[];
  readonly answered: readonly number[];
  /**
   * The hour's connect RTT p50 and p90 (its 1-h rollup's), ms; NaN when no connect was
   * answered (where a Rollup says null: NaN keeps the arrays plain doubles).
   */
  readonly p50: readonly number[];
  readonly p90: readonly number[];
  /** Failed rounds by cause in the hours with failures; null in the others. */
  readonly byCause: readonly (Readonly<Partial<Record<Cause, number>>> | null)[];
}

/**
 * One target's UTC day from one vantage: its counts like a rollup's, and its hours. Its connect
 * RTT min and max are exact; its p50 and p90 are the medians of its hours' p50 and p90, each
 * hour weighted by its connects answered (a day keeps no RTT histogram of its own: its hours
 * already cost most of what the storage goal leaves).
 */
export interface DayRollup extends Omit<Rollup, "seconds"> {
  readonly seconds: 86400;
  readonly hours: DayHours;
}

/** A failed round (not a skipped one) as the report's correlated minutes read it. */
export interface FailedRound {
  /** Epoch ms. */
  readonly t: number;
  readonly vantage: string;
  readonly target: string;
  readonly cause: Cause;
}

/** Which failed rounds. */
export interface FailureQuery extends PeriodQuery {
  /**
   * Only those of minutes (UTC, whole) holding at least this many failed rounds, skipped ones
   * counted, of any vantage point: a report's correlated minutes need that many.
   */
  readonly minPerMinute?: number;
}

/**
 * Which series over which period. For days, a day is selected by its start, like a rollup
 * (`since` ≤ start < `until`); for failed rounds, by their time.
 */
export type PeriodQuery = Omit<SampleQuery, "failedOnly">;

/** A target as last configured (tags let the report group by them). */
export interface TargetInfo {
  readonly name: string;
  readonly vantage: string;
  readonly host: string;
  readonly port: number;
  readonly level: Level;
  readonly tags: readonly string[];
}

/** A short trace kept for one of the most recent failures of a target. */
export interface KeptTrace {
  readonly vantage: string;
  readonly target: string;
  /** The failed sample's `t` (ISO). */
  readonly t: string;
  /** The trace as JSON Lines (the `--trace` format), passwords already masked. */
  readonly jsonl: string;
}

/** How long each kind of record is kept, in days. */
export interface Retention {
  readonly rawDays: number;
  readonly rollup5mDays: number;
  /** 1-h rollups, and 1-day ones with them. */
  readonly rollup1hDays: number;
  /** Traces kept per target and vantage (the most recent failures). */
  readonly tracesPerTarget: number;
}

export const DEFAULT_RETENTION: Retention = {
  rawDays: 7,
  rollup5mDays: 35,
  rollup1hDays: 400,
  tracesPerTarget: 5,
};

/** What `compact` did. */
export interface CompactResult {
  readonly rolledUp: number;
  readonly deletedSamples: number;
  readonly deletedRollups: number;
  readonly deletedTraces: number;
}

export interface Store {
  /** The storage URL with any password removed (for messages). */
  readonly url: string;
  /** Append samples; resolves once they are durable (acknowledged). */
  write(samples: readonly Sample[]): Promise<void>;
  /** Raw samples in time order (ties by vantage, target), streamed in pages. */
  samples(q?: SampleQuery): AsyncIterable<Sample>;
  /**
   * Rollups ordered by vantage, target, then start — one target's series after another, so a
   * report over 10,000 targets streams in bounded memory. A bucket is selected by its start
   * (`since` ≤ start < `until`); `failedOnly` keeps buckets with a round that was not ok.
   * Rollups are kept up to date at every write, so a query sees every round whether or not
   * the raw samples are still kept.
   */
  rollups(q: RollupQuery): AsyncIterable<Rollup>;
  /**
   * The days with their hours, in the order of `rollups()`, kept as long as the 1-h rollups:
   * what a report over weeks reads (one row per target and day instead of 24).
   */
  days(q: PeriodQuery): AsyncIterable<DayRollup>;
  /**
   * The failed rounds of the kept raw samples (skipped ones are not failures), in time order
   * (ties in no set order): `samples({ failedOnly: true })` without what a report does not read.
   */
  failures(q: FailureQuery): AsyncIterable<FailedRound>;
  /** Record the configured targets (replacing what this vantage said before). */
  putTargets(vantage: string, targets: readonly TargetInfo[]): Promise<void>;
  targets(vantage?: string): Promise<TargetInfo[]>;
  /** Keep a failure's trace; only the newest `tracesPerTarget` per target stay. */
  keepTrace(trace: KeptTrace): Promise<void>;
  traces(target: string, vantage?: string): Promise<KeptTrace[]>;
  /**
   * Delete what is past its retention before `now` (epoch ms): raw samples older than
   * `rawDays` (both stores keep the 5-min and 1-h rollups up to date at every write, so those
   * rounds live on in them; `rolledUp` counts the samples retired that way), rollups whose
   * bucket ended before their size's retention, traces beyond `tracesPerTarget`. Idempotent.
   */
  compact(now: number, retention?: Retention): Promise<CompactResult>;
  close(): Promise<void>;
}
