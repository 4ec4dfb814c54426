/**
 * The clock's promises: sleep() waits on the given clock, ends early on abort (its timer
 * cancelled), and on the system clock keeps the process alive, which a plain timer does not.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { manualClock } from "../testing/manual-clock.js";
import { sleep } from "./clock.js";

/** Run `body` in a fresh Node process with the clock module imported as `c`; its stdout. */
function inChild(body: string): string {
  const clock = new URL("./clock.js", import.meta.url).href;
  const script = `import * as c from ${JSON.stringify(clock)};\n${body}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    timeout: 20_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

describe("sleep", () => {
  test("resolves when the clock has moved by its time, not before", async () => {
    const clock = manualClock();
    let woke = false;
    void sleep(clock, 500).then(() => {
      woke = true;
    });
    clock.advance(499);
    await turn();
    assert.equal(woke, false);
    clock.advance(1);
    await turn();
    assert.equal(woke, true);
  });

  test("an abort ends it at once and cancels its timer", async () => {
    const clock = manualClock();
    const ac = new AbortController();
    const slept = sleep(clock, 60_000, ac.signal);
    assert.equal(clock.pending, 1);
    ac.abort();
    await slept;
    assert.equal(clock.pending, 0);
    await sleep(clock, 60_000, ac.signal); // already aborted: no wait at all
    assert.equal(clock.pending, 0);
  });

  test("on the system clock it keeps the process alive; a plain timer (unref'd) does not", () => {
    assert.equal(inChild(`c.sleep(c.systemClock, 100).then(() => console.log("woke"));`), "woke");
    assert.equal(inChild(`c.systemClock.after(100, () => console.log("fired"));`), "");
    assert.equal(
      inChild(`c.systemClock.after(100, () => console.log("fired"), { keepAlive: true });`),
      "fired",
    );
  });
});
