import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import {
  adjustLog,
  binomialTailLog,
  chiSquareTailLog,
  confidenceOf,
  logGamma,
  median,
  pettitt,
} from "./stats.js";

/** P(X ≥ k) by summing the binomial terms: the definition, for small n. */
function tailBySum(n: number, p: number, k: number): number {
  let sum = 0;
  let term = (1 - p) ** n;
  for (let i = 0; i <= n; i++) {
    if (i >= k) sum += term;
    term *= ((n - i) / (i + 1)) * (p / (1 - p));
  }
  return sum;
}

describe("stats", () => {
  test("logGamma matches factorials", () => {
    for (const [x, f] of [
      [1, 1],
      [5, 24],
      [11, 3628800],
    ])
      assert.ok(Math.abs(Math.exp(logGamma(x)) - f) / f < 1e-10);
    assert.ok(Math.abs(Math.exp(logGamma(0.5)) - Math.sqrt(Math.PI)) < 1e-10);
  });

  test("binomial tail equals the sum of its terms (any n ≤ 80, p, k)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 80 }),
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.integer({ min: 0, max: 81 }),
        (n, p, k) => {
          const want = tailBySum(n, p, k);
          const got = Math.exp(binomialTailLog(n, p, k));
          return Math.abs(got - want) <= 1e-9 + 1e-7 * want;
        },
      ),
    );
  });

  test("binomial tail edges and tiny tails stay finite in log space", () => {
    assert.equal(binomialTailLog(10, 0.1, 0), 0);
    assert.equal(binomialTailLog(10, 0.1, 11), Number.NEGATIVE_INFINITY);
    assert.equal(binomialTailLog(10, 0, 1), Number.NEGATIVE_INFINITY);
    const ln = binomialTailLog(10_000, 0.001, 500);
    assert.ok(Number.isFinite(ln) && ln < -1000);
  });

  test("chi-square tail at the textbook 5 % points", () => {
    for (const [x, df] of [
      [3.841, 1],
      [5.991, 2],
      [11.07, 5],
      [31.41, 20],
    ])
      assert.ok(Math.abs(Math.exp(chiSquareTailLog(x, df)) - 0.05) < 5e-4, `${x}, ${df}`);
  });

  test("Bonferroni in log space caps at 1; confidence is 1 - p", () => {
    assert.equal(adjustLog(Math.log(0.5), 10), 0);
    assert.ok(Math.abs(Math.exp(adjustLog(Math.log(1e-4), 10)) - 1e-3) < 1e-12);
    assert.ok(Math.abs(confidenceOf(Math.log(0.01)) - 0.99) < 1e-12);
  });

  test("median of a slice", () => {
    const s = new Float64Array(8);
    assert.equal(median(Float64Array.of(9, 3, 1, 2, 9), 1, 4, s), 2);
    assert.equal(median(Float64Array.of(4, 1, 3, 2), 0, 4, s), 2.5);
  });

  test("Pettitt finds a step and not a shuffle of the same values", () => {
    const step = Float64Array.from({ length: 60 }, (_, i) => (i < 25 ? 1 + (i % 3) : 10 + (i % 3)));
    const p = pettitt(step, 6);
    assert.ok(p);
    assert.equal(p.at, 25);
    assert.ok(p.lnP < Math.log(1e-6));
    const alternating = Float64Array.from({ length: 60 }, (_, i) => (i % 2 ? 1 : 10));
    const q = pettitt(alternating, 6);
    assert.ok(q && q.lnP > Math.log(0.05));
    assert.equal(pettitt(Float64Array.of(1, 2, 3), 2), undefined);
  });
});
