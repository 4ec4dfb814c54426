/** @module Golden traces: every test/golden/diagnosis/<cause>[.<variant>].jsonl must diagnose as its file name says. */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { decodeTrace } from "../trace/decode.js";
import { CAUSES } from "./causes.js";
import { diagnose, summarize } from "./index.js";
import type { Cause } from "./types.js";

const dir = new URL("../../test/golden/diagnosis/", import.meta.url);
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".jsonl"))
  .sort();

describe("golden traces (test/golden/diagnosis)", () => {
  test("there is a trace for every cause a session can end with", () => {
    const covered = new Set(files.map((f) => f.split(".")[0]));
    const sessionCauses = Object.keys(CAUSES).filter((c) => c !== "healthy" && c !== "unknown");
    for (const cause of sessionCauses)
      assert.ok(covered.has(cause), `no golden trace for ${cause}`);
  });

  for (const file of files) {
    const expected = file.split(".")[0] as Cause;
    test(`${file} → ${expected}`, () => {
      const { events, problems } = decodeTrace(readFileSync(new URL(file, dir), "utf8"));
      assert.deepEqual(problems, [], "every line is a trace event");
      const d = diagnose(events);
      assert.equal(d.cause, expected, `${d.cause}: ${d.summary}`);
      const floor = expected === "server-closed" ? 0.4 : 0.6;
      assert.ok(d.confidence >= floor && d.confidence <= 1, `confidence ${d.confidence}`);
      assert.ok(d.evidence.length >= 1 && d.evidence.length <= 4);
      assert.ok(d.advice.length >= 1);
      assert.ok(d.alternatives.every((a) => a.cause !== d.cause && a.confidence <= d.confidence));
      const s = summarize(events);
      assert.ok(s.durationMs >= 0 && s.idleMs >= 0 && s.idleMs <= s.durationMs);
    });
  }
});
