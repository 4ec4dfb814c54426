import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseAsStored } from "../../testing/report-paths.js";
import { type SyntheticOptions, synthetic } from "./synthetic.js";
import type {
  CauseShiftFinding,
  CorrelatedFinding,
  Finding,
  Report,
  VantageFinding,
} from "./types.js";

const report = (o: SyntheticOptions): Report => analyseAsStored(synthetic(o));
function only<K extends Finding["kind"]>(r: Report, kind: K) {
  return r.findings.filter((f): f is Extract<Finding, { kind: K }> => f.kind === kind);
}
const OUTAGE = Date.parse("2026-11-06T09:03:00Z");
const fleet = Array.from({ length: 12 }, (_, i) => `sw${String(i + 1).padStart(2, "0")}`);

describe("correlated", () => {
  test("8 of 12 targets failing in the same 3 minutes from one vantage: at and targets", () => {
    const r = report({
      seed: 1,
      days: 14,
      seconds: 300,
      targets: fleet,
      vantages: ["dc-east", "office-lan"],
      outages: [{ at: OUTAGE, minutes: 3, targets: fleet.slice(0, 8), vantage: "office-lan" }],
    });
    const [c, ...rest] = only(r, "correlated") as CorrelatedFinding[];
    assert.equal(rest.length, 0);
    assert.equal(c.vantage, "office-lan");
    assert.equal(c.target, null);
    assert.equal(c.at, "2026-11-06T09:03:00.000Z");
    assert.deepEqual(c.targets, fleet.slice(0, 8));
    assert.match(c.summary, /the path or this vantage point, not the servers/);
  });

  test("a single target failing alone, or two together, is not correlated", () => {
    const r = report({
      seed: 2,
      days: 14,
      seconds: 300,
      targets: fleet,
      outages: [
        { at: OUTAGE, minutes: 30, targets: ["sw01"] },
        { at: OUTAGE + 86_400_000, minutes: 10, targets: ["sw02", "sw03"] },
      ],
    });
    assert.deepEqual(only(r, "correlated"), []);
  });

  test("3 targets failing together among 300 probed is below the share: not correlated", () => {
    const many = Array.from({ length: 300 }, (_, i) => `h${String(i).padStart(3, "0")}`);
    const r = report({
      seed: 3,
      days: 3,
      seconds: 300,
      targets: many,
      outages: [{ at: OUTAGE - 3 * 86_400_000, minutes: 2, targets: many.slice(0, 3) }],
    });
    assert.deepEqual(only(r, "correlated"), []);
  });
});

describe("vantage", () => {
  test("failing from office-lan, healthy from dc-east: failing and healthy lists", () => {
    const r = report({
      seed: 4,
      days: 14,
      seconds: 3600,
      targets: ["core1", "core2"],
      vantages: ["dc-east", "office-lan"],
      vantageFailures: [{ target: "core1", vantage: "office-lan", rate: 0.03 }],
    });
    const [v, ...rest] = only(r, "vantage") as VantageFinding[];
    assert.equal(rest.length, 0);
    assert.equal(v.target, "core1");
    assert.deepEqual(v.failing, ["office-lan"]);
    assert.deepEqual(v.healthy, ["dc-east"]);
    assert.match(v.summary, /the path from office-lan/);
    const series = r.targets.find((t) => t.target === "core1" && t.vantage === "office-lan");
    assert.ok(series?.findings.some((f) => f.kind === "vantage"));
  });

  test("the same noise from both vantage points is no vantage finding (20 seeds)", () => {
    for (let seed = 10; seed < 30; seed++) {
      const r = report({
        seed,
        days: 14,
        seconds: 3600,
        targets: ["core1"],
        vantages: ["a", "b", "c"],
        failureRate: 0.02,
      });
      assert.deepEqual(only(r, "vantage"), [], `seed ${seed}`);
    }
  });

  test("many targets failing from one vantage point: one merged finding across them", () => {
    const r = report({
      seed: 5,
      days: 7,
      seconds: 3600,
      targets: fleet.slice(0, 5),
      vantages: ["dc-east", "office-lan"],
      vantageFailures: fleet
        .slice(0, 4)
        .map((target) => ({ target, vantage: "office-lan", rate: 0.05 })),
    });
    const v = only(r, "vantage") as VantageFinding[];
    assert.equal(v.length, 1);
    assert.equal(v[0].target, null);
    assert.match(v[0].summary, /^4 targets fail from office-lan/);
  });
});

describe("cause-shift", () => {
  test("refused → filtered since a day: from, to, at", () => {
    const at = Date.parse("2026-11-09T00:00:00Z");
    const r = report({
      seed: 6,
      days: 14,
      seconds: 3600,
      targets: ["sw1"],
      failureRate: 0.004,
      causes: ["refused"],
      causeShifts: [{ target: "sw1", at, cause: "filtered" }],
    });
    const [c] = only(r, "cause-shift") as CauseShiftFinding[];
    assert.ok(c);
    assert.equal(c.from, "refused");
    assert.equal(c.to, "filtered");
    assert.ok(Math.abs(Date.parse(c.at) - at) < 12 * 3_600_000, c.at);
  });

  test("a steady mix of causes is no shift, nor is one outage of another cause (10 seeds)", () => {
    for (let seed = 20; seed < 30; seed++) {
      const r = report({
        seed,
        days: 14,
        seconds: 300,
        targets: ["sw1"],
        failureRate: 0.01,
        causes: ["refused", "refused", "peer-reset"],
        outages: [{ at: OUTAGE, minutes: 45, targets: ["sw1"], cause: "filtered" }],
      });
      assert.deepEqual(only(r, "cause-shift"), [], `seed ${seed}`);
    }
  });
});
