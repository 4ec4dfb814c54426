/**
 * @module The running sums the builder keeps while rollups stream: the current series (one at a
 * time, in scratch arrays reused from series to series), each vantage point's load (targets
 * probed per bucket, its failure rate) and each tag's totals.
 */
import type { Cause } from "../../trace/events.js";
import type { Rollup } from "../store/types.js";
import type { VantageLoad } from "./correlated.js";
import { RttMixture } from "./rtt.js";
import { addCounts, failedOf, type Period, ranOf, type SeriesView } from "./series.js";
import type { TagReport } from "./types.js";

/** The series being read. */
export class SeriesAccumulator {
  private readonly ranAt: Float64Array;
  private readonly failedAt: Float64Array;
  private rollups: Rollup[] = [];
  private slots: number[] = [];
  private ordered = true;
  target = "";
  vantage = "";
  rounds = 0;
  ran = 0;
  ok = 0;
  failed = 0;
  byCause: Partial<Record<Cause, number>> = {};
  readonly rtt = new RttMixture();

  constructor(readonly period: Period) {
    this.ranAt = new Float64Array(period.slots);
    this.failedAt = new Float64Array(period.slots);
  }

  get empty(): boolean {
    return this.rollups.length === 0;
  }

  /** Start a new series (after `clear`). */
  begin(vantage: string, target: string): void {
    this.vantage = vantage;
    this.target = target;
  }

  /** One rollup of this series, on its slot. */
  add(r: Rollup, slot: number): void {
    const ran = ranOf(r);
    const failed = failedOf(r);
    if (this.slots.length && this.slots[this.slots.length - 1] >= slot) this.ordered = false;
    this.rollups.push(r);
    this.slots.push(slot);
    this.ranAt[slot] += ran;
    this.failedAt[slot] += failed;
    this.rounds += r.rounds;
    this.ran += ran;
    this.ok += r.ok;
    this.failed += failed;
    if (failed > 0) addCounts(this.byCause, r.byCause);
    this.rtt.add(r.rttMs, r.answered);
  }

  /** The series as the rules read it (sorted by time if it came out of order). */
  view(): SeriesView {
    if (!this.ordered) {
      const order = this.rollups.map((_, i) => i).sort((a, b) => this.slots[a] - this.slots[b]);
      this.rollups = order.map((i) => this.rollups[i]);
      this.slots = order.map((i) => this.slots[i]);
    }
    return {
      target: this.target,
      vantage: this.vantage,
      period: this.period,
      rollups: this.rollups,
      slotOf: Int32Array.from(this.slots),
      ranAt: this.ranAt,
      failedAt: this.failedAt,
      rounds: this.rounds,
      ran: this.ran,
      failed: this.failed,
      byCause: this.byCause,
      rate: this.ran > 0 ? this.failed / this.ran : 0,
    };
  }

  /** Empty it for the next series (only the slots in use). */
  clear(): void {
    for (const s of this.slots) {
      this.ranAt[s] = 0;
      this.failedAt[s] = 0;
    }
    this.rollups = [];
    this.slots = [];
    this.ordered = true;
    this.rounds = this.ran = this.ok = this.failed = 0;
    this.byCause = {};
    this.rtt.reset();
  }
}

/** Per vantage point: the expected targets probed in a minute of each bucket, and its rate. */
export class LoadAccumulator implements VantageLoad {
  private readonly perVantage = new Map<
    string,
    { probed: Float64Array; ran: number; failed: number }
  >();

  constructor(private readonly period: Period) {}

  /** A series' rounds in one bucket: it was probed min(1, rounds / minutes) times a minute. */
  add(vantage: string, slot: number, ran: number, failed: number): void {
    let v = this.perVantage.get(vantage);
    if (!v) {
      v = { probed: new Float64Array(this.period.slots), ran: 0, failed: 0 };
      this.perVantage.set(vantage, v);
    }
    v.probed[slot] += Math.min(1, ran / (this.period.slotMs / 60_000));
    v.ran += ran;
    v.failed += failed;
  }

  probedAt(vantage: string, t: number): number | undefined {
    const v = this.perVantage.get(vantage);
    const slot = Math.floor((t - this.period.start) / this.period.slotMs);
    if (!v || slot < 0 || slot >= this.period.slots) return undefined;
    return v.probed[slot];
  }

  rate(vantage: string): number | undefined {
    const v = this.perVantage.get(vantage);
    return v && v.ran > 0 ? v.failed / v.ran : undefined;
  }

  /** How many vantage points sent rollups. */
  get vantages(): number {
    return this.perVantage.size;
  }
}

interface TagSums {
  series: number;
  rounds: number;
  ran: number;
  ok: number;
  byCause: Partial<Record<Cause, number>>;
  rtt: RttMixture;
}

/** Per tag: the same totals as per target. */
export class TagAccumulator {
  private readonly tags = new Map<string, TagSums>();

  add(tags: readonly string[], s: SeriesAccumulator): void {
    for (const tag of tags) {
      let t = this.tags.get(tag);
      if (!t) {
        t = { series: 0, rounds: 0, ran: 0, ok: 0, byCause: {}, rtt: new RttMixture() };
        this.tags.set(tag, t);
      }
      t.series++;
      t.rounds += s.rounds;
      t.ran += s.ran;
      t.ok += s.ok;
      addCounts(t.byCause, s.byCause);
      s.rtt.addTo(t.rtt);
    }
  }

  reports(): TagReport[] {
    return [...this.tags]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([tag, t]) => ({
        tag,
        series: t.series,
        rounds: t.rounds,
        availability: t.ran > 0 ? t.ok / t.ran : null,
        byCause: t.byCause,
        rttMs: t.rtt.percentiles(),
      }));
  }
}
