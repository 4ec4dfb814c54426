/**
 * @module A small mergeable sketch of connect RTTs (log-scale bins, DDSketch's idea), so the
 * p50/p90 of a rollup stay right when rollups are merged (samples folded in one write after
 * another, 5-min buckets, late imports) without keeping every RTT.
 *
 * Bin `k ≥ 1` holds the values in (MIN·γ^(k-1), MIN·γ^k] ms, bin 0 every value ≤ MIN (1 µs).
 * A percentile is the nearest-rank one (the smallest value with at least ⌈p·n⌉ values at or
 * below it), read as its bin's middle 2·MIN·γ^k/(γ+1): within (γ-1)/(γ+1) < 2 % of the exact
 * nearest-rank value (1 µs absolute at most below 1 µs), then rounded to the microsecond and
 * clamped into the exact [min, max]. Merging adds bin counts, so it is exact and order-free:
 * one sketch of all values equals the merge of sketches of any split of them.
 */

/** The bins' growth factor: 4 % wide bins, hence < 2 % error on a percentile. */
export const SKETCH_GAMMA = 1.04;
/** Values at or below this many ms share bin 0. */
export const SKETCH_MIN_MS = 0.001;
/** The largest relative error of a sketch percentile above SKETCH_MIN_MS. */
export const SKETCH_RELATIVE_ERROR = (SKETCH_GAMMA - 1) / (SKETCH_GAMMA + 1);

const LOG_GAMMA = Math.log(SKETCH_GAMMA);

/** Bin key → how many values fell in it. */
export type RttSketch = Map<number, number>;

/** The bin of a value in ms. */
export function sketchKey(ms: number): number {
  if (!(ms > SKETCH_MIN_MS)) return 0;
  return Math.max(1, Math.ceil(Math.log(ms / SKETCH_MIN_MS) / LOG_GAMMA));
}

/** The value a bin stands for, ms. */
export function sketchValue(key: number): number {
  if (key === 0) return 0;
  return (SKETCH_MIN_MS * 2 * SKETCH_GAMMA ** key) / (SKETCH_GAMMA + 1);
}

/** Count one value. */
export function sketchAdd(sketch: RttSketch, ms: number): void {
  const k = sketchKey(ms);
  sketch.set(k, (sketch.get(k) ?? 0) + 1);
}

/** Add `from`'s counts into `into`. */
export function sketchMerge(into: RttSketch, from: RttSketch): void {
  for (const [k, n] of from) into.set(k, (into.get(k) ?? 0) + n);
}

/** The nearest-rank rank (1-based) of percentile `p` (0..1) among `n` values. */
export function nearestRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil(p * n)));
}

/**
 * The nearest-rank percentile `p` (0..1) of the sketch, rounded to the µs and clamped into
 * [min, max]; null when it is empty.
 * @example sketchPercentile(s, 0.9, 1.1, 9.8)
 */
export function sketchPercentile(
  sketch: RttSketch,
  p: number,
  min: number,
  max: number,
): number | null {
  let n = 0;
  for (const c of sketch.values()) n += c;
  if (n === 0) return null;
  const rank = nearestRank(p, n);
  const keys = [...sketch.keys()].sort((a, b) => a - b);
  let seen = 0;
  for (const k of keys) {
    seen += sketch.get(k)!;
    if (seen >= rank) return clampRound(sketchValue(k), min, max);
  }
  return max;
}

/**
 * Several percentiles of one sketch at once (its keys sorted once): what `sketchPercentile`
 * gives for each of `ps`, ascending.
 */
export function sketchPercentiles(
  sketch: RttSketch,
  ps: readonly number[],
  min: number,
  max: number,
): (number | null)[] {
  let n = 0;
  for (const c of sketch.values()) n += c;
  if (n === 0) return ps.map(() => null);
  const keys = [...sketch.keys()].sort((a, b) => a - b);
  const out: (number | null)[] = [];
  let seen = 0;
  let i = 0;
  for (const p of ps) {
    const rank = nearestRank(p, n);
    while (i < keys.length && seen + sketch.get(keys[i]!)! < rank) seen += sketch.get(keys[i++]!)!;
    out.push(i < keys.length ? clampRound(sketchValue(keys[i]!), min, max) : max);
  }
  return out;
}

/** A sketch value as reported: rounded to the µs, clamped into the exact [min, max]. */
export function clampRound(v: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, Math.round(v * 1000) / 1000));
}

/**
 * The exact nearest-rank percentile of ascending `sorted` values (the definition the sketch
 * approximates); null when empty.
 */
export function exactPercentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[nearestRank(p, sorted.length) - 1]!;
}
