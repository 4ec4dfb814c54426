import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseAsStored } from "../../testing/report-paths.js";
import { type SyntheticOptions, synthetic } from "./synthetic.js";
import { describeHours } from "./time-of-day.js";
import type { Report, TimeOfDayFinding } from "./types.js";

function report(o: SyntheticOptions): Report {
  return analyseAsStored(synthetic(o));
}
const tod = (r: Report) =>
  r.findings.filter((f): f is TimeOfDayFinding => f.kind === "time-of-day");

describe("time-of-day", () => {
  test("weekday mornings at 5 % against a 0.3 % baseline: those hours, with counts vs expected", () => {
    const hours = [1, 2, 3, 4, 5].flatMap((d) => [d * 24 + 9, d * 24 + 10]);
    const r = report({
      seed: 5,
      days: 28,
      seconds: 3600,
      targets: ["sw1", "sw2"],
      failureRate: 0.003,
      hourly: [{ targets: ["sw1"], hours, rate: 0.05 }],
    });
    const [f, ...rest] = tod(r);
    assert.equal(rest.length, 0, "sw2 has no pattern");
    assert.equal(f.target, "sw1");
    assert.deepEqual(f.hours, hours);
    assert.match(f.summary, /Mon-Fri 09:00-11:00 UTC/);
    assert.ok(f.evidence.some((e) => /failures in .* rounds .* expected at the baseline/.test(e)));
    assert.ok(f.confidence >= 0.95);
  });

  test("every day 14:00-15:00: all seven days", () => {
    const hours = [0, 1, 2, 3, 4, 5, 6].map((d) => d * 24 + 14);
    const r = report({
      seed: 6,
      days: 28,
      seconds: 300,
      targets: ["sw1"],
      failureRate: 0.002,
      hourly: [{ targets: ["sw1"], hours, rate: 0.04 }],
    });
    const [f] = tod(r);
    assert.ok(f);
    assert.deepEqual(f.hours, hours);
    assert.match(f.summary, /every day 14:00-15:00 UTC/);
  });

  test("one bad afternoon is not a pattern (each hour is tested without its worst week)", () => {
    const r = report({
      seed: 7,
      days: 28,
      seconds: 300,
      targets: ["sw1"],
      failureRate: 0.002,
      outages: [{ at: Date.parse("2026-11-10T13:00:00Z"), minutes: 180, targets: ["sw1"] }],
    });
    assert.deepEqual(tod(r), []);
  });

  test("hours in words", () => {
    assert.equal(describeHours([2]), "Sunday 02:00-03:00");
    assert.equal(describeHours([26, 27, 50, 51]), "Mon-Tue 02:00-04:00");
    assert.equal(
      describeHours([0, 1, 2, 3, 4, 5, 6].map((d) => d * 24 + 23)),
      "every day 23:00-24:00".replace("24:00", "00:00"),
    );
  });
});
