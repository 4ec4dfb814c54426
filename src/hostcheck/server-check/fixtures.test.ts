/**
 * @module Each folder of fixtures/ is a copied configuration tree (`--root`) with its
 * expected.json: the verdict for a client and, per check, the status and the file and line
 * that decide. A new case is a new folder. The trees sit in the source tree (tsc copies no
 * data): read relative to this compiled file.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { serverCheck } from "./server-check.js";

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../src/hostcheck/server-check/fixtures",
);

interface Expected {
  client: string;
  allowed: boolean;
  cause: string;
  checks: Record<string, { status: string; file?: string; line?: number }>;
}

describe("server-check over copied configuration trees", () => {
  const cases = readdirSync(FIXTURES, { withFileTypes: true }).filter((e) => e.isDirectory());
  test("there are cases", () => assert.ok(cases.length >= 5));
  for (const c of cases) {
    test(c.name, async () => {
      const root = join(FIXTURES, c.name);
      const want = JSON.parse(readFileSync(join(root, "expected.json"), "utf8")) as Expected;
      const r = await serverCheck({ host: "fixture", port: 23, root, client: want.client });
      assert.equal(r.allowed, want.allowed, "allowed");
      assert.equal(r.cause, want.cause, "cause");
      for (const [id, w] of Object.entries(want.checks)) {
        const got = r.checks.find((x) => x.id === id);
        assert.ok(got, `no ${id} check`);
        assert.deepEqual(
          { status: got.status, file: got.file, line: got.line },
          { status: w.status, file: w.file, line: w.line },
          `${id}: ${got.summary}`,
        );
      }
    });
  }
});
