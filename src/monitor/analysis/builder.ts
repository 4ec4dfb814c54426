/**
 * @module The report, built as the store streams: `reportBuilder` takes rollups — or days with
 * their hours, which read as 1-h rollups at a 24th of the rows — one series after another
 * (vantage, target, start — the store's order) and the failed samples in time order, then
 * `finish()` returns the contract's Report. A bucket counts when its start is in the period.
 * Per-series work is O(buckets); memory is one series plus a small summary per series.
 * `analyse` is the same over arrays. Pure: no I/O, no clock — the period is given.
 */
import { TeldocError } from "../../errors.js";
import type { Sample } from "../sample.js";
import type { DayRollup, FailedRound, Rollup, RollupSeconds, TargetInfo } from "../store/types.js";
import { LoadAccumulator, SeriesAccumulator, TagAccumulator } from "./accumulate.js";
import { byConfidence, type Candidate, type Settled, settle, TestCounter } from "./candidate.js";
import { correlated, FailureMinutes, failuresWorthReading } from "./correlated.js";
import { DAY_MS, HOUR_MS, iso, MINUTE_MS } from "./format.js";
import { runRules } from "./rules.js";
import { failedOf, type Period, periodOf } from "./series.js";
import type { Report, TargetReport } from "./types.js";
import {
  mergeVantage,
  type SettledVantage,
  summarize,
  type VantageSummary,
  vantageFindings,
} from "./vantage.js";

/** What the report covers, and the configured targets (for tags and vantage points). */
export interface ReportOptions {
  /** Epoch ms, inclusive. */
  readonly since: number;
  /** Epoch ms, exclusive. */
  readonly until: number;
  readonly targets?: readonly TargetInfo[];
}

export interface ReportBuilder {
  /** One rollup; a series' rollups come together (the store's order). */
  addRollup(r: Rollup): void;
  /**
   * One day with its hours, read as the day's 1-h rollups (its totals, RTT from the day's
   * percentiles); a series' days come together. A report takes rollups or days, not both.
   */
  addDay(d: DayRollup): void;
  /** One failed sample (healthy and skipped ones are ignored), in time order. */
  addFailure(s: Sample): void;
  /** One failed round (the store's `failures()`), in time order. */
  addFailedRound(f: FailedRound): void;
  /**
   * Once the rollups or days are in: the fewest failed rounds (all vantage points together) a
   * minute needs for its failures to matter (fewer cannot make a correlated minute), so a
   * reader may skip the others (`Store.failures({ minPerMinute })`).
   */
  failuresWorthReading(): number;
  finish(): Report;
}

/** One series' totals and candidate findings, kept until the end. */
interface SeriesResult {
  readonly report: Omit<TargetReport, "findings">;
  readonly candidates: readonly Candidate[];
}

const keyOf = (vantage: string, target: string) => `${vantage}\u0000${target}`;

type Input = "rollups" | "days";

class Builder implements ReportBuilder {
  private period: Period | undefined;
  private input: Input | undefined;
  private series: SeriesAccumulator | undefined;
  private load: LoadAccumulator | undefined;
  private readonly tags = new TagAccumulator();
  private readonly minutes = new FailureMinutes();
  private readonly tests = new TestCounter();
  private readonly results: SeriesResult[] = [];
  private readonly seen = new Set<string>();
  private readonly summaries = new Map<string, VantageSummary[]>();
  private readonly tagsOf = new Map<string, readonly string[]>();
  private readonly vantagesOf = new Map<string, Set<string>>();

  constructor(private readonly o: ReportOptions) {
    if (!(o.until > o.since))
      throw new TeldocError(
        "TELDOC_ERR_INVALID_ARGUMENT",
        `the report's period is empty: until (${o.until}) is not after since (${o.since})`,
      );
    for (const t of o.targets ?? []) {
      this.tagsOf.set(keyOf(t.vantage, t.name), t.tags);
      if (!this.tagsOf.has(t.name)) this.tagsOf.set(t.name, t.tags);
      const vs = this.vantagesOf.get(t.name) ?? new Set();
      vs.add(t.vantage);
      this.vantagesOf.set(t.name, vs);
    }
  }

  private start(seconds: RollupSeconds, input: Input): SeriesAccumulator {
    if (!this.period) {
      this.period = periodOf(this.o.since, this.o.until, seconds);
      this.input = input;
      this.series = new SeriesAccumulator(this.period);
      this.load = new LoadAccumulator(this.period);
    } else if (seconds !== this.period.seconds || input !== this.input) {
      throw new TeldocError(
        "TELDOC_ERR_INVALID_ARGUMENT",
        input !== this.input
          ? "rollups and days in one report: a report reads one or the other"
          : `rollups of ${seconds} s among rollups of ${this.period.seconds} s: a report reads one size`,
      );
    }
    return this.series!;
  }

  /** Make `vantage`/`target` the current series (closing the one before). */
  private switchTo(s: SeriesAccumulator, vantage: string, target: string): void {
    if (!s.empty && target === s.target && vantage === s.vantage) return;
    this.flush();
    const key = keyOf(vantage, target);
    if (this.seen.has(key))
      throw new TeldocError(
        "TELDOC_ERR_INVALID_ARGUMENT",
        `rollups of ${target} from ${vantage} came in two runs: give each series' rollups together (ordered by vantage, target, start)`,
      );
    this.seen.add(key);
    s.begin(vantage, target);
  }

  addRollup(r: Rollup): void {
    const s = this.start(r.seconds, "rollups");
    const p = this.period!;
    const slot = Math.floor((r.start - p.start) / p.slotMs);
    if (r.start < p.since || r.start >= p.until || slot < 0 || slot >= p.slots) return;
    this.switchTo(s, r.vantage, r.target);
    s.add(r, slot);
    this.load!.add(r.vantage, slot, Math.max(0, r.rounds - r.skipped), failedOf(r));
  }

  addDay(d: DayRollup): void {
    const s = this.start(3600, "days");
    if (d.start % DAY_MS !== 0)
      throw new TeldocError(
        "TELDOC_ERR_INVALID_ARGUMENT",
        `a day of ${d.target} starts at ${iso(d.start)}, not at 00:00 UTC`,
      );
    const p = this.period!;
    // Hour h starts at d.start + h hours; it counts when that is in [since, until).
    const from = Math.max(0, Math.ceil((p.since - d.start) / HOUR_MS));
    const to = Math.min(24, Math.ceil((p.until - d.start) / HOUR_MS));
    let any = false;
    for (let h = from; h < to && !any; h++) any = d.hours.rounds[h]! > 0;
    if (!any) return;
    const slot0 = (d.start - p.start) / HOUR_MS;
    this.switchTo(s, d.vantage, d.target);
    s.addDay(d, from, to, slot0);
    this.load!.addDay(d, from, to, slot0);
  }

  addFailure(sample: Sample): void {
    this.minutes.addSample(sample);
  }

  addFailedRound(f: FailedRound): void {
    this.minutes.add(f);
  }

  failuresWorthReading(): number {
    return failuresWorthReading(this.load?.fewestProbed() ?? []);
  }

  /** Close the current series: its rules, its totals, its summary for the vantage finding. */
  private flush(): void {
    const s = this.series;
    if (!s || s.empty) return;
    const view = s.view();
    const candidates = runRules(view, (kind, n) => this.tests.add(kind, n));
    const report = {
      target: s.target,
      vantage: s.vantage,
      rounds: s.rounds,
      availability: s.ran > 0 ? s.ok / s.ran : null,
      byCause: s.byCause,
      rttMs: s.rtt.percentiles(),
    };
    this.results.push({ report, candidates });
    const tags = this.tagsOf.get(keyOf(s.vantage, s.target)) ?? this.tagsOf.get(s.target) ?? [];
    this.tags.add(tags, s);
    const vantages = this.vantagesOf.get(s.target);
    if (!vantages || vantages.size > 1) {
      const list = this.summaries.get(s.target) ?? [];
      list.push(summarize(view));
      this.summaries.set(s.target, list);
    }
    s.clear();
  }

  /** The findings across series: correlated minutes and vantage comparisons. */
  private crossCandidates(): Candidate[] {
    const out: Candidate[] = [];
    const groups = this.minutes.finish();
    if (this.load && this.period) {
      const minutes = (this.period.until - this.period.since) / MINUTE_MS;
      this.tests.add("correlated", Math.ceil(minutes) * this.load.vantages);
      out.push(...correlated(groups, this.load));
    }
    for (const [target, list] of this.summaries) {
      if (list.length < 2) continue;
      const r = vantageFindings(target, list);
      this.tests.add("vantage", r.tested);
      out.push(...r.found);
    }
    return out;
  }

  finish(): Report {
    this.flush();
    const cross = this.crossCandidates();
    const settled = (cs: readonly Candidate[]) =>
      cs.flatMap((c) => settle(c, this.tests) ?? []).sort(byConfidence);
    const perSeries = new Map<string, Settled[]>();
    for (const r of this.results)
      perSeries.set(keyOf(r.report.vantage, r.report.target), settled(r.candidates));
    const crossSettled = settled(cross);
    const all = [...[...perSeries.values()].flat(), ...mergeSettled(crossSettled)];
    attachVantage(crossSettled, perSeries);
    const targets: TargetReport[] = this.results
      .map((r) => ({
        ...r.report,
        findings: (perSeries.get(keyOf(r.report.vantage, r.report.target)) ?? []).map(
          (x) => x.finding,
        ),
      }))
      .sort((a, b) => a.target.localeCompare(b.target) || a.vantage.localeCompare(b.vantage));
    return {
      since: iso(this.o.since),
      until: iso(this.o.until),
      targets,
      tags: this.tags.reports(),
      findings: all.sort(byConfidence).map((x) => x.finding),
    };
  }
}

/** A target's vantage finding also belongs to the series of each failing vantage point. */
function attachVantage(cross: readonly Settled[], perSeries: Map<string, Settled[]>): void {
  for (const x of cross) {
    const f = x.finding;
    if (f.kind !== "vantage" || f.target === null) continue;
    for (const v of f.failing) {
      const list = perSeries.get(keyOf(v, f.target));
      if (!list) continue;
      list.push(x);
      list.sort(byConfidence);
    }
  }
}

/** Cross findings for the report's list: vantage findings of many targets merged into one. */
function mergeSettled(cross: readonly Settled[]): Settled[] {
  const isVantage = (x: Settled): x is SettledVantage => x.finding.kind === "vantage";
  return [...cross.filter((x) => !isVantage(x)), ...mergeVantage(cross.filter(isVantage))];
}

/**
 * A report built as the store streams.
 * @example
 * const b = reportBuilder({ since, until, targets: await store.targets() });
 * for await (const d of store.days({ since, until })) b.addDay(d);
 * for await (const f of store.failures({ since, until })) b.addFailedRound(f);
 * const report = b.finish();
 */
export function reportBuilder(o: ReportOptions): ReportBuilder {
  return new Builder(o);
}

/** The input of `analyse`: rollups (or days) and failed samples in any order. */
export interface AnalysisInput extends ReportOptions {
  readonly rollups?: Iterable<Rollup>;
  readonly days?: Iterable<DayRollup>;
  readonly failures?: Iterable<Sample>;
}

type Keyed = Pick<Rollup, "vantage" | "target" | "start">;

function inStoreOrder(a: Keyed, b: Keyed): number {
  return (
    (a.vantage < b.vantage ? -1 : a.vantage > b.vantage ? 1 : 0) ||
    (a.target < b.target ? -1 : a.target > b.target ? 1 : 0) ||
    a.start - b.start
  );
}

/** Rollups or days in the store's order (sorted only when they are not). */
function ordered<T extends Keyed>(rollups: Iterable<T>): Iterable<T> {
  const list = Array.isArray(rollups) ? (rollups as T[]) : [...rollups];
  for (let i = 1; i < list.length; i++)
    if (inStoreOrder(list[i - 1], list[i]) > 0) return [...list].sort(inStoreOrder);
  return list;
}

/**
 * The report over arrays (sorted into the store's order where needed).
 * @example analyse({ since, until, rollups, failures, targets }).findings[0]?.summary
 */
export function analyse(input: AnalysisInput): Report {
  const b = reportBuilder(input);
  for (const r of ordered(input.rollups ?? [])) b.addRollup(r);
  for (const d of ordered(input.days ?? [])) b.addDay(d);
  const failures = [...(input.failures ?? [])].sort((a, b) => Date.parse(a.t) - Date.parse(b.t));
  for (const s of failures) b.addFailure(s);
  return b.finish();
}
