import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { RttMixture } from "./rtt.js";

const near = (a: number | null, b: number, rel = 0.01) => a !== null && Math.abs(a - b) <= rel * b;

describe("RTT percentiles over buckets", () => {
  test("one bucket: its own p50 and p90, to 1 %", () => {
    const m = new RttMixture();
    m.add({ min: 1, p50: 2.1, p90: 4, max: 9 }, 30);
    const { p50, p90 } = m.percentiles();
    assert.ok(near(p50, 2.1), String(p50));
    assert.ok(near(p90, 4), String(p90));
  });

  test("no answered connect: null", () => {
    const m = new RttMixture();
    m.add({ min: null, p50: null, p90: null, max: null }, 0);
    assert.deepEqual(m.percentiles(), { p50: null, p90: null });
  });

  test("weighted by answered connects: a bad fifth of the time moves the p90, not the p50", () => {
    const m = new RttMixture();
    for (let i = 0; i < 80; i++) m.add({ min: 1.8, p50: 2, p90: 2.4, max: 3 }, 180);
    for (let i = 0; i < 20; i++) m.add({ min: 35, p50: 40, p90: 48, max: 60 }, 180);
    const { p50, p90 } = m.percentiles();
    assert.ok(p50 !== null && p50 < 2.5, String(p50));
    assert.ok(p90 !== null && p90 > 35, String(p90));
  });

  test("property: the p50 lies between the smallest and largest bucket p50; reset empties it", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.double({ min: 0.05, max: 5000, noNaN: true }),
            fc.integer({ min: 1, max: 200 }),
          ),
          {
            minLength: 1,
            maxLength: 40,
          },
        ),
        (buckets) => {
          const m = new RttMixture();
          for (const [p50, n] of buckets) m.add({ min: p50, p50, p90: p50, max: p50 }, n);
          const got = m.quantile(0.5)!;
          const xs = buckets.map((b) => b[0]);
          const ok = got >= Math.min(...xs) * 0.99 && got <= Math.max(...xs) * 1.01;
          m.reset();
          return ok && m.quantile(0.5) === null;
        },
      ),
    );
  });

  test("a tag's mixture is the sum of its series'", () => {
    const a = new RttMixture();
    const b = new RttMixture();
    const tag = new RttMixture();
    a.add({ min: 1, p50: 1, p90: 1, max: 1 }, 10);
    b.add({ min: 9, p50: 9, p90: 9, max: 9 }, 30);
    a.addTo(tag);
    b.addTo(tag);
    assert.ok(near(tag.quantile(0.5), 9));
    assert.ok(near(tag.quantile(0.2), 1));
  });
});
