/**
 * @module Connect RTT percentiles over many rollups. A bucket keeps only min/p50/p90/max, and
 * percentiles do not add up, so each bucket is taken as the distribution through those knots —
 * half of its answered connects between min and p50, 40 % up to p90, 10 % up to max, spread
 * evenly over log-spaced bins — weighted by its answered connects. The report's p50/p90 are the
 * quantiles of that mixture, read from a histogram of 128 bins per doubling (the exponent and
 * top mantissa bits of the value, as HDR histograms do: no logarithm): exact to 1 % when
 * there is one bucket, and a step or a slow spell in part of the period moves the p90 as it
 * should (a median of bucket p90s would hide a bad day).
 */
import type { Rollup } from "../store/types.js";

/** The smallest RTT the histogram tells apart: 2^-10 ms (about 1 µs). */
const MIN_EXPONENT = -10;
/** Up to 2^20 ms (17 minutes): longer than any connect timeout. */
const MAX_EXPONENT = 20;
/** Bins per doubling: 128, so a bin is 0.4-0.8 % wide (the percentiles' resolution). */
const SUB_BITS = 7;
const SUB = 1 << SUB_BITS;
export const BINS = (MAX_EXPONENT - MIN_EXPONENT) * SUB;
/** The share of a bucket's connects between its knots (min, p50, p90, max). */
const SHARES = [0.5, 0.4, 0.1] as const;

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
/** Which 32-bit word of a double holds its sign, exponent and top of mantissa. */
const HIGH = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? 1 : 0;

/** The bin of a value, read from its exponent and top mantissa bits (no logarithm). */
function binOf(ms: number): number {
  if (!(ms > 2 ** MIN_EXPONENT)) return 0;
  if (ms >= 2 ** MAX_EXPONENT) return BINS - 1;
  f64[0] = ms;
  const hi = u32[HIGH];
  const exponent = ((hi >>> 20) & 0x7ff) - 1023;
  const sub = (hi >>> (20 - SUB_BITS)) & (SUB - 1);
  return (exponent - MIN_EXPONENT) * SUB + sub;
}

/** The lower edge of a bin, ms, and the next bin's. */
function edge(bin: number): number {
  return 2 ** (Math.floor(bin / SUB) + MIN_EXPONENT) * (1 + (bin % SUB) / SUB);
}

/**
 * The mixture of bucket distributions, kept as a difference array (adding a bucket is O(1)).
 * @example const m = new RttMixture(); m.add(rollup.rttMs, rollup.answered); m.quantile(0.5)
 */
export class RttMixture {
  private readonly diff = new Float64Array(BINS + 1);
  private lo = BINS;
  private hi = -1;
  private weight = 0;

  /** Spread `weight` connects over bins a..b, evenly. */
  private spread(a: number, b: number, weight: number): void {
    const per = weight / (b - a + 1);
    this.diff[a] += per;
    this.diff[b + 1] -= per;
    if (a < this.lo) this.lo = a;
    if (b > this.hi) this.hi = b;
  }

  /** One bucket's percentiles, weighted by its answered connects. */
  add(rtt: Rollup["rttMs"], answered: number): void {
    const p50 = rtt.p50;
    if (p50 === null || answered <= 0) return;
    const p90 = Math.max(p50, rtt.p90 ?? p50);
    const min = Math.min(p50, rtt.min ?? p50);
    const max = Math.max(p90, rtt.max ?? p90);
    const b0 = binOf(min);
    const b1 = binOf(p50);
    const b2 = binOf(p90);
    const b3 = binOf(max);
    this.spread(b0, b1, SHARES[0] * answered);
    this.spread(b1, b2, SHARES[1] * answered);
    this.spread(b2, b3, SHARES[2] * answered);
    this.weight += answered;
  }

  /** Add this mixture into another (a tag's), touching only the bins in use. */
  addTo(other: RttMixture): void {
    if (this.hi < 0) return;
    for (let i = this.lo; i <= this.hi + 1; i++) other.diff[i] += this.diff[i];
    if (this.lo < other.lo) other.lo = this.lo;
    if (this.hi > other.hi) other.hi = this.hi;
    other.weight += this.weight;
  }

  /** The q-quantile (0..1) in ms, or null when no connect was answered. */
  quantile(q: number): number | null {
    if (this.weight <= 0) return null;
    const goal = q * this.weight;
    let density = 0;
    let cum = 0;
    for (let i = this.lo; i <= this.hi; i++) {
      density += this.diff[i];
      if (cum + density >= goal && density > 0) {
        const f = Math.min(1, Math.max(0, (goal - cum) / density));
        return edge(i) + f * (edge(i + 1) - edge(i));
      }
      cum += density;
    }
    return edge(this.hi + 1);
  }

  /** Both percentiles the report shows. */
  percentiles(): { p50: number | null; p90: number | null } {
    return { p50: this.quantile(0.5), p90: this.quantile(0.9) };
  }

  /** Empty it for the next series (only the bins in use). */
  reset(): void {
    if (this.hi >= 0) this.diff.fill(0, this.lo, this.hi + 2);
    this.lo = BINS;
    this.hi = -1;
    this.weight = 0;
  }
}
