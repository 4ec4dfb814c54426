/** The scheduler on a manual clock: the grid, the spread, the bound, skips, reloads, stop. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { sleep } from "../session/clock.js";
import { type ManualClock, manualClock } from "../testing/manual-clock.js";
import { phaseOf, type Schedulable, Scheduler, type SkipReason } from "./scheduler.js";

interface T extends Schedulable {
  /** How long each round of this target takes (clock ms). */
  readonly takesMs: number;
}

/** Move the clock in steps, letting finished rounds settle after each. */
async function advance(clock: ManualClock, ms: number, step = 100): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await tick();
    await tick();
  }
}

/** Stop, moving the clock so the running rounds can finish. */
async function stopAll(h: { clock: ManualClock; s: Scheduler<T> }): Promise<void> {
  const p = h.s.stop();
  await advance(h.clock, 10_000);
  await p;
}

function harness(concurrency: number, phase?: (t: T) => number) {
  const clock = manualClock(0);
  const runs: { key: string; due: number; at: number }[] = [];
  const skips: { key: string; due: number; why: SkipReason }[] = [];
  let running = 0;
  let peak = 0;
  const s = new Scheduler<T>({
    clock,
    concurrency,
    ...(phase ? { phase } : {}),
    async run(t, due) {
      runs.push({ key: t.key, due, at: clock.now() });
      running++;
      peak = Math.max(peak, running);
      await sleep(clock, t.takesMs);
      running--;
    },
    skipped: (t, due, why) => skips.push({ key: t.key, due, why }),
  });
  return { clock, s, runs, skips, peak: () => peak };
}

describe("scheduler", () => {
  test("rounds fall on phase + k * interval, however long each takes (no drift)", async () => {
    const h = harness(10, () => 0.25);
    h.s.start([{ key: "a", intervalMs: 1000, takesMs: 330 }]);
    await advance(h.clock, 10_000, 10);
    const dues = h.runs.map((r) => r.due);
    assert.deepEqual(dues.slice(0, 5), [250, 1250, 2250, 3250, 4250]);
    assert.equal(h.runs.length, 10);
    for (const r of h.runs) assert.equal(r.at, r.due);
    assert.equal(h.skips.length, 0);
    await stopAll(h);
  });

  test("the fleet is spread over the interval by each name's hash", () => {
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) buckets[Math.floor(phaseOf(`sw-${i}.example:23`) * 10)]++;
    for (const b of buckets) assert.ok(b > 850 && b < 1150, `uneven spread: ${buckets}`);
    assert.equal(phaseOf("x"), phaseOf("x"));
  });

  test("never more than `concurrency` rounds at once", async () => {
    const h = harness(4);
    const targets = Array.from({ length: 40 }, (_, i) => ({
      key: `t${i}`,
      intervalMs: 10_000,
      takesMs: 900,
    }));
    h.s.start(targets);
    await advance(h.clock, 40_000);
    assert.ok(h.peak() <= 4, `peak ${h.peak()}`);
    assert.equal(h.peak(), 4);
    assert.equal(h.runs.filter((r) => r.due < 30_000).length, 120);
    assert.equal(h.skips.length, 0);
    await stopAll(h);
  });

  test("a round slower than the interval: the rounds due meanwhile are skipped and recorded", async () => {
    const h = harness(10, () => 0);
    h.s.start([{ key: "slow", intervalMs: 1000, takesMs: 2500 }]);
    await advance(h.clock, 6000, 10);
    // Due at 0 (runs to 2500), 1000 and 2000 skipped, 3000 runs (to 5500), 4000 and 5000 skipped.
    assert.deepEqual(
      h.runs.map((r) => r.due),
      [0, 3000, 6000],
    );
    assert.deepEqual(
      h.skips.map((s) => [s.due, s.why]),
      [
        [1000, "previous-round-running"],
        [2000, "previous-round-running"],
        [4000, "previous-round-running"],
        [5000, "previous-round-running"],
      ],
    );
    await stopAll(h);
  });

  test("saturated: every due round is either run or recorded as skipped, none lost", async () => {
    const h = harness(1, () => 0);
    const targets = Array.from({ length: 5 }, (_, i) => ({
      key: `t${i}`,
      intervalMs: 1000,
      takesMs: 400,
    }));
    h.s.start(targets);
    await advance(h.clock, 9_950, 10);
    const due = 5 * 10; // rounds due at 0, 1000, ... 9000 for each target
    assert.equal(h.runs.length + h.skips.length + h.s.stats.queued, due);
    assert.ok(h.skips.some((s) => s.why === "queue-full"));
    assert.ok(h.runs.length >= 20, `only ${h.runs.length} ran`);
    await stopAll(h);
  });

  test("a reload keeps unchanged targets on their grid, drops removed ones, adds new ones", async () => {
    const h = harness(10, (t) => (t.key === "a" ? 0.1 : 0.5));
    h.s.start([
      { key: "a", intervalMs: 1000, takesMs: 10 },
      { key: "b", intervalMs: 1000, takesMs: 10 },
    ]);
    await advance(h.clock, 2000, 10);
    h.s.setTargets([
      { key: "a", intervalMs: 1000, takesMs: 10 },
      { key: "c", intervalMs: 2000, takesMs: 10 },
    ]);
    h.runs.length = 0;
    await advance(h.clock, 4000, 10);
    const byKey = (k: string) => h.runs.filter((r) => r.key === k).map((r) => r.due);
    assert.deepEqual(byKey("a"), [2100, 3100, 4100, 5100]);
    assert.deepEqual(byKey("b"), []);
    assert.deepEqual(byKey("c"), [3000, 5000]);
    assert.equal(h.s.stats.targets, 2);
    await stopAll(h);
  });

  test("stop: no new round starts, and it waits for the running ones", async () => {
    const h = harness(10, () => 0);
    h.s.start([{ key: "a", intervalMs: 1000, takesMs: 500 }]);
    await advance(h.clock, 100, 10);
    assert.equal(h.s.stats.running, 1);
    let stopped = false;
    const p = h.s.stop().then(() => {
      stopped = true;
    });
    await tick();
    assert.equal(stopped, false);
    await advance(h.clock, 3000, 10);
    await p;
    assert.equal(stopped, true);
    assert.equal(h.runs.length, 1);
  });
});
