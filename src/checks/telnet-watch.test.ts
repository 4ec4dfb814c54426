/**
 * The telnet check's time limits against servers that never give it a prompt — silence, a flood
 * of text, a negotiation storm, a byte at a time — with the servers' pace and the checklist on
 * one manual clock: each limit is reached in milliseconds, and the check's duration shows which
 * limit ended it. (Garbage that ends at once, and real daemons: checks.test.ts, src/e2e/.)
 */
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { afterEach, beforeEach, describe, test } from "node:test";
import { assertVerdict, ClockedWorld, checkOf } from "../testing/checklist.js";
import { TELNET_WAIT } from "./telnet.js";

let world: ClockedWorld;
beforeEach(() => {
  world = new ClockedWorld();
});
afterEach(() => world.close());

/** Write `chunk` every `everyMs` of the world's clock, until the connection closes. */
function every(everyMs: number, chunk: Buffer | string) {
  return (s: Socket) => {
    const tick = () => {
      if (s.destroyed) return;
      s.write(chunk);
      timer = world.clock.after(everyMs, tick);
    };
    let timer = world.clock.after(everyMs, tick);
    s.on("close", () => timer.cancel());
  };
}

describe("diagnose: the telnet check's limits on a manual clock", () => {
  test("silence: Enter is pressed once, then the check gives up at silentMs and warns", async () => {
    const r = await world.check(await world.server(() => {}));
    const t = checkOf(r, "telnet");
    assert.equal(t.status, "warn", t.summary);
    assert.equal(t.data.nudged, true);
    assert.equal(t.data.bytesIn, 0);
    assert.equal(t.durationMs, TELNET_WAIT.silentMs, "silent until silentMs");
    assertVerdict(r, "healthy");
    assert.ok(r.verdict.confidence < 0.9, "a warning lowers the confidence");
  });

  test("a flood of text (64 KiB every 20 ms): the check stops at its limit and warns", async () => {
    const text = Buffer.alloc(64 * 1024, "spam ".repeat(13));
    const r = await world.check(await world.server(every(20, text)));
    const t = checkOf(r, "telnet");
    assert.equal(t.status, "warn", t.summary);
    assert.ok((t.data.banner as string[]).length <= 8);
    assert.equal(t.durationMs, TELNET_WAIT.maxMs);
  });

  test("endless negotiation (a WILL/WONT storm every 100 ms): bounded, and not called healthy Telnet with a prompt", async () => {
    const storm = Buffer.from(
      Array.from({ length: 4096 }, (_, i) => [0xff, i % 2 ? 0xfb : 0xfc, 1]).flat(),
    );
    const r = await world.check(await world.server(every(100, storm)));
    const t = checkOf(r, "telnet");
    assert.notEqual(t.data.prompt, "login");
    assert.equal(t.status, "warn", t.summary);
    assert.equal(t.durationMs, TELNET_WAIT.maxMs);
  });

  test("slowloris: a byte every 0.3 s never makes a prompt; the check ends at its limit", async () => {
    const port = await world.server(every(300, "x"));
    const r = await world.check(port);
    const t = checkOf(r, "telnet");
    assert.equal(t.status, "warn", t.summary);
    assert.equal(t.data.nudged, false, "never quiet long enough to press Enter");
    assert.equal(t.durationMs, TELNET_WAIT.maxMs, t.summary);
  });
});
