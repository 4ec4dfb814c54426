/** @module diagnose(): ranking, alternatives, the unknown fallback, and a custom registry. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { describeCause } from "./causes.js";
import { diagnose } from "./diagnose.js";
import { trace } from "./testing/build.js";
import type { Rule } from "./types.js";

describe("diagnose", () => {
  test("the contract's example: idle-timeout after 10.0 s with the TMOUT message", () => {
    const b = trace().resolve().connect().negotiate().login().wait(900).out("\r").wait(1);
    b.in("\r\nalice@host:~$ ").wait(10_001);
    const d = diagnose(b.in("timed out waiting for input: auto-logout\r\n").serverCloses().events);
    assert.equal(d.cause, "idle-timeout");
    assert.equal(d.summary, "The server ended the session after 10.0 s without input.");
    assert.equal(d.evidence[0], "FIN from the server 10.0 s after the last keystroke");
    assert.deepEqual(d.alternatives, [{ cause: "server-closed", confidence: 0.5 }]);
  });
  test("unknown says what is missing", () => {
    assert.equal(diagnose([]).cause, "unknown");
    assert.match(diagnose([]).summary, /no events/);
    const open = diagnose(trace().resolve().connect().negotiate().login().events);
    assert.equal(open.cause, "unknown");
    assert.match(open.summary, /while the session was open: no close was recorded/);
    const odd = diagnose(
      trace().resolve().push({
        type: "connect-failed",
        address: "192.0.2.7",
        port: 23,
        outcome: "local-error",
        code: "EADDRNOTAVAIL",
        durationMs: 0,
      }).events,
    );
    assert.match(odd.summary, /EADDRNOTAVAIL/);
  });
  test("the best candidate wins, ties go to the earlier rule, alternatives are unique and weaker", () => {
    const mk =
      (cause: "refused" | "filtered", confidence: number): Rule =>
      () => ({ cause, confidence, summary: cause, evidence: ["e"], advice: [] });
    const d = diagnose([], [mk("filtered", 0.5), mk("refused", 0.5), mk("filtered", 0.4)]);
    assert.equal(d.cause, "filtered");
    assert.deepEqual(d.alternatives, [{ cause: "refused", confidence: 0.5 }]);
  });
  test("confidence is clamped and evidence cut to four", () => {
    const r: Rule = () => ({
      cause: "refused",
      confidence: 1.7,
      summary: "s",
      evidence: ["1", "2", "3", "4", "5"],
      advice: [],
    });
    const d = diagnose([], [r]);
    assert.deepEqual([d.confidence, d.evidence.length], [1, 4]);
  });
  test("describeCause gives plain words", () => {
    assert.equal(describeCause("refused"), "Connection refused");
    assert.equal(describeCause("middlebox-timeout"), "Dropped by a NAT or firewall after idling");
  });
});
