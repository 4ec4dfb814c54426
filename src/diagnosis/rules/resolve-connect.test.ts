/** @module Rules for failed resolves and connects. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ConnectOutcome, NextHop } from "../../trace/events.js";
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

describe("connectFailed: the advice names the real host, port and address", () => {
  const failed = (outcome: ConnectOutcome, code: string, port = 2323) => {
    const b = trace().resolve("sw1.example", "192.0.2.7");
    b.port = port;
    return summarize(
      b.push({
        type: "connect-failed",
        address: "192.0.2.7",
        port,
        outcome,
        code,
        durationMs: 5,
      }).events,
    );
  };
  for (const [outcome, code] of [
    ["refused", "ECONNREFUSED"],
    ["timeout", "TIMEOUT"],
    ["unreachable", "EHOSTUNREACH"],
    ["local-firewall", "EPERM"],
  ] as [ConnectOutcome, string][]) {
    test(`${outcome}: no HOST, PORT or ADDRESS placeholder`, () => {
      const advice = connectFailed(failed(outcome, code), [])!.advice.join("\n");
      assert.doesNotMatch(advice, /\b(?:HOST|PORT|ADDRESS|ADDR)\b/);
      assert.match(advice, /192\.0\.2\.7|2323|sw1\.example/);
    });
  }
  test("filtered suggests diagnose with the name and port as typed", () => {
    const c = connectFailed(failed("timeout", "TIMEOUT"), [])!;
    assert.ok(
      c.advice.some((a) => a.includes("`teldoc diagnose sw1.example 2323`")),
      c.advice[0],
    );
    assert.ok(c.advice.some((a) => a.includes("TCP port 2323")));
  });
});

describe("connectFailed: a neighbour that never answered is not 'no route'", () => {
  const ehostunreach = (durationMs: number, nextHop?: NextHop) =>
    summarize(
      trace()
        .resolve("198.18.1.77", "198.18.1.77")
        .push({
          type: "connect-failed",
          address: "198.18.1.77",
          port: 23,
          outcome: "unreachable",
          code: "EHOSTUNREACH",
          durationMs,
          ...(nextHop ? { nextHop } : {}),
        }).events,
    );
  test("on this subnet, ARP entry incomplete: the host is down or not on this subnet", () => {
    const c = connectFailed(
      ehostunreach(3070, { onLink: true, device: "eth0", resolved: false }),
      [],
    )!;
    assert.equal(c.cause, "unreachable");
    assert.equal(c.confidence, 0.95);
    assert.match(
      c.summary,
      /^The neighbour did not answer \(ARP\): the host is down or not on this subnet\./,
    );
    assert.doesNotMatch(c.summary, /no route/i);
    assert.ok(c.evidence.some((e) => /ARP entry for 198\.18\.1\.77 is incomplete/.test(e)));
    assert.ok(c.evidence.some((e) => /on-link \(eth0\)/.test(e)));
    assert.ok(c.advice.some((a) => a.includes("`arping -I eth0 198.18.1.77`")));
  });
  test("the gateway silent: says so, names it", () => {
    const c = connectFailed(
      ehostunreach(3050, { onLink: false, device: "eth0", gateway: "198.18.1.1", resolved: false }),
      [],
    )!;
    assert.match(c.summary, /the gateway is down/);
    assert.match(c.summary, /gateway 198\.18\.1\.1/);
  });
  test("time alone (a trace without route facts): ~3 s reads as a silent neighbour, lower confidence", () => {
    const c = connectFailed(ehostunreach(3004), [])!;
    assert.equal(c.confidence, 0.8);
    assert.match(c.summary, /neighbour did not answer/);
    assert.match(c.summary, /here, or at the last router/);
  });
  test("an immediate EHOSTUNREACH stays 'no route' (a router's or a route's answer)", () => {
    const c = connectFailed(ehostunreach(1.2), [])!;
    assert.match(c.summary, /There is no route to 198\.18\.1\.77:23/);
    assert.ok(c.advice.some((a) => a.includes("`ip route get 198.18.1.77`")));
  });
  test("the host answered ARP, then 'unreachable': its own answer, said so", () => {
    const c = connectFailed(
      ehostunreach(0.4, { onLink: true, device: "eth0", resolved: true }),
      [],
    )!;
    assert.match(c.summary, /no route/);
    assert.ok(
      c.evidence.some((e) => /answered ARP, then refused/.test(e)),
      c.evidence.join("; "),
    );
  });
});
