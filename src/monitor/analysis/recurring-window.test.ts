import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { analyseAsStored } from "../../testing/report-paths.js";
import { type SyntheticOptions, synthetic } from "./synthetic.js";
import type { Finding, RecurringWindowFinding, Report } from "./types.js";

function report(o: SyntheticOptions): Report {
  const h = synthetic(o);
  return analyseAsStored({ ...h, failures: h.failures, targets: h.targets });
}

const windows = (r: Report) =>
  r.findings.filter((f): f is RecurringWindowFinding => f.kind === "recurring-window");
const kinds = (r: Report) => r.findings.map((f: Finding) => f.kind);

const base = { days: 28, seconds: 300, targets: ["db1"], failureRate: 0.002 } as const;

describe("recurring-window", () => {
  test("a Sunday 02:00-02:30 window in every week: weekday, start, length and the weeks", () => {
    const r = report({
      ...base,
      seed: 1,
      windows: [{ targets: ["db1"], weekday: 0, startUtc: "02:00", minutes: 30 }],
    });
    const [w, ...rest] = windows(r);
    assert.equal(rest.length, 0);
    assert.equal(w.target, "db1");
    assert.equal(w.vantage, "office-lan");
    assert.equal(w.weekday, 0);
    assert.equal(w.startUtc, "02:00");
    assert.equal(w.minutes, 30);
    assert.deepEqual(w.weeks, ["2026-11-01", "2026-11-08", "2026-11-15", "2026-11-22"]);
    assert.ok(w.confidence >= 0.95);
    assert.match(w.summary, /every Sunday 02:00-02:30 UTC/);
    assert.ok(
      w.evidence.some((e) => e.includes("2026-11-08 02:00-02:30 UTC: 30 of 30 rounds failed")),
    );
    assert.ok(!kinds(r).includes("time-of-day"), "the window explains the hour");
  });

  test("seen in 3 of 4 weeks: the 3 weeks, and the healthy one in the evidence", () => {
    const r = report({
      ...base,
      seed: 2,
      windows: [
        { targets: ["db1"], weekday: 3, startUtc: "22:10", minutes: 20, occurrences: [0, 1, 3] },
      ],
    });
    const [w] = windows(r);
    assert.ok(w);
    assert.equal(w.weekday, 3);
    assert.equal(w.startUtc, "22:10");
    assert.equal(w.minutes, 20);
    assert.deepEqual(w.weeks, ["2026-11-04", "2026-11-11", "2026-11-25"]);
    assert.ok(w.evidence.some((e) => e.startsWith("healthy: Wed 2026-11-18")));
  });

  test("a daily window: weekday null, one date per day", () => {
    const r = report({
      ...base,
      seed: 3,
      windows: [{ targets: ["db1"], weekday: null, startUtc: "03:15", minutes: 10 }],
    });
    const [w, ...rest] = windows(r);
    assert.equal(rest.length, 0, JSON.stringify(rest.map((x) => x.summary)));
    assert.equal(w.weekday, null);
    assert.equal(w.startUtc, "03:15");
    assert.equal(w.minutes, 10);
    assert.equal(w.weeks.length, 28);
    assert.match(w.summary, /every day 03:15-03:25 UTC/);
  });

  test("hourly rollups place the window in its hour", () => {
    const r = report({
      ...base,
      seconds: 3600,
      seed: 4,
      windows: [{ targets: ["db1"], weekday: 6, startUtc: "23:00", minutes: 30 }],
    });
    const [w] = windows(r);
    assert.ok(w);
    assert.equal(w.weekday, 6);
    assert.equal(w.startUtc, "23:00");
    assert.equal(w.minutes, 60);
  });

  test("a window seen in one week only is not recurring", () => {
    for (let seed = 10; seed < 15; seed++) {
      const r = report({
        ...base,
        seed,
        windows: [
          { targets: ["db1"], weekday: 0, startUtc: "02:00", minutes: 30, occurrences: [1] },
        ],
      });
      assert.deepEqual(windows(r), [], `seed ${seed}`);
    }
  });

  test("uniform noise is no window and no time-of-day pattern (false positives over 60 seeds ≤ 3)", () => {
    let false_ = 0;
    for (let seed = 100; seed < 160; seed++) {
      const r = report({ ...base, seed, failureRate: 0.01 + (seed % 5) * 0.01 });
      if (r.findings.some((f) => f.kind === "recurring-window" || f.kind === "time-of-day"))
        false_++;
    }
    assert.ok(false_ <= 3, `${false_} of 60 noise histories had a window or a time-of-day`);
  });
});
