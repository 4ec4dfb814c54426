/** @module resolveOptions: durations as milliseconds or strings with a unit; zero only where it means something. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ErrorCode } from "../errors.js";
import { isTeldocError } from "../errors.js";
import { type ConnectOptions, durationMs, resolveOptions } from "./options.js";

describe("resolveOptions: durations", () => {
  test("numbers are milliseconds, strings carry their unit", () => {
    const o = resolveOptions({ host: "h", connectTimeout: 2500, commandTimeout: "5s" });
    assert.equal(o.connectTimeoutMs, 2500);
    assert.equal(o.commandTimeoutMs, 5000);
  });

  test('"off" turns off idleTimeout, keepalive and deadPeer', () => {
    const o = resolveOptions({ host: "h", idleTimeout: "off", keepalive: "off", deadPeer: "off" });
    assert.equal(o.idleTimeoutMs, undefined);
    assert.equal(o.keepaliveMs, undefined);
    assert.equal(o.deadPeerMs, 0, "0: the session starts no dead-peer timer");
  });

  test("quietTime may be 0 (trust a prompt at once)", () => {
    assert.equal(resolveOptions({ host: "h", quietTime: 0 }).quietMs, 0);
    assert.equal(resolveOptions({ host: "h", quietTime: "0s" }).quietMs, 0);
  });

  const bad: [Partial<ConnectOptions>, ErrorCode, RegExp][] = [
    [{ connectTimeout: "10" }, "TELDOC_ERR_BAD_DURATION", /^connectTimeout: "10" has no unit/],
    [{ commandTimeout: "0s" }, "TELDOC_ERR_BAD_DURATION", /^commandTimeout: "0s" must be more/],
    [{ loginTimeout: 0 }, "TELDOC_ERR_INVALID_ARGUMENT", /^loginTimeout = 0 /],
    [{ connectTimeout: -1 }, "TELDOC_ERR_INVALID_ARGUMENT", /^connectTimeout = -1 /],
    [{ keepalive: 0 }, "TELDOC_ERR_INVALID_ARGUMENT", /^keepalive = 0 .*"off"/],
    [{ deadPeer: "0ms" }, "TELDOC_ERR_BAD_DURATION", /write off to turn it off/],
    [{ idleTimeout: Number.NaN }, "TELDOC_ERR_INVALID_ARGUMENT", /^idleTimeout = NaN /],
    [{ connectTimeout: "off" }, "TELDOC_ERR_BAD_DURATION", /is not a duration/],
    [{ quietTime: -5 }, "TELDOC_ERR_INVALID_ARGUMENT", /^quietTime = -5 .*>= 0/],
    [
      { commandTimeout: 3e9 },
      "TELDOC_ERR_INVALID_ARGUMENT",
      /^commandTimeout = 3000000000 is too long/,
    ],
  ];
  for (const [options, code, message] of bad)
    test(`${JSON.stringify(options)}: ${code}`, () => {
      assert.throws(
        () => resolveOptions({ host: "h", ...options }),
        (err: unknown) => isTeldocError(err, code) && message.test(err.message),
      );
    });

  test("a per-call timeout follows the same rules", () => {
    assert.equal(durationMs("2s", "timeout"), 2000);
    assert.throws(() => durationMs(0, "timeout"), /timeout = 0/);
    assert.throws(() => durationMs("30", "timeout"), /"30" has no unit/);
  });
});
