/**
 * @module The SQLite store's schema, as a list of migrations (data), and the runner that brings
 * a database up to date inside one IMMEDIATE transaction (so two processes opening the same
 * file at once migrate it once). A database from a newer teldoc is refused, not touched.
 *
 * Layout, sized for ≤ 2 MB per target and year: `series` interns (vantage, target) and
 * `endpoint` (host, port, level) to small integers; a raw `sample` row is (series, t ms,
 * endpoint, status — 0 when healthy —, measures blob — codec.ts —, evidence JSON or NULL),
 * keyed (series, t) WITHOUT ROWID, with an index on t for time-ordered reads and a partial one
 * on failures (t, series, status: the report reads failed rounds from it alone); `rollup` rows are (seconds, series, bucket number, accumulator blob), and a
 * 1-day row's blob has the day's hours after its accumulator (day-hours.ts).
 */
import type BetterSqlite3 from "better-sqlite3";
import { TeldocError } from "../../errors.js";
import { decodeAcc } from "./codec.js";
import { encodeDay } from "./day-codec.js";
import { DAY_MS, dayOfHours } from "./day-hours.js";

/** One schema step: its SQL, then (when the data must be rewritten) a function. */
export interface Migration {
  readonly version: number;
  readonly sql: string;
  readonly run?: (db: BetterSqlite3.Database) => void;
}

/**
 * Version 2 keeps 1-day rollups with their hours: build them for every day the 1-h rollups
 * hold, one series at a time.
 */
function backfillDays(db: BetterSqlite3.Database): void {
  const series = db
    .prepare("SELECT DISTINCT series FROM rollup WHERE seconds = 3600")
    .pluck()
    .all() as number[];
  const hoursOf = db
    .prepare("SELECT bucket, data FROM rollup WHERE seconds = 3600 AND series = ? ORDER BY bucket")
    .raw();
  const put = db.prepare(
    "INSERT OR REPLACE INTO rollup (seconds, series, bucket, data) VALUES (86400, ?, ?, ?)",
  );
  for (const id of series) {
    const byDay = new Map<number, ReturnType<typeof decodeAcc>[]>();
    for (const [bucket, data] of hoursOf.all(id) as [number, Buffer][]) {
      const start = bucket * 3_600_000;
      const acc = decodeAcc(data, { vantage: "", target: "", seconds: 3600, start });
      const day = Math.floor(start / DAY_MS);
      const list = byDay.get(day);
      if (list) list.push(acc);
      else byDay.set(day, [acc]);
    }
    for (const [day, accs] of byDay) {
      const { acc, hours } = dayOfHours(accs);
      put.run(id, day, encodeDay(acc, hours));
    }
  }
}

export const SQLITE_MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE series (id INTEGER PRIMARY KEY, vantage TEXT NOT NULL, target TEXT NOT NULL,
  UNIQUE (vantage, target));
CREATE TABLE endpoint (id INTEGER PRIMARY KEY, host TEXT NOT NULL, port INTEGER NOT NULL,
  level TEXT NOT NULL, UNIQUE (host, port, level));
CREATE TABLE sample (series INTEGER NOT NULL, t INTEGER NOT NULL, endpoint INTEGER NOT NULL,
  status INTEGER NOT NULL, m BLOB NOT NULL, evidence TEXT,
  PRIMARY KEY (series, t)) WITHOUT ROWID;
CREATE INDEX sample_t ON sample (t);
CREATE INDEX sample_failed ON sample (t) WHERE status <> 0;
CREATE TABLE rollup (seconds INTEGER NOT NULL, series INTEGER NOT NULL, bucket INTEGER NOT NULL,
  data BLOB NOT NULL, PRIMARY KEY (seconds, series, bucket)) WITHOUT ROWID;
CREATE TABLE target (vantage TEXT NOT NULL, name TEXT NOT NULL, host TEXT NOT NULL,
  port INTEGER NOT NULL, level TEXT NOT NULL, tags TEXT NOT NULL,
  PRIMARY KEY (vantage, name)) WITHOUT ROWID;
CREATE TABLE trace (series INTEGER NOT NULL, t INTEGER NOT NULL, jsonl TEXT NOT NULL,
  PRIMARY KEY (series, t)) WITHOUT ROWID;
`,
  },
  {
    // 1-day rollups with their hours; failed rounds read from their index alone (failures()).
    version: 2,
    sql: `
CREATE INDEX sample_failures ON sample (t, series, status) WHERE status <> 0;
DROP INDEX sample_failed;
`,
    run: backfillDays,
  },
];

/** The newest schema version this code knows. */
export const SQLITE_SCHEMA_VERSION = Math.max(...SQLITE_MIGRATIONS.map((m) => m.version));

/** The error for a database written by a newer teldoc. */
export function newerSchemaError(url: string, found: number, known: number): TeldocError {
  return new TeldocError(
    "TELDOC_ERR_STORE",
    `${url}: the database has schema version ${found}, newer than this teldoc knows (${known}); upgrade teldoc, or use another database`,
  );
}

/** Bring `db` up to date (or refuse a newer one), in one IMMEDIATE transaction. */
export function migrateSqlite(
  db: BetterSqlite3.Database,
  url: string,
  migrations: readonly Migration[] = SQLITE_MIGRATIONS,
): void {
  const known = Math.max(...migrations.map((m) => m.version));
  const run = db.transaction(() => {
    db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
    const row = db.prepare("SELECT max(version) AS v FROM schema_version").get() as {
      v: number | null;
    };
    const current = row.v ?? 0;
    if (current > known) throw newerSchemaError(url, current, known);
    for (const m of migrations) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      m.run?.(db);
      db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(m.version);
    }
  });
  run.immediate();
}
