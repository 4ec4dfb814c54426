/** The verdict over check results, and the administrator's note (pure). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { adminNote } from "./admin-note.js";
import type { CheckId, CheckResult } from "./checklist.js";
import type { Candidate } from "./types.js";
import { verdictOf } from "./verdict.js";

function finding(cause: Candidate["cause"], confidence = 0.9): Candidate {
  return {
    cause,
    confidence,
    summary: `${cause} summary`,
    evidence: [`${cause} fact`],
    advice: [`${cause} advice`],
  };
}

function c(
  id: CheckId,
  status: CheckResult["status"],
  extra: Partial<CheckResult> = {},
): CheckResult {
  return { id, status, summary: `${id} ${status}`, durationMs: 1, data: {}, ...extra };
}

describe("verdictOf", () => {
  test("no findings: healthy, with the passing checks as evidence and optional checks suggested", () => {
    const v = verdictOf([
      c("dns", "pass"),
      c("tcp", "pass"),
      c("telnet", "pass"),
      c("idle", "skip"),
    ]);
    assert.equal(v.cause, "healthy");
    assert.equal(v.confidence, 0.9);
    assert.ok(v.evidence.some((e) => e.startsWith("telnet:")));
    assert.ok(v.advice.some((a) => /--idle-test/.test(a)));
  });

  test("an earlier step's finding wins: tcp over idle; the other becomes an alternative", () => {
    const v = verdictOf([
      c("tcp", "fail", { finding: finding("filtered", 0.8) }),
      c("idle", "fail", { finding: finding("idle-timeout", 0.95) }),
    ]);
    assert.equal(v.cause, "filtered");
    assert.deepEqual(v.alternatives, [{ cause: "idle-timeout", confidence: 0.95 }]);
  });

  test("filtered while the host answers ping: evidence says a firewall, confidence up", () => {
    const v = verdictOf([
      c("tcp", "fail", { finding: finding("filtered", 0.8) }),
      c("route", "warn", { data: { ping: { status: "ok", received: 4, avg: 0.3 }, path: {} } }),
    ]);
    assert.equal(v.cause, "filtered");
    assert.equal(v.confidence, 0.85);
    assert.ok(v.evidence.some((e) => /answers ping/.test(e)));
  });

  test("SSH as the way in belongs in the verdict when Telnet is not one, not in every verdict", () => {
    const ssh = c("ssh", "pass", { advice: ["use ssh"] });
    for (const cause of [
      "refused",
      "filtered",
      "acl-rejected",
      "service-unavailable",
      "wrong-service",
    ] as const)
      assert.ok(
        verdictOf([c("tcp", "fail", { finding: finding(cause) }), ssh]).advice.includes("use ssh"),
        cause,
      );
    for (const cause of [
      "idle-timeout",
      "auth-failed",
      "middlebox-timeout",
      "network-failure",
    ] as const)
      assert.ok(
        !verdictOf([c("idle", "fail", { finding: finding(cause) }), ssh]).advice.includes(
          "use ssh",
        ),
        cause,
      );
    assert.ok(!verdictOf([c("telnet", "pass"), ssh]).advice.includes("use ssh"), "healthy");
  });

  test("healthy: the optional checks as one command line for the real target", () => {
    const v = verdictOf(
      [c("telnet", "pass"), c("login", "skip"), c("idle", "skip"), c("limits", "skip")],
      { host: "sw1", port: 2323 },
    );
    assert.ok(
      v.advice.includes(
        "If sessions still drop, run the optional checks: `teldoc diagnose sw1 2323 --user NAME --password-env VAR --idle-test 10m --concurrency 5`.",
      ),
      v.advice.join("\n"),
    );
  });

  test("warnings lower a healthy verdict's confidence (ssh's does not)", () => {
    const v = verdictOf([c("telnet", "warn"), c("ssh", "warn")]);
    assert.equal(v.cause, "healthy");
    assert.equal(v.confidence, 0.6);
  });
});

describe("adminNote", () => {
  const target = { host: "sw1", port: 23, address: "192.0.2.7", family: 4 as const };
  const note = (checks: CheckResult[]) =>
    adminNote({
      target,
      startedAt: "2026-11-24T09:00:00.123Z",
      localAddress: "198.51.100.9",
      checks,
      verdict: verdictOf(checks),
    });

  test("when, from where, what happened (the summary, not the evidence list) and what to check", () => {
    const checks = [
      c("tcp", "pass"),
      c("telnet", "fail", { finding: finding("acl-rejected") }),
      c("route", "pass", { data: { ping: { status: "ok", received: 3, avg: 0.4 } } }),
      c("ssh", "pass", { data: { port: 22, available: true, software: "OpenSSH_9.2p1" } }),
    ];
    const text = note(checks)!;
    assert.match(
      text,
      /^Subject: Telnet to sw1 \(192\.0\.2\.7\) port 23 from 198\.51\.100\.9: rejected by an access rule$/m,
    );
    assert.match(
      text,
      /On 2026-11-24 09:00:00 UTC, from 198\.51\.100\.9, teldoc tried Telnet to sw1 \(192\.0\.2\.7\) port 23\. acl-rejected summary/,
    );
    assert.doesNotMatch(text, /acl-rejected fact/, "the evidence list is not repeated");
    assert.doesNotMatch(text, /PASS|FAIL tcp|Checks:/, "nor the checklist");
    assert.match(
      text,
      /Also seen from here: the host answers ping \(0\.40 ms\); SSH answers on port 22 \(OpenSSH_9\.2p1\)\./,
    );
    assert.match(text, /hosts\.allow/);
    assert.match(text, /address as the server sees it is 198\.51\.100\.9/);
    assert.doesNotMatch(text, /\b(?:PORT|CLIENT|USER|HOST)\b/);
  });

  test("written only when the fix may lie with the server's administrator", () => {
    const fails = (cause: Candidate["cause"]) =>
      note([c("tcp", "fail", { finding: finding(cause) })]);
    for (const cause of [
      "dns-failure",
      "local-firewall",
      "middlebox-timeout",
      "network-failure",
      "unknown",
    ] as const)
      assert.equal(fails(cause), undefined, cause);
    assert.equal(note([c("telnet", "pass")]), undefined, "healthy");
    for (const cause of [
      "refused",
      "filtered",
      "acl-rejected",
      "service-unavailable",
      "auth-failed",
      "idle-timeout",
    ] as const)
      assert.ok(fails(cause), cause);
    assert.match(fails("refused")!, /`ss -ltnp 'sport = :23'`/);
  });

  test("unreachable: only for a neighbour silent on the host's own subnet, not a router's answer", () => {
    const tcp = (neighbour?: object) =>
      c("tcp", "fail", { finding: finding("unreachable"), data: neighbour ? { neighbour } : {} });
    assert.equal(note([tcp()]), undefined, "a router or a route said unreachable");
    assert.equal(note([tcp({ where: "gateway", basis: "arp-table", protocol: "ARP" })]), undefined);
    const text = note([
      tcp({ where: "subnet", basis: "arp-table", protocol: "ARP", device: "eth0" }),
    ])!;
    assert.match(text, /: the host does not answer on its subnet$/m);
    assert.match(text, /Is the host up, its interface up, and 192\.0\.2\.7 configured on it\?/);
  });
});
