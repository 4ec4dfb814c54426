/**
 * Held sessions: the loop with a hold of the test's own (samples, pacing, stop), the summary of
 * held deaths (pure), and end to end a real held session against the lab's idle-timeout server
 * through the engine into a real SQLite store.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import type { IdleRun } from "../diagnosis/index.js";
import { startLab } from "../lab/server.js";
import { systemClock } from "../session/clock.js";
import { HeldCollector } from "./analysis/held.js";
import { HeldSessions } from "./held.js";
import { Monitor, type MonitorTarget } from "./monitor.js";
import type { Sample } from "./sample.js";
import { openStore } from "./store/open.js";

/** A failed sample with the fields these tests set. */
function makeSample(more: Partial<Sample>): Sample {
  return {
    t: "2026-11-30T10:00:00.000Z",
    vantage: "lan",
    target: "sw1",
    host: "192.0.2.1",
    port: 23,
    level: "login",
    ok: false,
    cause: "unknown",
    stage: "session",
    connects: { sent: 0, answered: 0, rttMs: [] },
    timings: { firstByteMs: null, promptMs: null, loginMs: null },
    durationMs: 0,
    evidence: [],
    ...more,
  };
}

const target = (more: Partial<MonitorTarget> = {}): MonitorTarget => ({
  name: "sw1",
  host: "127.0.0.1",
  port: 2323,
  level: "login",
  user: "demo",
  password: "demo",
  timeoutMs: 2000,
  connects: 1,
  intervalMs: 1000,
  tags: [],
  holdMs: 60_000,
  ...more,
});

describe("held sessions", () => {
  test("each held session becomes one sample of NAME/held; stop ends the loop", async () => {
    const runs: IdleRun[] = [
      {
        outcome: "fin-message",
        heldMs: 300,
        diedAfterMs: 300,
        atLogin: false,
        serverSaid: "auto-logout",
      },
      { outcome: "alive", heldMs: 400, atLogin: false },
    ];
    let n = 0;
    const samples: Sample[] = [];
    const held = new HeldSessions({
      vantage: "v",
      clock: systemClock,
      wallNow: Date.now,
      onSample: (s) => samples.push(s),
      hold: async (o) => {
        const run = runs[n++ % runs.length]!;
        await new Promise((r) => setTimeout(r, 5));
        return o.signal?.aborted
          ? { outcome: "no-session", heldMs: 0, atLogin: false, why: "interrupted" }
          : run;
      },
    });
    held.set([target({ intervalMs: 1000 }), target({ name: "no-hold", holdMs: undefined })]);
    const deadline = Date.now() + 5000;
    while (samples.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await held.stop();
    const count = samples.length;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(samples.length, count, "nothing after stop");
    assert.ok(count >= 2, `${count} samples`);
    assert.ok(samples.every((s) => s.target === "sw1/held"));
    const died = samples.find((s) => !s.ok)!;
    assert.equal(died.stage, "session");
    assert.equal(died.durationMs, 300);
    assert.match(died.evidence[0]!, /held idle/);
    const lasted = samples.find((s) => s.ok)!;
    assert.equal(lasted.stage, null);
    assert.equal(lasted.cause, "healthy");
  });

  test("summary: deaths after about the same idle time while fresh rounds work", () => {
    const c = new HeldCollector();
    for (const [i, ms] of [298_000, 301_000, 300_500, 299_000].entries())
      c.add(
        makeSample({
          target: "sw1/held",
          vantage: "lan",
          ok: false,
          cause: "middlebox-timeout",
          stage: "session",
          durationMs: ms,
          t: new Date(Date.UTC(2026, 10, 30, 10, i * 6)).toISOString(),
          evidence: ["a session held idle went dead"],
        }),
      );
    c.add(
      makeSample({ target: "sw1", vantage: "lan", ok: false, cause: "refused", stage: "connect" }),
    );
    const [h] = c.finish((t) => (t === "sw1" ? 1 : null));
    assert.equal(h?.target, "sw1");
    assert.equal(h?.died, 4);
    assert.equal(h?.regular, true);
    assert.equal(h?.byCause["middlebox-timeout"], 4);
    assert.match(h!.summary, /about 5\.0 min idle/);
    assert.match(h!.summary, /NAT or firewall/);
    const scattered = new HeldCollector();
    for (const ms of [20_000, 300_000, 1_200_000])
      scattered.add(
        makeSample({
          target: "x/held",
          ok: false,
          cause: "network-failure",
          stage: "session",
          durationMs: ms,
        }),
      );
    const [s] = scattered.finish(() => 1);
    assert.equal(s?.regular, false);
    assert.doesNotMatch(s!.summary, /NAT or firewall/);
  });

  test("end to end: the lab's idle timeout kills held sessions; fresh rounds stay healthy", async () => {
    const lab = await startLab({
      scenario: "idle-timeout",
      port: 0,
      config: { idleTimeoutMs: 1500, user: "demo", password: "demo" },
    });
    const dir = await mkdtemp(join(tmpdir(), "teldoc-held-"));
    const store = await openStore(`sqlite:${join(dir, "h.db")}`);
    const held: Sample[] = [];
    const m = new Monitor({
      vantage: "lan",
      store,
      clock: systemClock,
      wallNow: Date.now,
      compactEveryMs: 0,
      onEvent: (e) => {
        if (e.kind === "held") held.push(e.sample);
      },
    });
    try {
      await m.start([
        target({ port: lab.port, holdMs: 20_000, intervalMs: 2000, timeoutMs: 1900 }),
      ]);
      const deadline = Date.now() + 30_000;
      while (held.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await m.stop();
      await lab.close();
    }
    try {
      assert.ok(held.length >= 2, `held sessions: ${JSON.stringify(held)}`);
      for (const h of held) {
        assert.equal(h.target, "sw1/held");
        assert.equal(h.cause, "idle-timeout", JSON.stringify(h));
        assert.ok(h.durationMs >= 1000 && h.durationMs < 5000, `${h.durationMs} ms`);
      }
      const stored: Sample[] = [];
      for await (const s of store.samples()) stored.push(s);
      const fresh = stored.filter((s) => s.target === "sw1");
      assert.ok(fresh.length >= 2 && fresh.every((s) => s.ok), JSON.stringify(fresh));
      assert.ok(stored.filter((s) => s.target === "sw1/held").length >= 2);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
