/**
 * @module Advice names the host, port and address the diagnosis knows, never a HOST, PORT or
 * ADDRESS placeholder: every rule's candidate over every golden trace (whole and cut short), and
 * the protocols' advice for a given host and port.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { decodeTrace } from "../trace/decode.js";
import { diagnose } from "./diagnose.js";
import { PROTOCOL_SIGNATURES } from "./protocols.js";
import { RULES } from "./rules/index.js";
import { summarize } from "./summary.js";

const PLACEHOLDER = /\b(?:HOST|PORT|ADDR|ADDRESS|CLIENT)\b|USER@/;
const dir = new URL("../../test/golden/diagnosis/", import.meta.url);

function goldens(): [string, ReturnType<typeof decodeTrace>["events"]][] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".jsonl"))
    .map((f) => [f, decodeTrace(readFileSync(new URL(f, dir), "utf8")).events]);
}

describe("advice names the real target", () => {
  test("the checker itself catches a placeholder", () => {
    assert.match("`teldoc diagnose HOST`", PLACEHOLDER);
    assert.match("`ssh USER@sw1`", PLACEHOLDER);
    assert.doesNotMatch("`teldoc diagnose sw1 2323` (ping, tracepath)", PLACEHOLDER);
  });

  test("every rule's advice over every golden trace, whole and cut", () => {
    const bad: string[] = [];
    for (const [file, events] of goldens()) {
      for (const trace of [events, events.slice(0, Math.ceil(events.length / 2))]) {
        const s = summarize(trace);
        for (const c of [...RULES.map((rule) => rule(s, trace)), diagnose(trace)])
          for (const a of c?.advice ?? []) if (PLACEHOLDER.test(a)) bad.push(`${file}: ${a}`);
      }
    }
    assert.deepEqual(bad, []);
  });

  test("the other protocols' advice, for a host and port", () => {
    for (const p of PROTOCOL_SIGNATURES)
      assert.doesNotMatch(p.advice("sw1", 2323), PLACEHOLDER, p.id);
    const ssh = PROTOCOL_SIGNATURES.find((p) => p.id === "ssh")!;
    assert.match(ssh.advice("sw1", 2323), /`ssh -p 2323 sw1`/);
    assert.match(ssh.advice("sw1", 22), /`ssh sw1`/);
    const tls = PROTOCOL_SIGNATURES.find((p) => p.id === "tls")!;
    assert.match(tls.advice("::1", 992), /`openssl s_client -connect \[::1\]:992`/);
  });
});

describe("server-side causes point to teldoc server-check", () => {
  test("with this machine's address from the trace, on the golden traces", () => {
    for (const f of ["acl-rejected.jsonl", "idle-timeout.jsonl", "login-timeout.jsonl"]) {
      const events = decodeTrace(readFileSync(new URL(f, dir), "utf8")).events;
      const local = events.find((e) => e.type === "connected");
      assert.ok(local && local.type === "connected", f);
      const d = diagnose(events);
      assert.ok(
        d.advice.some((a) => a.includes(`\`teldoc server-check --client ${local.local.address}`)),
        `${f}: ${d.advice.join(" | ")}`,
      );
    }
  });
});
