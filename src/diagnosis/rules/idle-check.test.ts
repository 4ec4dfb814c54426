/** The idle check's rule, from fixtures of its holds: no sockets, no time. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { type IdleFacts, type IdleRun, idleFinding } from "./idle-check.js";

const run = (r: Partial<IdleRun> & Pick<IdleRun, "outcome">): IdleRun => ({
  heldMs: 60_000,
  atLogin: false,
  ...r,
});
const facts = (f: Partial<IdleFacts> & Pick<IdleFacts, "first" | "second">): IdleFacts => ({
  target: "sw1 2323",
  maxMs: 60_000,
  keepaliveMs: 15_000,
  ...f,
});

test("a silent death that keepalive prevents: middlebox-timeout, with the keepalive to use", () => {
  const c = idleFinding(
    facts({
      first: run({ outcome: "black-hole", newConnection: { ok: true, gotData: true } }),
      second: run({ outcome: "alive" }),
      half: run({ outcome: "alive", heldMs: 30_000 }),
      bracket: { fromMs: 30_000, toMs: 60_000 },
    }),
  );
  assert.equal(c.cause, "middlebox-timeout");
  assert.ok(c.confidence >= 0.9);
  assert.match(c.advice.join("\n"), /teldoc connect sw1 2323 --keepalive 15s/);
  assert.match(c.evidence.join("\n"), /after 30\.0 s and within 1\.0 min|30/);
});

test("a FIN after idle that keepalive does not prevent but keystrokes do: idle-timeout", () => {
  const c = idleFinding(
    facts({
      first: run({ outcome: "fin-message", diedAfterMs: 30_000, serverSaid: "timed out" }),
      second: run({ outcome: "fin-silent", diedAfterMs: 30_000 }),
      keys: run({ outcome: "alive", keystrokeMs: 15_000 }),
    }),
  );
  assert.equal(c.cause, "idle-timeout");
  assert.equal(c.confidence, 0.95);
  assert.match(c.advice.join("\n"), /idle policy/);
});

test("a FIN whatever the input: server-closed, not an idle timeout", () => {
  const c = idleFinding(
    facts({
      first: run({ outcome: "fin-silent", diedAfterMs: 30_000 }),
      second: run({ outcome: "fin-silent", diedAfterMs: 30_000 }),
      keys: run({ outcome: "fin-silent", diedAfterMs: 30_000, keystrokeMs: 15_000 }),
    }),
  );
  assert.equal(c.cause, "server-closed");
  assert.match(c.summary, /with or without input/);
});

test("a session left at the login prompt measures the login timeout", () => {
  const diagnosis = {
    cause: "login-timeout" as const,
    confidence: 0.9,
    summary: "login timed out",
    evidence: ["a", "b"],
    advice: [],
    alternatives: [],
  };
  const c = idleFinding(
    facts({
      first: run({ outcome: "fin-message", atLogin: true, diedAfterMs: 60_000, diagnosis }),
      second: run({ outcome: "fin-message", atLogin: true, diedAfterMs: 60_000 }),
    }),
  );
  assert.equal(c.cause, "login-timeout");
  assert.match(c.evidence.join("\n"), /waited at the login prompt/);
});

test("a silent death that nothing saves, with no diagnosis of its own: network-failure", () => {
  const c = idleFinding(
    facts({
      first: run({ outcome: "black-hole", newConnection: { ok: false, gotData: false } }),
      second: run({ outcome: "black-hole" }),
    }),
  );
  assert.equal(c.cause, "network-failure");
  assert.match(c.advice.join("\n"), /teldoc diagnose sw1 2323/);
});
