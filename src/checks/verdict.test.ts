/** The verdict over check results, and the administrator's note (pure). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Candidate } from "../diagnosis/index.js";
import type { CheckId, CheckResult } from "./types.js";
import { adminNote, verdictOf } from "./verdict.js";

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

  test("a check's advice (SSH available) is added to any verdict", () => {
    const ssh = c("ssh", "pass", { advice: ["use ssh"] });
    assert.ok(
      verdictOf([c("telnet", "fail", { finding: finding("acl-rejected") }), ssh]).advice.includes(
        "use ssh",
      ),
    );
    assert.ok(verdictOf([c("telnet", "pass"), ssh]).advice.includes("use ssh"));
  });

  test("warnings lower a healthy verdict's confidence (ssh's does not)", () => {
    const v = verdictOf([c("telnet", "warn"), c("ssh", "warn")]);
    assert.equal(v.cause, "healthy");
    assert.equal(v.confidence, 0.6);
  });
});

describe("adminNote", () => {
  const target = { host: "sw1", port: 23, address: "192.0.2.7", family: 4 as const };
  test("names the time, the client address, what was seen and what to check for the cause", () => {
    const checks = [c("tcp", "pass"), c("telnet", "fail", { finding: finding("acl-rejected") })];
    const verdict = verdictOf(checks);
    const note = adminNote({
      target,
      startedAt: "2026-11-24T09:00:00.123Z",
      localAddress: "198.51.100.9",
      checks,
      verdict,
    });
    assert.match(note, /2026-11-24 09:00:00 UTC/);
    assert.match(note, /from 198\.51\.100\.9/);
    assert.match(note, /sw1 \(192\.0\.2\.7\) port 23/);
    assert.match(note, /acl-rejected summary/);
    assert.match(note, /hosts\.allow/);
    assert.match(note, /address as the server sees it is 198\.51\.100\.9/);
  });

  test("healthy: says there is nothing to fix", () => {
    const checks = [c("telnet", "pass")];
    const note = adminNote({
      target,
      startedAt: "2026-11-24T09:00:00.000Z",
      checks,
      verdict: verdictOf(checks),
    });
    assert.match(note, /Nothing to fix/);
  });
});
