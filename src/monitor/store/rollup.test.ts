import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { history, makeSample, prng } from "../../testing/monitor-samples.js";
import type { Sample } from "../sample.js";
import { bucketStart, foldSamples, mergeAcc, rollupSamples, toRollup } from "./rollup.js";
import {
  exactPercentile,
  SKETCH_RELATIVE_ERROR,
  sketchAdd,
  sketchPercentile,
} from "./rtt-sketch.js";

const T0 = Date.UTC(2026, 10, 30, 14, 0, 0);

test("buckets start at the time floored to 300 s and 3600 s", () => {
  assert.equal(bucketStart(T0 + 299_999, 300), T0);
  assert.equal(bucketStart(T0 + 300_000, 300), T0 + 300_000);
  assert.equal(bucketStart(T0 + 3_599_999, 3600), T0);
});

test("counts: rounds, ok, skipped apart from byCause, failed stages, connects", () => {
  const rnd = prng(1);
  const failed = makeSample(T0, "a", "lan", "failed", rnd);
  const samples: Sample[] = [
    makeSample(T0, "a", "lan", "healthy", rnd),
    makeSample(T0 + 1000, "a", "lan", "skipped", rnd),
    { ...failed, t: new Date(T0 + 2000).toISOString(), cause: "refused", stage: "connect" },
    { ...failed, t: new Date(T0 + 3000).toISOString(), cause: "refused", stage: null },
  ];
  const [r] = rollupSamples(samples, 300);
  assert.equal(r!.rounds, 4);
  assert.equal(r!.ok, 1);
  assert.equal(r!.skipped, 1);
  assert.deepEqual(r!.byCause, { refused: 2 });
  assert.deepEqual(r!.byStage, { connect: 1 });
  assert.equal(
    r!.sent,
    samples.reduce((n, s) => n + s.connects.sent, 0),
  );
  assert.equal(
    r!.answered,
    samples.reduce((n, s) => n + s.connects.answered, 0),
  );
  const rtts = samples.flatMap((s) => s.connects.rttMs).sort((a, b) => a - b);
  assert.equal(r!.rttMs.min, rtts[0]);
  assert.equal(r!.rttMs.max, rtts[rtts.length - 1]);
});

test("no answered connect: RTT figures are null", () => {
  const [r] = rollupSamples([makeSample(T0, "a", "lan", "skipped", prng(2))], 3600);
  assert.deepEqual(r!.rttMs, { min: null, p50: null, p90: null, max: null });
});

test("sketch percentiles stay within the stated error of the exact nearest-rank ones", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: 0.002, max: 60_000, noNaN: true }), {
        minLength: 1,
        maxLength: 300,
      }),
      fc.constantFrom(0.5, 0.9, 0.99),
      (values, p) => {
        const sketch = new Map<number, number>();
        for (const v of values) sketchAdd(sketch, v);
        const sorted = [...values].sort((a, b) => a - b);
        const exact = exactPercentile(sorted, p)!;
        const got = sketchPercentile(sketch, p, sorted[0]!, sorted[sorted.length - 1]!)!;
        assert.ok(
          Math.abs(got - exact) <= exact * SKETCH_RELATIVE_ERROR + 0.0005,
          `${got} vs ${exact}`,
        );
      },
    ),
  );
});

test("merging accumulators of any split gives the rollup of the whole", () => {
  const samples = history({ targets: ["a"], start: T0, rounds: 60, seed: 4 });
  const whole = rollupSamples(samples, 3600);
  const rnd = prng(5);
  for (let trial = 0; trial < 20; trial++) {
    const left = samples.filter(() => rnd() < 0.5);
    const right = samples.filter((s) => !left.includes(s));
    const [a] = foldSamples(left, 3600);
    const [b] = foldSamples(right, 3600);
    if (!a || !b) continue;
    mergeAcc(a, b);
    assert.deepEqual(toRollup(a), whole[0]);
  }
});

test("rollups come in vantage, target, start order", () => {
  const samples = [
    ...history({ targets: ["b", "a"], vantage: "wan", start: T0, rounds: 20, intervalMs: 120_000 }),
    ...history({ targets: ["c"], vantage: "lan", start: T0, rounds: 20, intervalMs: 120_000 }),
  ];
  const keys = rollupSamples(samples, 300).map((r) => `${r.vantage}/${r.target}/${r.start}`);
  const sorted = [...keys].sort((x, y) => {
    const [v1, t1, s1] = x.split("/");
    const [v2, t2, s2] = y.split("/");
    return v1! < v2!
      ? -1
      : v1! > v2!
        ? 1
        : t1! < t2!
          ? -1
          : t1! > t2!
            ? 1
            : Number(s1) - Number(s2);
  });
  assert.deepEqual(keys, sorted);
});
