/**
 * @module The running sums the builder keeps while rollups stream: the current series (one at a
 * time, in scratch arrays reused from series to series), each vantage point's load (targets
 * probed per bucket, its failure rate) and each tag's totals.
 */
import type { Cause } from "../../trace/events.js";
import type { DayRollup, Rollup } from "../store/types.js";
import type { VantageLoad } from "./correlated.js";
import { RttMixture } from "./rtt.js";
import { addCounts, type Period, type SeriesView } from "./series.js";
import type { TagReport } from "./types.js";

type Counts = Partial<Record<Cause, number>>;

/** The series being read. */
export class SeriesAccumulator {
  private readonly ranAt: Float64Array;
  private readonly failedAt: Float64Array;
  private readonly p50At: Float64Array;
  private readonly lossAt: Float64Array;
  private readonly causesAt = new Map<number, Readonly<Counts>>();
  /** The slots with a bucket, in the order they came: `used` of them. */
  private slots: Int32Array;
  private used = 0;
  private ordered = true;
  target = "";
  vantage = "";
  rounds = 0;
  ran = 0;
  ok = 0;
  failed = 0;
  byCause: Counts = {};
  readonly rtt = new RttMixture();

  constructor(readonly period: Period) {
    this.ranAt = new Float64Array(period.slots);
    this.failedAt = new Float64Array(period.slots);
    this.p50At = new Float64Array(period.slots);
    this.lossAt = new Float64Array(period.slots);
    this.slots = new Int32Array(period.slots);
  }

  get empty(): boolean {
    return this.used === 0;
  }

  /** Start a new series (after `clear`). */
  begin(vantage: string, target: string): void {
    this.vantage = vantage;
    this.target = target;
  }

  /** One rollup of this series, on its slot. */
  add(r: Rollup, slot: number): void {
    const p50 = r.rttMs.p50 ?? Number.NaN;
    this.put(slot, r.rounds, r.skipped, r.ok, r.sent, r.answered, p50, r.byCause);
    this.rtt.add(r.rttMs, r.answered);
  }

  /**
   * The hours [from, to) of a day of this series, hour h on slot `slot0 + h`. Its RTT counts as
   * the day's percentiles weighted by the connects answered in those hours.
   */
  addDay(d: DayRollup, from: number, to: number, slot0: number): void {
    const { rounds, skipped, ok, sent, answered, p50, byCause } = d.hours;
    let inPeriod = 0;
    for (let i = from; i < to; i++) {
      const n = rounds[i]!;
      if (!(n > 0)) continue;
      const a = answered[i]!;
      this.put(slot0 + i, n, skipped[i]!, ok[i]!, sent[i]!, a, p50[i]!, byCause[i] ?? null);
      inPeriod += a;
    }
    this.rtt.add(d.rttMs, inPeriod);
  }

  /** One bucket on its slot. */
  private put(
    slot: number,
    rounds: number,
    skipped: number,
    ok: number,
    sent: number,
    answered: number,
    p50: number,
    byCause: Readonly<Counts> | null,
  ): void {
    const ran = Math.max(0, rounds - skipped);
    const failed = Math.max(0, ran - ok);
    if (this.used === this.slots.length) this.grow();
    if (this.used > 0 && this.slots[this.used - 1]! >= slot) this.ordered = false;
    this.slots[this.used++] = slot;
    this.ranAt[slot] += ran;
    this.failedAt[slot] += failed;
    this.p50At[slot] = p50;
    this.lossAt[slot] = sent > 0 ? 1 - answered / sent : Number.NaN;
    this.rounds += rounds;
    this.ran += ran;
    this.ok += ok;
    this.failed += failed;
    if (failed > 0) {
      const causes = byCause ?? {};
      addCounts(this.byCause, causes);
      this.causesAt.set(slot, causes);
    }
  }

  /** Room for more slots than the period has (the same bucket given twice). */
  private grow(): void {
    const more = new Int32Array(this.slots.length * 2 + 1);
    more.set(this.slots);
    this.slots = more;
  }

  /** The series as the rules read it (its slots sorted by time if they came out of order). */
  view(): SeriesView {
    const slots = this.slots.subarray(0, this.used);
    if (!this.ordered) slots.sort();
    return {
      target: this.target,
      vantage: this.vantage,
      period: this.period,
      slots,
      ranAt: this.ranAt,
      failedAt: this.failedAt,
      p50At: this.p50At,
      lossAt: this.lossAt,
      causesAt: this.causesAt,
      rounds: this.rounds,
      ran: this.ran,
      failed: this.failed,
      byCause: this.byCause,
      rate: this.ran > 0 ? this.failed / this.ran : 0,
    };
  }

  /** Empty it for the next series (only the slots in use). */
  clear(): void {
    for (let k = 0; k < this.used; k++) {
      const s = this.slots[k]!;
      this.ranAt[s] = 0;
      this.failedAt[s] = 0;
    }
    this.causesAt.clear();
    this.used = 0;
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

  private of(vantage: string) {
    let v = this.perVantage.get(vantage);
    if (!v) {
      v = { probed: new Float64Array(this.period.slots), ran: 0, failed: 0 };
      this.perVantage.set(vantage, v);
    }
    return v;
  }

  /** A series' rounds in one bucket: it was probed min(1, rounds / minutes) times a minute. */
  add(vantage: string, slot: number, ran: number, failed: number): void {
    const v = this.of(vantage);
    v.probed[slot] += Math.min(1, ran / (this.period.slotMs / 60_000));
    v.ran += ran;
    v.failed += failed;
  }

  /** The hours [from, to) of a day, hour h on slot `slot0 + h` (as `add` for each). */
  addDay(d: DayRollup, from: number, to: number, slot0: number): void {
    const v = this.of(d.vantage);
    const minutes = this.period.slotMs / 60_000;
    const h = d.hours;
    for (let i = from; i < to; i++) {
      const rounds = h.rounds[i]!;
      if (!(rounds > 0)) continue;
      const ran = Math.max(0, rounds - h.skipped[i]!);
      v.probed[slot0 + i] += Math.min(1, ran / minutes);
      v.ran += ran;
      v.failed += Math.max(0, ran - h.ok[i]!);
    }
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

  /** Per vantage point, the fewest targets expected in a minute of a bucket with any. */
  *fewestProbed(): Iterable<number> {
    for (const v of this.perVantage.values()) {
      let fewest = Number.POSITIVE_INFINITY;
      for (const p of v.probed) if (p > 0 && p < fewest) fewest = p;
      if (Number.isFinite(fewest)) yield fewest;
    }
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
