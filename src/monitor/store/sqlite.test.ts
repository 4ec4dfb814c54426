import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { history } from "../../testing/monitor-samples.js";
import { collect, storeCases } from "../../testing/store-cases.js";
import { dayRollupsOf } from "./day-hours.js";
import { openStore } from "./open.js";

const dir = mkdtempSync(join(tmpdir(), "teldoc-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeCases("sqlite", () => openStore(`sqlite:${join(dir, `store-${n++}.db`)}`));

test("a database from before days were kept gets its days when opened (migration 2)", async () => {
  const path = join(dir, "v1.db");
  const samples = history({
    targets: ["a", "b"],
    start: Date.UTC(2026, 10, 28, 20),
    rounds: 600,
    intervalMs: 90_000,
  });
  const store = await openStore(`sqlite:${path}`);
  await store.write(samples);
  await store.close();
  // Back to version 1: no 1-day rows, version 2 not applied.
  const db = new Database(path);
  db.exec(`DELETE FROM rollup WHERE seconds = 86400; DELETE FROM schema_version WHERE version = 2;
    DROP INDEX sample_failures; CREATE INDEX sample_failed ON sample (t) WHERE status <> 0`);
  db.close();
  const again = await openStore(`sqlite:${path}`);
  try {
    assert.deepEqual(await collect(again.days({})), dayRollupsOf(samples));
    assert.equal(
      (await collect(again.failures({}))).length,
      samples.filter((s) => !s.ok && !s.skipped).length,
    );
    assert.ok(dayRollupsOf(samples).length >= 2);
  } finally {
    await again.close();
  }
});
