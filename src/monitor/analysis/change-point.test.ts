import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseAsStored } from "../../testing/report-paths.js";
import { type SyntheticOptions, synthetic } from "./synthetic.js";
import type { ChangePointFinding, Report } from "./types.js";

const report = (o: SyntheticOptions): Report => analyseAsStored(synthetic(o));
const changes = (r: Report) =>
  r.findings.filter((f): f is ChangePointFinding => f.kind === "change-point");
const AT = Date.parse("2026-11-12T14:05:00Z");

describe("change-point", () => {
  test("RTT 2 ms → 40 ms at 2026-11-12 14:05: metric, at, before, after", () => {
    const r = report({
      seed: 1,
      days: 28,
      seconds: 300,
      targets: ["r1", "r2"],
      rtt: { medianMs: 2, sigma: 0.2 },
      rttSteps: [{ target: "r1", at: AT, factor: 20 }],
    });
    const [c, ...rest] = changes(r);
    assert.equal(rest.length, 0);
    assert.equal(c.target, "r1");
    assert.equal(c.metric, "rtt-p50");
    assert.equal(c.at, "2026-11-12T14:05:00.000Z");
    assert.ok(Math.abs(c.before - 2) < 0.1, String(c.before));
    assert.ok(Math.abs(c.after - 40) < 2, String(c.after));
    assert.match(c.summary, /2 ms → 40 ms since 2026-11-12 14:05 UTC/);
  });

  test("loss 0 → 1 in 3 connects lost, on hourly rollups", () => {
    const r = report({
      seed: 2,
      days: 28,
      seconds: 3600,
      targets: ["r1"],
      failureRate: 0,
      lossSteps: [{ target: "r1", at: Date.parse("2026-11-20T06:00:00Z"), loss: 0.33 }],
    });
    const [c] = changes(r);
    assert.ok(c);
    assert.equal(c.metric, "loss");
    assert.equal(c.at, "2026-11-20T06:00:00.000Z");
    assert.equal(c.before, 0);
    assert.ok(Math.abs(c.after - 0.33) < 0.05, String(c.after));
  });

  test("a slow, noisy RTT without a step is no change point (20 seeds)", () => {
    for (let seed = 10; seed < 30; seed++) {
      const r = report({
        seed,
        days: 28,
        seconds: seed % 2 ? 300 : 3600,
        targets: ["far"],
        rtt: { medianMs: 180, sigma: 0.8 },
        failureRate: 0.01,
      });
      assert.deepEqual(changes(r), [], `seed ${seed}`);
    }
  });

  test("a slow drift (RTT × 1.1 each day) is no change point", () => {
    const steps = Array.from({ length: 28 }, (_, d) => ({
      target: "r1",
      at: Date.parse("2026-11-01T00:00:00Z") + (27 - d) * 86_400_000,
      factor: 1.1 ** (27 - d),
    }));
    const r = report({ seed: 3, days: 28, seconds: 3600, targets: ["r1"], rttSteps: steps });
    assert.deepEqual(changes(r), []);
  });

  test("a one-day excursion that comes back is no change point", () => {
    const r = report({
      seed: 4,
      days: 28,
      seconds: 3600,
      targets: ["r1"],
      rttSteps: [
        { target: "r1", at: AT + 86_400_000, factor: 1 },
        { target: "r1", at: AT, factor: 10 },
      ],
    });
    assert.deepEqual(changes(r), []);
  });
});
