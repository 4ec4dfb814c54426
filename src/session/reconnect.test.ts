import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CAUSES } from "../diagnosis/index.js";
import type { Cause } from "../trace/events.js";
import { NEVER_RETRY, RETRY_CAUSES, retryDecision } from "./reconnect.js";

describe("retryDecision: backoff tied to the diagnosis", () => {
  test("network causes are retried with exponential backoff, capped", () => {
    const mid = () => 0.5;
    const delays = [1, 2, 3, 4, 5].map((n) => {
      const d = retryDecision(
        "filtered",
        n,
        { initialDelayMs: 100, maxDelayMs: 1000, jitter: 0 },
        mid,
      );
      assert.ok(d.retry);
      return d.delayMs;
    });
    assert.deepEqual(delays, [100, 200, 400, 800, 1000]);
  });
  test("jitter spreads the delay within [base*(1-j), base]", () => {
    const lo = retryDecision("peer-reset", 3, { initialDelayMs: 100, jitter: 0.5 }, () => 0);
    const hi = retryDecision("peer-reset", 3, { initialDelayMs: 100, jitter: 0.5 }, () => 1);
    assert.ok(lo.retry && hi.retry);
    assert.equal(lo.delayMs, 200);
    assert.equal(hi.delayMs, 400);
  });
  test("never after auth-failed, acl-rejected, wrong-service, dns-failure", () => {
    for (const c of ["auth-failed", "acl-rejected", "wrong-service", "dns-failure"] as Cause[]) {
      const d = retryDecision(c, 1);
      assert.equal(d.retry, false, c);
      assert.equal(d.why, NEVER_RETRY[c]);
    }
  });
  test("gives up after the retries", () => {
    assert.equal(retryDecision("unreachable", 3, { retries: 2 }).retry, false);
    assert.equal(retryDecision("unreachable", 2, { retries: 2 }).retry, true);
  });
  test("every cause is either retried or has a reason not to be", () => {
    for (const c of Object.keys(CAUSES) as Cause[]) {
      if (c === "unknown") continue;
      assert.ok(RETRY_CAUSES.includes(c) || NEVER_RETRY[c] !== undefined, c);
    }
  });
  test("retryOn replaces the list", () => {
    assert.equal(retryDecision("filtered", 1, { retryOn: ["peer-reset"] }).retry, false);
    assert.equal(retryDecision("unknown", 1, { retryOn: ["unknown"] }).retry, true);
  });
});
