/**
 * The engine on a manual clock with a probe of the test's own (the probe itself is tested
 * against real peers in probe.test.ts) and an in-memory store (the real ones: store/*.test.ts):
 * samples reach the store, state changes come out as events, a store that fails loses nothing,
 * skipped rounds are recorded, stop flushes.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { sleep } from "../session/clock.js";
import { type ManualClock, manualClock } from "../testing/manual-clock.js";
import { Monitor, type MonitorEvent, type MonitorTarget } from "./monitor.js";
import type { ProbeOutcome, ProbeSpec } from "./probe.js";
import type { Sample } from "./sample.js";
import type { KeptTrace, Store, TargetInfo } from "./store/types.js";

/** Only what the engine calls; `down` makes writes fail. */
class MemoryStore implements Store {
  readonly url = "memory:";
  readonly rows: Sample[] = [];
  readonly kept: KeptTrace[] = [];
  readonly infos: TargetInfo[] = [];
  down = false;
  async write(samples: readonly Sample[]) {
    if (this.down) throw new Error("database is down");
    this.rows.push(...samples);
  }
  async *samples() {
    yield* this.rows;
  }
  async *rollups() {}
  async *days() {}
  async *failures() {}
  async putTargets(_vantage: string, targets: readonly TargetInfo[]) {
    this.infos.splice(0, this.infos.length, ...targets);
  }
  async targets() {
    return this.infos;
  }
  async keepTrace(t: KeptTrace) {
    this.kept.push(t);
  }
  async traces() {
    return this.kept;
  }
  async compact() {
    return { rolledUp: 0, deletedSamples: 0, deletedRollups: 0, deletedTraces: 0 };
  }
  async close() {}
}

async function advance(clock: ManualClock, ms: number, step = 50): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await tick();
    await tick();
  }
}

const target = (name: string, more: Partial<MonitorTarget> = {}): MonitorTarget => ({
  name,
  host: "192.0.2.1",
  port: 23,
  level: "telnet",
  timeoutMs: 500,
  connects: 1,
  intervalMs: 1000,
  tags: [],
  ...more,
});

/** A probe whose answer per target and round the test decides. */
function scriptedProbe(
  clock: ManualClock,
  failing: (name: string, round: number) => boolean,
  takesMs = 10,
) {
  const rounds = new Map<string, number>();
  return async (spec: ProbeSpec, ctx: { wallNow: () => number }): Promise<ProbeOutcome> => {
    const n = rounds.get(spec.name) ?? 0;
    rounds.set(spec.name, n + 1);
    await sleep(clock, takesMs);
    const bad = failing(spec.name, n);
    const sample: Sample = {
      t: new Date(ctx.wallNow()).toISOString(),
      vantage: "test",
      target: spec.name,
      host: spec.host,
      port: spec.port,
      level: spec.level,
      ok: !bad,
      cause: bad ? "refused" : "healthy",
      stage: bad ? "connect" : null,
      connects: { sent: 1, answered: bad ? 0 : 1, rttMs: bad ? [] : [1.5] },
      timings: { firstByteMs: null, promptMs: null, loginMs: null },
      durationMs: takesMs,
      evidence: bad ? ["RST"] : [],
    };
    const diagnosis = {
      cause: sample.cause,
      confidence: 0.9,
      summary: "",
      evidence: [],
      advice: [],
      alternatives: [],
    };
    return { sample, diagnosis, ...(bad ? { trace: '{"t":0,"type":"x"}\n' } : {}) };
  };
}

function engine(store: Store, probe: ReturnType<typeof scriptedProbe>, clock: ManualClock) {
  const events: MonitorEvent[] = [];
  let wall = Date.parse("2026-11-30T12:00:00Z");
  const m = new Monitor({
    vantage: "test",
    store,
    clock,
    wallNow: () => wall + clock.now(),
    compactEveryMs: 0,
    onEvent: (e) => events.push(e),
    probe,
  });
  return { m, events, setWall: (w: number) => (wall = w) };
}

async function stop(m: Monitor, clock: ManualClock) {
  const p = m.stop();
  await advance(clock, 2000);
  return p;
}

describe("monitor engine", () => {
  test("every round reaches the store; state changes come out once each", async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const probe = scriptedProbe(clock, (name, n) => name === "b" && (n === 3 || n === 4));
    const { m, events } = engine(store, probe, clock);
    await m.start([target("a"), target("b"), target("c")]);
    await advance(clock, 10_000);
    const r = await stop(m, clock);
    assert.equal(r.unwritten, 0);
    assert.ok(store.rows.length >= 27, `only ${store.rows.length} samples`);
    const states = events.flatMap((e) =>
      e.kind === "state" ? [[e.sample.target, e.sample.cause, e.previous?.cause ?? null]] : [],
    );
    assert.deepEqual(
      states.filter((s) => s[0] === "b"),
      [
        ["b", "healthy", null],
        ["b", "refused", "healthy"],
        ["b", "healthy", "refused"],
      ],
    );
    assert.equal(states.length, 5);
    assert.equal(store.kept.length, 2);
    assert.deepEqual(
      store.infos.map((i) => [i.name, i.vantage]),
      [
        ["a", "test"],
        ["b", "test"],
        ["c", "test"],
      ],
    );
    assert.deepEqual(
      m.stateOf().map((s) => s.ok),
      [true, true, true],
    );
  });

  test("a store that fails: one error, the samples wait, nothing lost when it is back", async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const { m, events } = engine(
      store,
      scriptedProbe(clock, () => false),
      clock,
    );
    await m.start([target("a"), target("b")]);
    await advance(clock, 3000);
    store.down = true;
    await advance(clock, 20_000);
    const beforeRecovery = store.rows.length;
    assert.equal(events.filter((e) => e.kind === "store-error").length, 1);
    assert.ok(m.stats.writer.pending >= 30, `pending ${m.stats.writer.pending}`);
    store.down = false;
    await advance(clock, 40_000);
    assert.equal(events.filter((e) => e.kind === "store-recovered").length, 1);
    await stop(m, clock);
    assert.ok(store.rows.length > beforeRecovery + 30);
    // Every round of each target is there, in order, none twice.
    for (const name of ["a", "b"]) {
      const times = store.rows.filter((s) => s.target === name).map((s) => Date.parse(s.t));
      assert.ok(times.length >= 60, `${name}: ${times.length}`);
      for (let i = 1; i < times.length; i++) assert.equal(times[i]! - times[i - 1]!, 1000);
    }
  });

  test("a probe slower than its interval: the rounds in between are stored as skipped", async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const { m, events } = engine(
      store,
      scriptedProbe(clock, () => false, 2500),
      clock,
    );
    await m.start([target("slow", { timeoutMs: 3000 })]);
    await advance(clock, 10_000);
    await stop(m, clock);
    const skipped = store.rows.filter((s) => s.skipped);
    assert.ok(skipped.length >= 5, `skipped ${skipped.length}`);
    for (const s of skipped) {
      assert.equal(s.ok, false);
      assert.equal(s.cause, "unknown");
    }
    assert.equal(events.filter((e) => e.kind === "skipped").length, skipped.length);
    // Skipped rounds are no state change.
    assert.equal(events.filter((e) => e.kind === "state").length, 1);
  });

  test("a probe that throws is recorded as a failed round; the monitor goes on", async () => {
    const clock = manualClock();
    const store = new MemoryStore();
    const good = scriptedProbe(clock, () => false);
    let n = 0;
    const { m } = engine(
      store,
      async (spec, ctx) => {
        if (n++ === 1) throw new Error("boom");
        return good(spec, ctx);
      },
      clock,
    );
    await m.start([target("a")]);
    await advance(clock, 5000);
    await stop(m, clock);
    const failed = store.rows.filter((s) => !s.ok);
    assert.equal(failed.length, 1);
    assert.match(failed[0]!.evidence[0]!, /boom/);
    assert.ok(store.rows.length >= 4);
  });
});
