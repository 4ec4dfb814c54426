import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { ERROR_CODES } from "../errors.js";
import type { EndEvent } from "../trace/events.js";
import { ExpectError, SessionError } from "./errors.js";

const DOC = fileURLToPath(new URL("../../docs/errors.md", import.meta.url));

const snapshot = {
  state: "ready",
  host: "r1",
  port: 23,
  bytesIn: 120,
  bytesOut: 30,
  sinceLastInMs: 9800,
  promptBy: "pattern",
} as const;

const end: EndEvent = {
  type: "end",
  t: 1000,
  target: { host: "r1", port: 23 },
  phase: "session",
  transport: "rst",
  durationMs: 1000,
  idleMs: 10,
  bytesIn: 120,
  bytesOut: 30,
  lastServerText: "r1#",
  diagnosis: {
    cause: "peer-reset",
    confidence: 0.8,
    summary: "The far end aborted the session with RST.",
    evidence: ["ECONNRESET at 1.0 s"],
    advice: ["Check the server's logs."],
    alternatives: [],
  },
};

describe("library errors", () => {
  test("every error code is documented in docs/errors.md", () => {
    const doc = readFileSync(DOC, "utf8");
    for (const code of Object.keys(ERROR_CODES)) assert.ok(doc.includes(`\`${code}\``), code);
  });

  test("an expect timeout names the pattern, the wait, the state and the tail", () => {
    const e = new ExpectError("TELDOC_ERR_EXPECT_TIMEOUT", "expected", {
      pattern: "/r1#$/",
      waitedMs: 10_000,
      tail: "show run\r\n",
      snapshot,
    });
    assert.equal(e.code, "TELDOC_ERR_EXPECT_TIMEOUT");
    assert.equal(e.diagnosis, undefined);
    for (const part of ["/r1#$/", "10.0 s", "ready", "r1:23", "show run"])
      assert.ok(e.message.includes(part), `${part} in ${e.message}`);
  });

  test("an error after the end carries the diagnosis and says it", () => {
    const e = new SessionError("TELDOC_ERR_SESSION_ENDED", "the session ended", { end, snapshot });
    assert.equal(e.diagnosis?.cause, "peer-reset");
    assert.ok(e.message.includes("peer-reset") && e.message.includes("ECONNRESET"));
    assert.ok(e instanceof Error && e.name === "SessionError");
  });
});
