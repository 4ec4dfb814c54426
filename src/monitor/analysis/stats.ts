/**
 * @module The statistics the findings rest on, in log space so that tiny tail probabilities do
 * not underflow: the binomial upper tail (via the regularized incomplete beta), the chi-square
 * upper tail (via the regularized incomplete gamma), Pettitt's change-point test, medians.
 * Written from the textbook definitions (Lanczos' log-gamma, Lentz's continued fractions).
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
  -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
  1.5056327351493116e-7,
];
/** Continued fractions stop when a step changes the value by less than this. */
const EPS = 1e-14;
/** ...or after this many steps (they converge in O(sqrt(n)) steps; n is rounds here). */
const MAX_STEPS = 10_000;
const TINY = 1e-300;

/**
 * ln Γ(x) for x > 0.
 * @example Math.exp(logGamma(5)) // 24
 */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + LANCZOS_G + 0.5;
  for (let i = 1; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Lentz's continued fraction for the incomplete beta (converges for x < (a+1)/(a+b+2)). */
function betaFraction(a: number, b: number, x: number): number {
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_STEPS; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return h;
}

/** ln of the regularized incomplete beta I_x(a, b). */
export function logBetaRegularized(a: number, b: number, x: number): number {
  if (x <= 0) return Number.NEGATIVE_INFINITY;
  if (x >= 1) return 0;
  const lnFront =
    logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return lnFront + Math.log(betaFraction(a, b, x)) - Math.log(a);
  const upper = Math.exp(lnFront + Math.log(betaFraction(b, a, 1 - x)) - Math.log(b));
  return Math.log(Math.max(TINY, 1 - upper));
}

/**
 * ln P(X ≥ k) for X ~ Binomial(n, p): how surprising k or more failures are among n rounds at
 * the rate p.
 * @example Math.exp(binomialTailLog(10, 0.5, 10)) // 0.0009765625
 */
export function binomialTailLog(n: number, p: number, k: number): number {
  if (k <= 0) return 0;
  if (k > n || p <= 0) return Number.NEGATIVE_INFINITY;
  if (p >= 1) return 0;
  return logBetaRegularized(k, n - k + 1, p);
}

/** ln of the regularized lower incomplete gamma's series, P(a, x), for x < a + 1. */
function gammaSeriesLog(a: number, x: number): number {
  let sum = 1 / a;
  let term = sum;
  for (let n = 1; n <= MAX_STEPS; n++) {
    term *= x / (a + n);
    sum += term;
    if (Math.abs(term) < Math.abs(sum) * EPS) break;
  }
  return Math.log(sum) - x + a * Math.log(x) - logGamma(a);
}

/** ln of the regularized upper incomplete gamma's continued fraction, Q(a, x), for x ≥ a + 1. */
function gammaFractionLog(a: number, x: number): number {
  let b = x + 1 - a;
  let c = 1 / TINY;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i <= MAX_STEPS; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < TINY) d = TINY;
    c = b + an / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < EPS) break;
  }
  return Math.log(h) - x + a * Math.log(x) - logGamma(a);
}

/**
 * ln P(χ² ≥ x) with `df` degrees of freedom.
 * @example Math.exp(chiSquareTailLog(3.841, 1)) // ≈ 0.05
 */
export function chiSquareTailLog(x: number, df: number): number {
  if (x <= 0) return 0;
  const a = df / 2;
  const h = x / 2;
  if (h < a + 1) return Math.log(Math.max(TINY, 1 - Math.exp(gammaSeriesLog(a, h))));
  return gammaFractionLog(a, h);
}

/**
 * A tail probability corrected for `tests` tries (Bonferroni), in log space: min(1, p × tests).
 * @example Math.exp(adjustLog(Math.log(0.001), 20)) // 0.02
 */
export function adjustLog(lnP: number, tests: number): number {
  return Math.min(0, lnP + Math.log(Math.max(1, tests)));
}

/** 1 − p from a log tail probability: the confidence a finding reports. */
export function confidenceOf(lnP: number): number {
  return Math.max(0, Math.min(1, -Math.expm1(lnP)));
}

/** A p-value for people: "p = 3e-12", "p < 1e-300". */
export function formatP(lnP: number): string {
  const log10 = lnP / Math.LN10;
  if (log10 < -300) return "p < 1e-300";
  if (log10 > -3) return `p = ${Math.exp(lnP).toFixed(3)}`;
  const e = Math.floor(log10);
  const m = 10 ** (log10 - e);
  return `p = ${m.toFixed(1)}e${e}`;
}

/**
 * The median of `xs[from..to)` (sorts a copy into `scratch`, which must be long enough).
 * @example median(Float64Array.of(3, 1, 2), 0, 3, new Float64Array(3)) // 2
 */
export function median(xs: ArrayLike<number>, from: number, to: number, scratch: Float64Array) {
  const n = to - from;
  if (n <= 0) return Number.NaN;
  const s = scratch.subarray(0, n);
  for (let i = 0; i < n; i++) s[i] = xs[from + i];
  s.sort();
  return n % 2 ? s[n >> 1] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

/** Where Pettitt's test puts the change: the split index, the statistic, ln p. */
export interface PettittResult {
  /** The first index of the second segment. */
  readonly at: number;
  readonly k: number;
  readonly lnP: number;
}

/** Index bits of a packed sort key (value quantum × 2^20 + index): a million points at most. */
const INDEX_BITS = 2 ** 20;
/** Values are quantized to this many parts of a unit (microseconds of a ms; ppm of a share). */
const QUANTA_PER_UNIT = 1000_000;
/** The largest quantized value that still fits a double's 53 bits beside the index. */
const MAX_QUANTUM = 2 ** 33 - 1;

/** Mid-ranks (1-based, ties averaged) of xs, via one native sort of packed keys. */
function midRanks(xs: Float64Array, scale: number, ranks: Float64Array): void {
  const n = xs.length;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const q = Math.min(MAX_QUANTUM, Math.max(0, Math.round(xs[i] * scale)));
    keys[i] = q * INDEX_BITS + i;
  }
  keys.sort();
  let i = 0;
  while (i < n) {
    const q = Math.floor(keys[i] / INDEX_BITS);
    let j = i + 1;
    while (j < n && Math.floor(keys[j] / INDEX_BITS) === q) j++;
    const rank = (i + 1 + j) / 2;
    for (let m = i; m < j; m++) ranks[keys[m] - q * INDEX_BITS] = rank;
    i = j;
  }
}

/**
 * Pettitt's non-parametric test for one change in level: U_t = 2·Σ_{i<t} rank_i − t(n+1),
 * K = max |U_t| (each side at least `minSegment` long), p ≈ 2·exp(−6K²/(n³+n²)). The split is
 * where |U_t| / sqrt(t(n−t)) peaks: |U_t| alone peaks late when one side is much longer.
 * Robust: ranks, so one wild bucket cannot make a change. Values equal to a millionth of
 * their unit tie (a nanosecond of a millisecond, a ppm of a share).
 * @example pettitt(Float64Array.of(1,1,1,1,9,9,9,9), 2).at // 4
 */
export function pettitt(xs: Float64Array, minSegment: number): PettittResult | undefined {
  const n = xs.length;
  if (n < 2 * minSegment || n >= INDEX_BITS || minSegment < 1) return undefined;
  const ranks = new Float64Array(n);
  midRanks(xs, QUANTA_PER_UNIT, ranks);
  let sum = 0;
  let best = -1;
  let bestZ = -1;
  let bestAt = -1;
  for (let t = 1; t < n; t++) {
    sum += ranks[t - 1];
    if (t < minSegment || n - t < minSegment) continue;
    const u = Math.abs(2 * sum - t * (n + 1));
    if (u > best) best = u;
    // Locate by the standardized statistic: the raw one drifts into the longer side.
    const z = u / Math.sqrt(t * (n - t));
    if (z > bestZ) {
      bestZ = z;
      bestAt = t;
    }
  }
  if (bestAt < 0) return undefined;
  const lnP = Math.min(0, Math.LN2 - (6 * best * best) / (n * n * n + n * n));
  return { at: bestAt, k: best, lnP };
}
