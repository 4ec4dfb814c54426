import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { makeSample, prng } from "../testing/monitor-samples.js";
import { withoutRtt } from "../testing/report-paths.js";
import { collect } from "../testing/store-cases.js";
import { analyse } from "./analysis/builder.js";
import type { Report } from "./analysis/types.js";
import { readReport } from "./report-read.js";
import type { Sample } from "./sample.js";
import { openStore } from "./store/open.js";
import type { Store } from "./store/types.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);
const DAYS = 12;
const STEP = T0 + 6 * DAY + 12 * 3_600_000;

/** One round of `target` at t, with the patterns the report must find. */
function round(t: number, target: string, vantage: string, rnd: () => number): Sample {
  const minuteOfDay = (t % DAY) / 60_000;
  if (target === "win" && minuteOfDay >= 180 && minuteOfDay < 220)
    return { ...makeSample(t, target, vantage, "failed", rnd), cause: "refused", stage: "connect" };
  if (target === "shift" && rnd() < 0.08) {
    const cause = t < T0 + 5 * DAY ? "refused" : "filtered";
    return { ...makeSample(t, target, vantage, "failed", rnd), cause, stage: "connect" };
  }
  if (target === "path" && vantage === "lan" && rnd() < 0.2)
    return makeSample(t, target, vantage, "failed", rnd);
  const s = makeSample(t, target, vantage, rnd() < 0.004 ? "failed" : "healthy", rnd);
  if (target !== "step" || t < STEP || !s.ok) return s;
  return { ...s, connects: { ...s.connects, rttMs: s.connects.rttMs.map((x) => x * 20) } };
}

/** 12 days of rounds every 5 minutes: enough to fill every hour. */
function samples(): Sample[] {
  const rnd = prng(5);
  const out: Sample[] = [];
  for (let t = T0; t < T0 + DAYS * DAY; t += 300_000) {
    for (const target of ["calm", "path", "shift", "step", "win"]) {
      out.push(round(t + 1000, target, "lan", rnd));
      if (target === "path" || target === "calm") out.push(round(t + 2000, target, "wan", rnd));
    }
  }
  return out;
}

describe("readReport on a real SQLite store", () => {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-report-"));
  let store: Store;
  before(async () => {
    store = await openStore(`sqlite:${join(dir, "r.db")}`);
    const all = samples();
    for (let i = 0; i < all.length; i += 5000) await store.write(all.slice(i, i + 5000));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const kinds = (r: Report) => [...new Set(r.findings.map((f) => f.kind))].sort();

  test("over more than 3 days, days with their hours find what the 1-h rollups find", async () => {
    for (const [since, until] of [
      [T0, T0 + DAYS * DAY],
      [T0 + DAY / 2 + 17 * 60_000 + 123, T0 + DAYS * DAY - 3 * 3_600_000 - 1],
    ] as const) {
      const fromDays = await readReport(store, { since, until });
      const fromHours = await readReport(store, { since, until, read: "hours" });
      assert.deepEqual(withoutRtt(fromDays), withoutRtt(fromHours));
      assert.deepEqual(kinds(fromDays), [
        "cause-shift",
        "change-point",
        "recurring-window",
        "vantage",
      ]);
      const step = fromDays.findings.find((f) => f.kind === "change-point");
      assert.equal(step?.target, "step");
      assert.equal(step?.kind === "change-point" && step.at, new Date(STEP).toISOString());
    }
  });

  test("one target, one vantage point: only its series", async () => {
    const r = await readReport(store, {
      since: T0,
      until: T0 + DAYS * DAY,
      target: "path",
      vantage: "wan",
    });
    assert.deepEqual(
      r.targets.map((t) => [t.target, t.vantage]),
      [["path", "wan"]],
    );
    assert.equal(r.targets[0]!.rounds, DAYS * 288);
  });

  test("up to 3 days: 5-min rollups", async () => {
    const since = T0 + 4 * DAY + 1;
    const q = { since, until: since + 3 * DAY };
    const rollups = await collect(store.rollups({ ...q, seconds: 300 }));
    const failures = await collect(store.samples({ ...q, failedOnly: true }));
    const want = analyse({ ...q, rollups, failures, targets: await store.targets() });
    assert.deepEqual(await readReport(store, q), want);
    assert.ok(want.findings.length > 0 && want.targets.length === 7);
  });
});
