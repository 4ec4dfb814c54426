/**
 * The idle check (--idle-test) against the lab's scenarios, the lab and the checklist on one
 * manual clock: holds of seconds run in milliseconds, and the times the check measures are the
 * clock's, so they are exact. (The same scenarios against real daemons and real time: src/e2e/.)
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, describe, test } from "node:test";
import { assertVerdict, ClockedWorld, checkOf } from "../testing/checklist.js";

let world: ClockedWorld;
beforeEach(() => {
  world = new ClockedWorld();
});
afterEach(() => world.close());

interface Run {
  outcome: string;
  diedAfterMs?: number;
  heldMs: number;
  serverSaid?: string;
}

describe("diagnose --idle-test on a manual clock", () => {
  test("idle pass: a healthy server keeps a session idle for 2 min and answers the keystroke", async () => {
    const port = await world.lab("healthy");
    const r = await world.check(port, { user: "demo", password: "demo", idleTestMs: 120_000 });
    const c = checkOf(r, "idle");
    assert.equal(c.status, "pass", c.summary);
    const first = c.data.first as Run;
    assert.equal(first.outcome, "alive");
    assert.equal(first.heldMs, 120_000, "held exactly the time asked for");
    assertVerdict(r, "healthy");
  });

  test("idle fail: a 5 min idle logout with a message; keepalive does not help, keystrokes do -> idle-timeout", async () => {
    const port = await world.lab("idle-timeout", { idleTimeoutMs: 300_000, variant: "message" });
    const r = await world.check(port, { user: "demo", password: "demo", idleTestMs: 600_000 });
    const c = checkOf(r, "idle");
    assert.equal(c.status, "fail", c.summary);
    const first = c.data.first as Run;
    assert.equal(first.outcome, "fin-message");
    // The server's timer starts at our last keystroke, and so does the check's count.
    assert.ok(
      first.diedAfterMs !== undefined && Math.abs(first.diedAfterMs - 300_000) <= 100,
      `died after ${first.diedAfterMs} ms`,
    );
    assert.match(first.serverSaid ?? "", /auto-logout/);
    assert.equal(c.data.keepaliveHelps, false);
    assert.equal(c.data.keepaliveMs, Math.round(first.diedAfterMs / 2));
    assert.equal(c.data.keystrokesHelp, true, "Enter every half the time keeps it open");
    assertVerdict(r, "idle-timeout");
    assert.ok(r.verdict.advice.some((a) => /keystrokes/.test(a)));
  });

  test("idle: a server that closes 1.5 s into every session, input or not -> server-closed, not idle-timeout", async () => {
    const port = await world.lab("server-closed", { afterMs: 1500 });
    const r = await world.check(port, { user: "demo", password: "demo", idleTestMs: 5000 });
    const c = checkOf(r, "idle");
    assert.equal(c.status, "fail", c.summary);
    assert.equal(c.data.keystrokesHelp, false, c.summary);
    assertVerdict(r, "server-closed");
  });

  test("idle: an RST while idle, with or without keepalive -> peer-reset", async () => {
    const port = await world.lab("peer-reset", { afterMs: 1500 });
    const r = await world.check(port, { user: "demo", password: "demo", idleTestMs: 5000 });
    const c = checkOf(r, "idle");
    assert.equal((c.data.first as Run).outcome, "rst", c.summary);
    assert.equal(c.data.keepaliveHelps, false);
    assertVerdict(r, "peer-reset");
  });

  test("idle fail, silent variant: a FIN without a word is still the server's idle policy", async () => {
    const port = await world.lab("idle-timeout", { idleTimeoutMs: 1500, variant: "silent" });
    const r = await world.check(port, { user: "demo", password: "demo", idleTestMs: 5000 });
    const c = checkOf(r, "idle");
    assert.equal((c.data.first as Run).outcome, "fin-silent");
    assert.equal(c.data.keepaliveHelps, false);
    assertVerdict(r, "idle-timeout");
  });

  test("an abort during the idle hold ends it at once: idle interrupted, verdict unknown, not healthy", async () => {
    const port = await world.lab("healthy");
    const abort = new AbortController();
    let heldAt: number | undefined;
    const r = await world.check(port, {
      user: "demo",
      password: "demo",
      idleTestMs: 3_600_000,
      signal: abort.signal,
      onProgress: (e) => {
        if (e.kind !== "news" || !/holding a session idle: 2 s/.test(e.text)) return;
        heldAt ??= world.clock.now();
        abort.abort();
      },
    });
    assert.ok(heldAt !== undefined, "the hold began");
    assert.ok(world.clock.now() - heldAt < 1000, "it ended at once, not after the hour's hold");
    assert.equal(checkOf(r, "telnet").status, "pass");
    const idle = checkOf(r, "idle");
    assert.equal(idle.status, "skip", idle.summary);
    assert.match(idle.summary, /interrupted/);
    assertVerdict(r, "unknown");
  });
});
