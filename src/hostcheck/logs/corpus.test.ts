/**
 * The corpus: log files in other distributions' formats (corpus/README.md says where each
 * wording comes from), each with the sessions and causes expected of it (`NAME.expected.json`).
 * A new case is a new pair of files, not new code.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { analyzeLogs } from "./analyze.js";
import { fileLines } from "./lines.js";
import type { ServerSession } from "./types.js";

/** The corpus in the sources (dist/hostcheck/logs/ → src/hostcheck/logs/corpus/). */
const CORPUS = fileURLToPath(new URL("../../../src/hostcheck/logs/corpus/", import.meta.url));

interface Expected {
  readonly reference: string;
  readonly with?: string;
  readonly unparsed: number;
  readonly sessions: readonly { client: string; cause: string; start: string }[];
}

const key = (s: { start: string; client: string | null; cause: string }) =>
  `${new Date(s.start).toISOString()} ${s.client} ${s.cause}`;

describe("corpus: other distributions' log formats", () => {
  for (const name of readdirSync(CORPUS).filter((f) => f.endsWith(".expected.json"))) {
    const base = name.replace(/\.expected\.json$/, "");
    const file = readdirSync(CORPUS).find((f) => f.startsWith(`${base}.`) && f !== name)!;
    test(`${file} gives the expected sessions`, async () => {
      const want = JSON.parse(readFileSync(CORPUS + name, "utf8")) as Expected;
      const reference = Date.parse(want.reference);
      const files = [file, ...(want.with ? [want.with] : [])];
      const sources = await Promise.all(files.map((f) => fileLines(CORPUS + f, { reference })));
      const got: ServerSession[] = [];
      const totals = await analyzeLogs(sources, {}, (s) => {
        got.push(s);
      });
      assert.deepEqual(got.map(key).sort(), want.sessions.map(key).sort());
      assert.equal(totals.unparsed, want.unparsed, JSON.stringify(totals.unparsedExamples));
      for (const s of got) {
        assert.ok(s.evidence.length > 0, "every session has its lines as evidence");
        assert.ok(s.evidence.includes(s.key), "the key line is one of the evidence");
      }
    });
  }
});
