/**
 * connect()'s reconnect loop: the backoff between attempts on a manual clock (each pause is
 * exactly the policy's, and no attempt comes early), and, on the system clock, a pause that
 * keeps the process alive although no socket is open.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { until } from "../testing/clock-drive.js";
import { freePorts } from "../testing/daemons.js";
import { manualClock } from "../testing/manual-clock.js";
import { connect } from "./connect.js";
import { SessionError } from "./errors.js";

describe("connect({ reconnect }): the pause between attempts", () => {
  test("exponential backoff on the clock: 1 s, 2 s, 4 s, then it gives up with the cause", async () => {
    const [port] = await freePorts(1);
    const clock = manualClock();
    let attempts = 0;
    const retries: { attempt: number; delayMs: number }[] = [];
    let failed: unknown;
    const done = connect({
      host: "127.0.0.1",
      port,
      clock,
      trace: (e) => {
        if (e.type === "connecting") attempts++;
      },
      reconnect: {
        retries: 3,
        initialDelayMs: 1000,
        jitter: 0,
        onRetry: (i) => retries.push({ attempt: i.attempt, delayMs: i.delayMs }),
      },
    }).catch((err: unknown) => {
      failed = err;
    });
    for (const [n, delayMs] of [
      [1, 1000],
      [2, 2000],
      [3, 4000],
    ]) {
      await until(() => retries.length === n && clock.nextIn !== undefined, `retry ${n} waits`);
      assert.equal(attempts, n);
      assert.equal(clock.nextIn, delayMs, `the pause before retry ${n}`);
      clock.advance(delayMs - 1);
      for (let i = 0; i < 5; i++) await turn();
      assert.equal(attempts, n, `no attempt ${delayMs - 1} ms into the pause`);
      clock.advance(1);
    }
    await done;
    assert.equal(attempts, 4);
    assert.deepEqual(
      retries.map((r) => r.delayMs),
      [1000, 2000, 4000],
    );
    assert.equal(clock.now(), 7000);
    assert.ok(failed instanceof SessionError, String(failed));
    assert.equal(failed.code, "TELDOC_ERR_CONNECT_FAILED");
    assert.equal(failed.diagnosis?.cause, "refused");
  });

  test("an abort during the pause ends it at once: the last error, no more attempts", async () => {
    const [port] = await freePorts(1);
    const clock = manualClock();
    const ac = new AbortController();
    let retried = 0;
    let failed: unknown;
    const done = connect({
      host: "127.0.0.1",
      port,
      clock,
      signal: ac.signal,
      reconnect: { retries: 5, initialDelayMs: 60_000, onRetry: () => retried++ },
    }).catch((err: unknown) => {
      failed = err;
    });
    await until(() => retried === 1 && clock.nextIn !== undefined, "the first pause");
    ac.abort();
    await done;
    assert.ok(failed instanceof SessionError);
    assert.equal(failed.diagnosis?.cause, "refused");
    assert.equal(clock.pending, 0, "the pause's timer was cancelled");
    assert.equal(retried, 1);
  });

  test("on the system clock the pause keeps the process alive (no socket is open during it)", async () => {
    const [port] = await freePorts(1);
    const index = new URL("../index.js", import.meta.url).href;
    const script = `import { connect } from ${JSON.stringify(index)};
connect({ host: "127.0.0.1", port: ${port}, reconnect: { retries: 1, initialDelayMs: 300, jitter: 0 } })
  .catch((e) => console.log("gave up:", e.code, e.diagnosis.cause));`;
    const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
      encoding: "utf8",
      timeout: 20_000,
    });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "gave up: TELDOC_ERR_CONNECT_FAILED refused");
  });
});
