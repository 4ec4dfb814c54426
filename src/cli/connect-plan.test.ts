/** @module planConnect: the flags' durations, with `off` and 0 where they mean something. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTeldocError } from "../errors.js";
import { planConnect } from "./connect.js";

describe("planConnect: durations", () => {
  test("defaults: 10 s connect, 30 s dead peer, 2 s linger, no keepalive", () => {
    const p = planConnect("h", undefined, {});
    assert.deepEqual(
      [p.connectTimeoutMs, p.deadPeerMs, p.lingerMs, p.keepaliveMs],
      [10_000, 30_000, 2000, undefined],
    );
  });

  test("--keepalive off and --dead-peer off turn them off; --linger 0s closes at once", () => {
    const p = planConnect("h", undefined, { keepalive: "off", deadPeer: "off", linger: "0s" });
    assert.equal(p.keepaliveMs, undefined);
    assert.equal(p.deadPeerMs, 0, "0: the session starts no dead-peer timer");
    assert.equal(p.lingerMs, 0);
  });

  test("--anti-idle-every is kept, never dropped", () => {
    const p = planConnect("h", undefined, { antiIdle: "\r", antiIdleEvery: "4m" });
    assert.deepEqual(p.antiIdle, { text: "\r", everyMs: 240_000 });
    assert.throws(
      () => planConnect("h", undefined, { antiIdle: "\r", antiIdleEvery: "0ms" }),
      (err: unknown) => isTeldocError(err, "TELDOC_ERR_BAD_DURATION"),
    );
  });
});
