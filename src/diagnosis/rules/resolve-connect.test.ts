/** @module Rules for failed resolves and connects. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ConnectOutcome } from "../../trace/events.js";
import { summarize } from "../summary.js";
import { trace } from "../testing/build.js";
import { connectFailed } from "./connect.js";
import { dnsFailure } from "./resolve.js";

const resolveFailed = (code: string) =>
  trace().push({
    type: "resolve-failed",
    host: "nope.example",
    code,
    message: `getaddrinfo ${code} nope.example`,
    durationMs: 40,
  }).events;

describe("dnsFailure", () => {
  test("ENOTFOUND says the name does not exist", () => {
    const c = dnsFailure(summarize(resolveFailed("ENOTFOUND")), []);
    assert.equal(c?.cause, "dns-failure");
    assert.match(c!.summary, /does not exist/);
  });
  test("EAI_AGAIN says the resolver timed out, not that the name is missing", () => {
    const c = dnsFailure(summarize(resolveFailed("EAI_AGAIN")), []);
    assert.match(c!.summary, /did not answer in time/);
    assert.ok(c!.advice.some((a) => a.includes("resolv.conf")));
  });
  test("no opinion once the name resolved", () => {
    assert.equal(dnsFailure(summarize(trace().resolve().events), []), undefined);
  });
});

describe("connectFailed", () => {
  const failed = (outcome: ConnectOutcome, code: string) =>
    summarize(
      trace().resolve().push({
        type: "connect-failed",
        address: "192.0.2.7",
        port: 23,
        outcome,
        code,
        durationMs: 10_000,
      }).events,
    );
  const table: [ConnectOutcome, string, string][] = [
    ["refused", "ECONNREFUSED", "refused"],
    ["timeout", "TIMEOUT", "filtered"],
    ["unreachable", "EHOSTUNREACH", "unreachable"],
    ["unreachable", "ENETUNREACH", "unreachable"],
    ["local-firewall", "EPERM", "local-firewall"],
  ];
  for (const [outcome, code, cause] of table) {
    test(`${outcome} (${code}) → ${cause}`, () => {
      const c = connectFailed(failed(outcome, code), []);
      assert.equal(c?.cause, cause);
      assert.ok(c!.evidence[0].includes(code) || c!.evidence[0].includes("10.0 s"));
    });
  }
  test("a local error names no cause (the fallback says what is missing)", () => {
    assert.equal(connectFailed(failed("local-error", "EADDRNOTAVAIL"), []), undefined);
  });
  test("a later attempt that connected wins over an earlier failure", () => {
    const b = trace()
      .resolve()
      .push({
        type: "connect-failed",
        address: "2001:db8::7",
        port: 23,
        outcome: "unreachable",
        code: "ENETUNREACH",
        durationMs: 1,
      })
      .connect();
    assert.equal(connectFailed(summarize(b.events), []), undefined);
  });
});
