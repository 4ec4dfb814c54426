import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import Database from "better-sqlite3";
import { openStore, redactUrl } from "./open.js";
import { SQLITE_SCHEMA_VERSION } from "./sqlite-schema.js";

const dir = mkdtempSync(join(tmpdir(), "teldoc-open-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("redactUrl removes the password, wherever it is", () => {
  assert.equal(redactUrl("postgres://me:secret@db:5433/x"), "postgres://me@db:5433/x");
  assert.equal(
    redactUrl("postgresql://me:secret@db/x?password=secret&sslmode=require"),
    "postgresql://me@db/x?sslmode=require",
  );
  assert.doesNotMatch(redactUrl("postgres://me:sec ret@[bad/x"), /sec/);
  assert.equal(redactUrl("sqlite:a.db"), "sqlite:a.db");
});

test("a URL of no known kind, or sqlite: without a path: TELDOC_ERR_BAD_CONFIG without the password", async () => {
  await assert.rejects(openStore("mysql://root:hunter2@db/x"), (e: Error & { code?: string }) => {
    assert.equal(e.code, "TELDOC_ERR_BAD_CONFIG");
    assert.match(e.message, /mysql:/);
    return true;
  });
  await assert.rejects(openStore("sqlite:"), { code: "TELDOC_ERR_BAD_CONFIG" });
});

test("SQLite in a directory that does not exist, or a file that is no database: TELDOC_ERR_STORE", async () => {
  await assert.rejects(openStore(`sqlite:${join(dir, "nope", "m.db")}`), {
    code: "TELDOC_ERR_STORE",
  });
  const junk = join(dir, "junk.db");
  writeFileSync(
    junk,
    "this is not a database, just text that is long enough to look like a header".repeat(20),
  );
  await assert.rejects(openStore(`sqlite:${junk}`), { code: "TELDOC_ERR_STORE" });
});

test("SQLite written by a newer teldoc is refused and left alone", async () => {
  const path = join(dir, "newer.db");
  const store = await openStore(`sqlite:${path}`);
  await store.close();
  const db = new Database(path);
  db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(SQLITE_SCHEMA_VERSION + 1);
  db.close();
  await assert.rejects(openStore(`sqlite:${path}`), { code: "TELDOC_ERR_STORE" });
  const check = new Database(path);
  assert.equal(
    check.prepare("SELECT max(version) AS v FROM schema_version").get()!.constructor,
    Object,
  );
  assert.deepEqual(check.prepare("SELECT max(version) AS v FROM schema_version").get(), {
    v: SQLITE_SCHEMA_VERSION + 1,
  });
  check.close();
});

test("a relative sqlite: path opens against the current directory, and the URL stays as given", async () => {
  const store = await openStore("sqlite::memory:");
  assert.equal(store.url, "sqlite::memory:");
  await store.close();
});
