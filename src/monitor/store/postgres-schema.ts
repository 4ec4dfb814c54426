/**
 * @module The PostgreSQL store's schema as a list of migrations (data) and the runner. Several
 * monitors (one per vantage) may open one database at the same moment: the runner holds a
 * transaction-scoped advisory lock while it reads the version and applies what is missing, so
 * exactly one of them migrates and the others then find the schema done. A database from a
 * newer teldoc is refused, not touched.
 *
 * The same ideas as SQLite (interned series and endpoints, samples keyed (series, t), rollups
 * kept up to date at write time), with PostgreSQL's own types so the tables read well from SQL
 * (Grafana): timestamptz, float8[] RTTs, jsonb evidence and counts, the percentiles as columns
 * beside the sketch. Names sort in "C" collation, the order the Store interface promises.
 */
import type pg from "pg";
import { backfillDays } from "./postgres-rollups.js";
import { newerSchemaError } from "./sqlite-schema.js";

/** One schema step: its SQL, then (when the data must be rewritten) a function. */
export interface PgMigration {
  readonly version: number;
  readonly sql: string;
  readonly run?: (client: pg.ClientBase) => Promise<void>;
}

export const PG_MIGRATIONS: readonly PgMigration[] = [
  {
    version: 1,
    sql: `
CREATE TABLE teldoc_series (id serial PRIMARY KEY, vantage text COLLATE "C" NOT NULL,
  target text COLLATE "C" NOT NULL, UNIQUE (vantage, target));
CREATE TABLE teldoc_endpoint (id serial PRIMARY KEY, host text NOT NULL, port integer NOT NULL,
  level text NOT NULL, UNIQUE (host, port, level));
CREATE TABLE teldoc_sample (series integer NOT NULL, t timestamptz NOT NULL,
  endpoint integer NOT NULL, ok boolean NOT NULL, cause text NOT NULL, stage text,
  skipped boolean NOT NULL, sent integer NOT NULL, answered integer NOT NULL,
  rtt_ms float8[] NOT NULL, first_byte_ms float8, prompt_ms float8, login_ms float8,
  duration_ms float8 NOT NULL, evidence jsonb NOT NULL, PRIMARY KEY (series, t));
CREATE INDEX teldoc_sample_t ON teldoc_sample (t);
CREATE INDEX teldoc_sample_failed ON teldoc_sample (t) WHERE NOT ok;
CREATE TABLE teldoc_rollup (seconds integer NOT NULL, series integer NOT NULL,
  start timestamptz NOT NULL, rounds integer NOT NULL, ok integer NOT NULL,
  skipped integer NOT NULL, by_cause jsonb NOT NULL, by_stage jsonb NOT NULL,
  sent integer NOT NULL, answered integer NOT NULL, rtt_min_ms float8, rtt_p50_ms float8,
  rtt_p90_ms float8, rtt_max_ms float8, sketch bytea NOT NULL,
  PRIMARY KEY (seconds, series, start));
CREATE TABLE teldoc_target (vantage text COLLATE "C" NOT NULL, name text COLLATE "C" NOT NULL,
  host text NOT NULL, port integer NOT NULL, level text NOT NULL, tags jsonb NOT NULL,
  PRIMARY KEY (vantage, name));
CREATE TABLE teldoc_trace (series integer NOT NULL, t timestamptz NOT NULL, jsonl text NOT NULL,
  PRIMARY KEY (series, t));
`,
  },
  {
    // 1-day rollups keep their hours (day-hours.ts); build them for the days already stored.
    version: 2,
    sql: "ALTER TABLE teldoc_rollup ADD COLUMN hours bytea",
    run: backfillDays,
  },
];

/** The advisory lock key (class, object) that serialises migrations. */
const MIGRATION_LOCK = [0x7e1d0c, 1] as const;

/** Bring the database up to date (or refuse a newer one) under the migration lock. */
export async function migratePostgres(
  client: pg.PoolClient,
  url: string,
  migrations: readonly PgMigration[] = PG_MIGRATIONS,
): Promise<void> {
  const known = Math.max(...migrations.map((m) => m.version));
  await client.query("BEGIN");
  try {
    await client.query("SELECT pg_advisory_xact_lock($1, $2)", [...MIGRATION_LOCK]);
    await client.query(
      "CREATE TABLE IF NOT EXISTS teldoc_schema_version (version integer NOT NULL)",
    );
    const { rows } = await client.query<{ v: number | null }>(
      "SELECT max(version) AS v FROM teldoc_schema_version",
    );
    const current = rows[0]?.v ?? 0;
    if (current > known) throw newerSchemaError(url, current, known);
    for (const m of migrations) {
      if (m.version <= current) continue;
      await client.query(m.sql);
      await m.run?.(client);
      await client.query("INSERT INTO teldoc_schema_version (version) VALUES ($1)", [m.version]);
    }
    await client.query("COMMIT");
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}
