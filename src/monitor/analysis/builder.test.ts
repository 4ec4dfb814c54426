import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTeldocError } from "../../errors.js";
import { withoutRtt } from "../../testing/report-paths.js";
import { analyse, reportBuilder } from "./builder.js";
import { daysOf } from "./days.js";
import { reportMarkdown, reportText } from "./render.js";
import { SYNTHETIC_SINCE, synthetic } from "./synthetic.js";
import { FINDING_KINDS, type Report } from "./types.js";

const DAY = 86_400_000;

/** A history with one of each finding, for the shape and rendering checks. */
function everythingHistory(seconds: 300 | 3600 = 300) {
  const names = ["a", "b", "c", "d", "e", "f", "g", "h"];
  return synthetic({
    seed: 7,
    days: 28,
    seconds,
    targets: names,
    vantages: ["dc-east", "office-lan"],
    failureRate: 0.003,
    causes: ["refused"],
    tags: (t) => [t < "e" ? "site:paris" : "site:lyon"],
    windows: [{ targets: ["a"], weekday: 0, startUtc: "02:00", minutes: 30 }],
    rttSteps: [{ target: "b", at: SYNTHETIC_SINCE + 11 * DAY + 50_700_000, factor: 20 }],
    outages: [
      {
        at: SYNTHETIC_SINCE + 5 * DAY + 32_580_000,
        minutes: 3,
        targets: names.slice(2, 7),
        vantage: "office-lan",
      },
    ],
    vantageFailures: [{ target: "h", vantage: "office-lan", rate: 0.05 }],
    causeShifts: [{ target: "g", at: SYNTHETIC_SINCE + 14 * DAY, cause: "filtered" }],
    hourly: [{ targets: ["f"], hours: [33, 57, 81, 105, 129], rate: 0.05 }],
  });
}

function everything(): Report {
  return analyse(everythingHistory());
}

const FINDING_FIELDS: Record<string, string[]> = {
  "time-of-day": ["hours"],
  "recurring-window": ["weekday", "startUtc", "minutes", "weeks"],
  "change-point": ["metric", "at", "before", "after"],
  correlated: ["at", "targets"],
  vantage: ["failing", "healthy"],
  "cause-shift": ["from", "to", "at"],
};

describe("analyse: the contract's report", () => {
  const r = everything();

  test("every kind is found, and the JSON has the contract's field names", () => {
    const json = JSON.parse(JSON.stringify(r));
    assert.deepEqual(Object.keys(json).sort(), ["findings", "since", "tags", "targets", "until"]);
    assert.equal(json.since, "2026-11-01T00:00:00.000Z");
    for (const t of json.targets)
      assert.deepEqual(Object.keys(t).sort(), [
        "availability",
        "byCause",
        "findings",
        "rounds",
        "rttMs",
        "target",
        "vantage",
      ]);
    assert.deepEqual(Object.keys(json.targets[0].rttMs).sort(), ["p50", "p90"]);
    assert.deepEqual(
      [...new Set(json.findings.map((f: { kind: string }) => f.kind))].sort(),
      [...FINDING_KINDS].sort(),
    );
    for (const f of json.findings) {
      const base = ["confidence", "evidence", "kind", "summary", "target", "vantage"];
      assert.deepEqual(Object.keys(f).sort(), [...base, ...FINDING_FIELDS[f.kind]].sort(), f.kind);
      assert.ok(f.confidence >= 0 && f.confidence <= 1);
      assert.ok(f.evidence.length > 0 && f.evidence.every((e: unknown) => typeof e === "string"));
    }
  });

  test("findings are sorted most confident first; per-target findings sit in their target too", () => {
    const c = r.findings.map((f) => f.confidence);
    assert.deepEqual(
      c,
      [...c].sort((a, b) => b - a),
    );
    for (const t of r.targets) for (const f of t.findings) assert.ok(f.target === t.target);
  });

  test("per tag: the same totals as the series that carry it", () => {
    const paris = r.tags.find((t) => t.tag === "site:paris");
    assert.ok(paris);
    const series = r.targets.filter((t) => t.target < "e");
    assert.equal(paris.series, series.length);
    assert.equal(
      paris.rounds,
      series.reduce((s, t) => s + t.rounds, 0),
    );
    const refused = series.reduce((s, t) => s + (t.byCause.refused ?? 0), 0);
    assert.equal(paris.byCause.refused, refused);
  });

  test("text and Markdown: a block per target with something to say, the healthy in one line", () => {
    const text = reportText(r);
    assert.match(text, /^Monitor report 2026-11-01 00:00 UTC → 2026-11-29 00:00 UTC \(28 days\)/);
    assert.match(text, /\na from office-lan: availability/);
    assert.match(text, /\n {2}\[1\.00\] recurring-window: Fails every Sunday 02:00-02:30 UTC/);
    assert.match(text, /\nHealthy: \d+ series/);
    assert.match(text, /\nAcross targets:\n {2}\[\d\.\d\d\] (correlated|vantage)/);
    assert.match(text, /\nTags:\n {2}site:lyon: /);
    const md = reportMarkdown(r);
    assert.match(md, /^# Monitor report\n/);
    assert.match(md, /\n## Findings, most confident first\n/);
    assert.match(md, /\n\| target \| vantage \| rounds \| availability \|/);
    assert.match(md, /\n### b from dc-east\n\n- \*\*change-point\*\*/);
  });
});

describe("analyse: totals", () => {
  test("availability counts rounds that ran: skipped rounds are not failures", () => {
    const h = synthetic({ seed: 1, days: 2, targets: 1, failureRate: 0.01, skipRate: 0.05 });
    const [t] = analyse(h).targets;
    const ran = h.rollups.reduce((s, x) => s + x.rounds - x.skipped, 0);
    const ok = h.rollups.reduce((s, x) => s + x.ok, 0);
    assert.ok(h.rollups.some((x) => x.skipped > 0));
    assert.equal(
      t.rounds,
      h.rollups.reduce((s, x) => s + x.rounds, 0),
    );
    assert.equal(t.availability, ok / ran);
  });

  test("input order does not matter to analyse; the builder wants each series together", () => {
    const h = synthetic({ seed: 2, days: 3, targets: 3, vantages: ["a", "b"] });
    const shuffled = [...h.rollups].reverse();
    assert.deepEqual(analyse({ ...h, rollups: shuffled }), analyse(h));
    const b = reportBuilder(h);
    const [x, y] = [h.rollups[0], h.rollups.find((r) => r.target !== h.rollups[0].target)!];
    b.addRollup(x);
    b.addRollup(y);
    assert.throws(
      () => b.addRollup({ ...x, start: x.start + 3_600_000 }),
      (e) => isTeldocError(e, "TELDOC_ERR_INVALID_ARGUMENT"),
    );
  });

  test("one rollup size per report, and a period that is not empty", () => {
    const h = synthetic({ seed: 3, days: 1, targets: 1 });
    const b = reportBuilder(h);
    b.addRollup(h.rollups[0]);
    assert.throws(
      () => b.addRollup({ ...h.rollups[1], seconds: 300 }),
      (e) => isTeldocError(e, "TELDOC_ERR_INVALID_ARGUMENT"),
    );
    assert.throws(
      () => reportBuilder({ since: 10, until: 10 }),
      (e) => isTeldocError(e, "TELDOC_ERR_INVALID_ARGUMENT"),
    );
  });

  test("no rollups: an empty report", () => {
    const r = analyse({ since: 0, until: DAY, rollups: [] });
    assert.deepEqual(r, {
      since: "1970-01-01T00:00:00.000Z",
      until: "1970-01-02T00:00:00.000Z",
      targets: [],
      tags: [],
      findings: [],
    });
    assert.match(reportText(r), /no pattern found/);
  });
});

describe("analyse: the failed rounds a report needs", () => {
  test("failures in minutes with fewer than failuresWorthReading() failed rounds change nothing", () => {
    const names = Array.from({ length: 40 }, (_, i) => `s${String(i).padStart(2, "0")}`);
    const h = synthetic({
      seed: 9,
      days: 14,
      targets: names,
      failureRate: 0.004,
      outages: [
        { at: SYNTHETIC_SINCE + 3 * DAY + 4_000_000, minutes: 3, targets: names.slice(0, 12) },
      ],
    });
    const b = reportBuilder(h);
    for (const d of daysOf(h.rollups)) b.addDay(d);
    const need = b.failuresWorthReading();
    assert.equal(need, 8, "a fifth of 40 targets");
    const perMinute = new Map<number, number>();
    const minute = (s: { t: string }) => Math.floor(Date.parse(s.t) / 60_000);
    for (const s of h.failures) perMinute.set(minute(s), (perMinute.get(minute(s)) ?? 0) + 1);
    const some = h.failures.filter((s) => perMinute.get(minute(s))! >= need);
    assert.ok(some.length > 0 && some.length < h.failures.length / 10);
    const full = analyse(h);
    assert.deepEqual(analyse({ ...h, failures: some }), full);
    assert.ok(full.findings.some((f) => f.kind === "correlated"));
  });
});

describe("analyse: days with their hours read as their 1-h rollups", () => {
  const h = everythingHistory(3600);
  const days = daysOf(h.rollups);

  test("the same findings and totals, every kind, on a period cut mid-day, mid-hour", () => {
    for (const [since, until] of [
      [h.since, h.until],
      [h.since + 2 * DAY + 5_400_000 + 777, h.until - 3 * DAY - 1_234_567],
    ]) {
      // 1-h rollups as the store selects them: by their start.
      const rollups = h.rollups.filter((r) => r.start >= since && r.start < until);
      const full = analyse({ ...h, since, until, rollups });
      const fromDays = analyse({ ...h, since, until, rollups: undefined, days });
      assert.deepEqual(withoutRtt(fromDays), withoutRtt(full));
      assert.deepEqual(
        [...new Set(fromDays.findings.map((f) => f.kind))].sort(),
        [...FINDING_KINDS].sort(),
      );
      assert.ok(fromDays.targets[0]!.rounds < (until - since) / 60_000 + 2);
    }
  });

  test("RTT percentiles come from the days' percentiles: close to the hours' on a steady target", () => {
    const full = analyse(h);
    const fromDays = analyse({ ...h, rollups: undefined, days });
    const steady = (r: Report) => r.targets.find((t) => t.target === "a")!.rttMs;
    for (const k of ["p50", "p90"] as const) {
      const [a, b] = [steady(full)[k]!, steady(fromDays)[k]!];
      assert.ok(Math.abs(a - b) / a < 0.05, `${k}: ${a} vs ${b}`);
    }
  });

  test("a report reads rollups or days, not both; a day starts at 00:00 UTC", () => {
    const b = reportBuilder(h);
    b.addDay(days[0]!);
    assert.throws(
      () => b.addRollup(h.rollups[0]!),
      (e) => isTeldocError(e, "TELDOC_ERR_INVALID_ARGUMENT"),
    );
    assert.throws(
      () => reportBuilder(h).addDay({ ...days[0]!, start: days[0]!.start + 3_600_000 }),
      (e) => isTeldocError(e, "TELDOC_ERR_INVALID_ARGUMENT"),
    );
  });
});
