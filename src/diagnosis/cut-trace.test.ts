/**
 * @module A trace cut before the session's end (client killed, disk full, file cut) is diagnosed
 * as `unknown` with transport `unknown`: it says where it stops and names no FIN it did not see.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import type { TraceEvent } from "../trace/events.js";
import { diagnose, endEvent, summarize } from "./index.js";
import { trace } from "./testing/build.js";

/** Events that say how a session or a connect ended. */
const ENDINGS = new Set([
  "fin",
  "socket-error",
  "local-close",
  "closed",
  "connect-failed",
  "resolve-failed",
]);
const isEnding = (e: TraceEvent) =>
  ENDINGS.has(e.type) || (e.type === "timer" && (e.name === "dead-peer" || e.name === "connect"));

describe("a trace cut before the end", () => {
  test("a login-timeout trace cut at 30 s: unknown, no FIN named, the stop and the phase said", () => {
    const b = trace().resolve().connect().negotiate().in("\r\nhost login: ").wait(30_000);
    b.push({ type: "timer", name: "nop" });
    const end = endEvent(b.events, b.t);
    assert.equal(end.transport, "unknown");
    assert.equal(end.phase, "login");
    const d = end.diagnosis;
    assert.equal(d.cause, "unknown");
    assert.match(
      d.summary,
      /^The trace ends at 30\.0 s while the session was open: no close was recorded \(the client was killed, or the file was cut\)\.$/,
    );
    assert.ok(
      d.evidence.some((e) => /reached the login phase; last server text: host login:/.test(e)),
    );
    assert.doesNotMatch([d.summary, ...d.evidence].join("\n"), /\bFIN\b|\bRST\b|closed \(/);
  });

  test("what the events showed before the cut stays as evidence and alternatives", () => {
    const b = trace().resolve().connect().negotiate().in("login: ").wait(2000).out("alice\r\n");
    b.wait(1)
      .in("Password: ")
      .wait(1500)
      .out("secret\r\n")
      .wait(2000)
      .in("\r\nLogin incorrect\r\n");
    const d = diagnose(b.events);
    assert.equal(d.cause, "unknown");
    assert.ok(
      d.evidence.some((e) => e.startsWith("until then the evidence pointed to auth-failed")),
    );
    assert.equal(d.alternatives[0]?.cause, "auth-failed");
  });

  const dir = new URL("../../test/golden/diagnosis/", import.meta.url);
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".jsonl"))) {
    test(`${file}, cut before its first ending event → unknown`, () => {
      const lines = readFileSync(new URL(file, dir), "utf8").trim().split("\n");
      const events = lines.map((l) => JSON.parse(l) as TraceEvent);
      const cut = events.slice(0, events.findIndex(isEnding));
      assert.ok(cut.length > 0 && cut.length < events.length, "the golden trace has an ending");
      assert.equal(summarize(cut).transport, "unknown");
      const d = diagnose(cut);
      assert.equal(d.cause, "unknown", d.summary);
      assert.match(
        d.summary,
        /^The trace ends at .* no (close|connect result|result) was recorded/,
      );
    });
  }
});
