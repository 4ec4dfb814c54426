import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import pg from "pg";
import {
  findPostgres,
  type PostgresCluster,
  startPostgres,
} from "../../testing/daemons/postgres.js";
import { history } from "../../testing/monitor-samples.js";
import { skipUnlessCI } from "../../testing/requirement.js";
import { collect, inStoreOrder, oddSamples, storeCases } from "../../testing/store-cases.js";
import { exportSamples, importSamples } from "../transfer.js";
import { dayRollupsOf } from "./day-hours.js";
import { openStore } from "./open.js";
import { PG_MIGRATIONS } from "./postgres-schema.js";
import { rollupSamples } from "./rollup.js";
import type { Store } from "./types.js";

const T0 = Date.UTC(2026, 10, 30, 14, 0, 0);

test("a closed port: TELDOC_ERR_STORE at once, host and port named, no password", async () => {
  const started = performance.now();
  await assert.rejects(
    openStore("postgres://user:secret@127.0.0.1:1/x"),
    (e: Error & { code?: string }) => {
      assert.equal(e.code, "TELDOC_ERR_STORE");
      assert.doesNotMatch(e.message, /secret/);
      assert.match(e.message, /127\.0\.0\.1:1\b/);
      assert.doesNotMatch(e.message, /\n\s+at /);
      return true;
    },
  );
  assert.ok(performance.now() - started < 3000);
});

const bin = findPostgres();
const skip = skipUnlessCI("PostgreSQL (initdb, pg_ctl)", bin.ok ? false : bin.reason);
let cluster: PostgresCluster | undefined;
let n = 0;
const freshUrl = () => cluster!.createDatabase(`case_${process.pid}_${n++}`);

describe("against a real PostgreSQL", { skip }, () => {
  before(
    async () => {
      if (bin.ok) cluster = await startPostgres(bin.dir);
    },
    { timeout: 120_000 },
  );
  after(() => cluster?.stop());

  storeCases("postgres", async () => openStore(await freshUrl()));

  test("two monitors opening one new database at once migrate it once", async () => {
    const url = await freshUrl();
    const stores = await Promise.all([openStore(url), openStore(url), openStore(url)]);
    await Promise.all(stores.map((s) => s.close()));
    const client = new pg.Client(url);
    await client.connect();
    try {
      const { rows } = await client.query(
        "SELECT version FROM teldoc_schema_version ORDER BY version",
      );
      assert.deepEqual(
        rows.map((r) => r.version),
        PG_MIGRATIONS.map((m) => m.version),
      );
      await client.query("INSERT INTO teldoc_schema_version (version) VALUES (999)");
    } finally {
      await client.end();
    }
    await assert.rejects(openStore(url), { code: "TELDOC_ERR_STORE" });
  });

  test("vantages writing to one database at once, from separate pools", async () => {
    const url = await freshUrl();
    const vantages = ["lan", "wan", "dc1", "dc2"];
    const stores: Store[] = await Promise.all(vantages.map(() => openStore(url)));
    try {
      const all = vantages.map((v, i) =>
        history({ targets: ["a", "b", "c"], vantage: v, start: T0, rounds: 300, seed: i + 1 }),
      );
      await Promise.all(
        stores.map(async (s, i) => {
          const mine = all[i]!;
          for (let j = 0; j < mine.length; j += 100) await s.write(mine.slice(j, j + 100));
        }),
      );
      const flat = all.flat();
      assert.deepEqual(await collect(stores[0]!.samples()), inStoreOrder(flat));
      assert.deepEqual(
        await collect(stores[1]!.rollups({ seconds: 300 })),
        rollupSamples(flat, 300),
      );
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  test("SQLite → JSON Lines → PostgreSQL → JSON Lines is identical", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teldoc-transfer-"));
    const sqlite = await openStore(`sqlite:${join(dir, "a.db")}`);
    const postgres = await openStore(await freshUrl());
    try {
      await sqlite.write([
        ...oddSamples(),
        ...history({ targets: ["x", "y"], start: T0, rounds: 1200 }),
      ]);
      const lines: string[] = [];
      await exportSamples(sqlite, {}, (l) => {
        lines.push(l);
      });
      async function* read() {
        for (const l of lines) yield l.trimEnd();
      }
      assert.equal(await importSamples(postgres, read(), "a.jsonl"), lines.length);
      const again: string[] = [];
      await exportSamples(postgres, {}, (l) => {
        again.push(l);
      });
      assert.equal(again.join(""), lines.join(""));
      assert.deepEqual(
        await collect(postgres.rollups({ seconds: 3600 })),
        await collect(sqlite.rollups({ seconds: 3600 })),
      );
      assert.deepEqual(await collect(postgres.days({})), await collect(sqlite.days({})));
    } finally {
      await sqlite.close();
      await postgres.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a database from before days were kept gets its days when opened (migration 2)", async () => {
    const url = await freshUrl();
    const samples = history({
      targets: ["a", "b"],
      start: Date.UTC(2026, 10, 28, 20),
      rounds: 600,
      intervalMs: 90_000,
    });
    const store = await openStore(url);
    await store.write(samples);
    await store.close();
    const client = new pg.Client(url);
    await client.connect();
    try {
      await client.query(`DELETE FROM teldoc_rollup WHERE seconds = 86400;
        ALTER TABLE teldoc_rollup DROP COLUMN hours;
        DELETE FROM teldoc_schema_version WHERE version = 2`);
    } finally {
      await client.end();
    }
    const again = await openStore(url);
    try {
      assert.deepEqual(await collect(again.days({})), dayRollupsOf(samples));
      assert.ok(dayRollupsOf(samples).length >= 2);
    } finally {
      await again.close();
    }
  });

  test("a missing database: TELDOC_ERR_STORE saying so", async () => {
    await assert.rejects(openStore(cluster!.url("no_such_db")), { code: "TELDOC_ERR_STORE" });
  });
});
