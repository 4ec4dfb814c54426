/**
 * @module The fleet store: PostgreSQL through `pg`'s pool (closed by `close()`). One `write` is
 * one transaction: the batch goes in as one multi-row INSERT (unnest of arrays), the new
 * samples are folded into their 5-min and 1-h rollups, and those are merged with the stored
 * ones and upserted, so `rollups()` only reads. Monitors of different vantages write to one
 * database at once: each write holds a transaction-scoped advisory lock per vantage it
 * writes, so writers of one vantage take turns (their rollup merges cannot lose an update)
 * while other vantages go on in parallel. `samples()` reads in keyset pages (never OFFSET).
 * A sample is known by (vantage, target, t): writing one again changes nothing.
 * Schema: postgres-schema.ts.
 */
import pg from "pg";
import { TeldocError } from "../../errors.js";
import type { Cause } from "../../trace/events.js";
import { type Sample, type Stage, sampleTime } from "../sample.js";
import type { OpenStoreOptions } from "./open.js";
import { redactUrl } from "./open.js";
import { connectError } from "./postgres-errors.js";
import {
  mergeStoredRollups,
  ROLLUP_COLUMNS,
  rowDay,
  rowRollup,
  type StoredRollupRow,
} from "./postgres-rollups.js";
import { migratePostgres } from "./postgres-schema.js";
import { type AccSeconds, DAY_SECONDS, foldForStore } from "./rollup.js";
import { orderedSample } from "./sample-order.js";
import { checkVantage } from "./target-check.js";
import {
  type CompactResult,
  type DayRollup,
  DEFAULT_RETENTION,
  type FailedRound,
  type FailureQuery,
  type KeptTrace,
  type PeriodQuery,
  type Retention,
  type Rollup,
  type RollupQuery,
  type SampleQuery,
  type Store,
  type TargetInfo,
} from "./types.js";

const DAY_MS = 86_400_000;
const PAGE = 1000;
/** Failed rounds read per page (small rows). */
const FAILURE_PAGE = 10_000;
/** Series whose rollups one query reads. */
const SERIES_CHUNK = 200;
/** The advisory lock class of writers; the object is hashtext(vantage). */
const WRITE_LOCK_CLASS = 0x7e1d0d;

const iso = (t: number) => new Date(t).toISOString();
const bound = (t: number | undefined, fallback: string) => (t === undefined ? fallback : iso(t));

/**
 * Connect (bounded by `connectTimeoutMs`), migrate, and return the store. An unreachable
 * server is TELDOC_ERR_STORE naming host and port and what to check.
 * @example const store = await openPostgresStore("postgres://teldoc@db.example/teldoc");
 */
export async function openPostgresStore(
  url: string,
  options: OpenStoreOptions = {},
): Promise<Store> {
  const shown = redactUrl(url);
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5000,
  });
  pool.on("error", () => {
    // An idle client lost its connection: the next query reports it.
  });
  try {
    const client = await pool.connect();
    try {
      await migratePostgres(client, shown);
    } finally {
      client.release();
    }
  } catch (e) {
    await pool.end().catch(() => {});
    if (e instanceof TeldocError) throw e;
    throw connectError(url, shown, e, options.connectTimeoutMs ?? 5000);
  }
  return new PostgresStore(pool, shown, options.retention ?? DEFAULT_RETENTION);
}

interface SampleRow {
  t: Date;
  vantage: string;
  target: string;
  host: string;
  port: number;
  level: Sample["level"];
  ok: boolean;
  cause: Cause;
  stage: Stage | null;
  skipped: boolean;
  sent: number;
  answered: number;
  rtt_ms: number[];
  first_byte_ms: number | null;
  prompt_ms: number | null;
  login_ms: number | null;
  duration_ms: number;
  evidence: string[];
}

class PostgresStore implements Store {
  private readonly seriesIds = new Map<string, number>();
  private readonly endpointIds = new Map<string, number>();
  private closed = false;

  constructor(
    private readonly pool: pg.Pool,
    readonly url: string,
    private readonly retention: Retention,
  ) {}

  /** Run `fn` on one client; a driver error becomes TELDOC_ERR_STORE. */
  private async use<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    let client: pg.PoolClient | undefined;
    try {
      client = await this.pool.connect();
      return await fn(client);
    } catch (e) {
      if (e instanceof TeldocError) throw e;
      throw new TeldocError(
        "TELDOC_ERR_STORE",
        `${this.url}: cannot ${what}: ${(e as Error).message}`,
        { cause: e },
      );
    } finally {
      client?.release();
    }
  }

  /** `fn` inside BEGIN/COMMIT (ROLLBACK on error). */
  private tx<T>(what: string, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.use(what, async (c) => {
      await c.query("BEGIN");
      try {
        const out = await fn(c);
        await c.query("COMMIT");
        return out;
      } catch (e) {
        await c.query("ROLLBACK").catch(() => {});
        throw e;
      }
    });
  }

  /** Ids for (vantage, target) pairs, interned outside any transaction (so ids are committed). */
  private async series(c: pg.PoolClient, pairs: Iterable<[string, string]>): Promise<void> {
    const missing = new Map<string, [string, string]>();
    for (const [v, t] of pairs) {
      const key = `${v}\u0000${t}`;
      if (!this.seriesIds.has(key)) missing.set(key, [v, t]);
    }
    if (missing.size === 0) return;
    const vs = [...missing.values()].map((p) => p[0]);
    const ts = [...missing.values()].map((p) => p[1]);
    await c.query(
      "INSERT INTO teldoc_series (vantage, target) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING",
      [vs, ts],
    );
    const { rows } = await c.query<{ id: number; vantage: string; target: string }>(
      "SELECT id, vantage, target FROM teldoc_series WHERE (vantage, target) IN (SELECT * FROM unnest($1::text[], $2::text[]))",
      [vs, ts],
    );
    for (const r of rows) this.seriesIds.set(`${r.vantage}\u0000${r.target}`, r.id);
  }

  private async endpoints(c: pg.PoolClient, samples: readonly Sample[]): Promise<void> {
    const missing = new Map<string, Sample>();
    for (const s of samples) {
      const key = `${s.host}\u0000${s.port}\u0000${s.level}`;
      if (!this.endpointIds.has(key)) missing.set(key, s);
    }
    if (missing.size === 0) return;
    const list = [...missing.values()];
    const args = [list.map((s) => s.host), list.map((s) => s.port), list.map((s) => s.level)];
    await c.query(
      "INSERT INTO teldoc_endpoint (host, port, level) SELECT * FROM unnest($1::text[], $2::int[], $3::text[]) ON CONFLICT DO NOTHING",
      args,
    );
    const { rows } = await c.query<{ id: number; host: string; port: number; level: string }>(
      "SELECT id, host, port, level FROM teldoc_endpoint WHERE (host, port, level) IN (SELECT * FROM unnest($1::text[], $2::int[], $3::text[]))",
      args,
    );
    for (const r of rows) this.endpointIds.set(`${r.host}\u0000${r.port}\u0000${r.level}`, r.id);
  }

  async write(samples: readonly Sample[]): Promise<void> {
    if (samples.length === 0) return;
    for (const s of samples)
      if (!Number.isFinite(sampleTime(s)))
        throw new TeldocError("TELDOC_ERR_BAD_SAMPLE", `sample time "${s.t}" is not a date`);
    await this.use("write samples", async (c) => {
      await this.series(
        c,
        samples.map((s) => [s.vantage, s.target] as [string, string]),
      );
      await this.endpoints(c, samples);
    });
    await this.tx("write samples", async (c) => {
      for (const v of [...new Set(samples.map((s) => s.vantage))].sort())
        await c.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [WRITE_LOCK_CLASS, v]);
      const inserted = await this.insertSamples(c, samples);
      await this.mergeRollups(c, inserted);
    });
  }

  private seriesOf(s: Pick<Sample, "vantage" | "target">): number {
    return this.seriesIds.get(`${s.vantage}\u0000${s.target}`)!;
  }

  /** One multi-row INSERT; returns the samples that were new (first of a key wins). */
  private async insertSamples(c: pg.PoolClient, samples: readonly Sample[]): Promise<Sample[]> {
    const byKey = new Map<string, Sample>();
    for (const s of samples) {
      const key = `${this.seriesOf(s)}:${sampleTime(s)}`;
      if (!byKey.has(key)) byKey.set(key, s);
    }
    const list = [...byKey.values()];
    const col = <T>(f: (s: Sample) => T) => list.map(f);
    const { rows } = await c.query<{ series: number; t: Date }>(
      `INSERT INTO teldoc_sample (series, t, endpoint, ok, cause, stage, skipped, sent, answered,
         rtt_ms, first_byte_ms, prompt_ms, login_ms, duration_ms, evidence)
       SELECT s, t, e, ok, c, st, sk, se, an, r::float8[], fb, pr, lg, du, ev::jsonb
       FROM unnest($1::int[], $2::timestamptz[], $3::int[], $4::bool[], $5::text[], $6::text[],
         $7::bool[], $8::int[], $9::int[], $10::text[], $11::float8[], $12::float8[],
         $13::float8[], $14::float8[], $15::text[])
         AS u(s, t, e, ok, c, st, sk, se, an, r, fb, pr, lg, du, ev)
       ON CONFLICT DO NOTHING RETURNING series, t`,
      [
        col((s) => this.seriesOf(s)),
        col((s) => iso(sampleTime(s))),
        col((s) => this.endpointIds.get(`${s.host}\u0000${s.port}\u0000${s.level}`)!),
        col((s) => s.ok),
        col((s) => s.cause),
        col((s) => s.stage),
        col((s) => !!s.skipped),
        col((s) => s.connects.sent),
        col((s) => s.connects.answered),
        col((s) => `{${s.connects.rttMs.map(String).join(",")}}`),
        col((s) => s.timings.firstByteMs),
        col((s) => s.timings.promptMs),
        col((s) => s.timings.loginMs),
        col((s) => s.durationMs),
        col((s) => JSON.stringify(s.evidence)),
      ],
    );
    return rows.map((r) => byKey.get(`${r.series}:${r.t.getTime()}`)!);
  }

  /** Fold the new samples, merge with the stored buckets, upsert them all in one statement. */
  private async mergeRollups(c: pg.PoolClient, samples: readonly Sample[]): Promise<void> {
    if (samples.length === 0) return;
    await mergeStoredRollups(c, foldForStore(samples.map((s) => [this.seriesOf(s), s] as const)));
  }

  async *samples(q: SampleQuery = {}): AsyncIterable<Sample> {
    const where = [
      "s.t >= $1",
      "(s.t, r.vantage, r.target) > ($4::timestamptz, $5, $6)",
      "s.t < $2",
    ];
    const args: unknown[] = [bound(q.since, "-infinity"), bound(q.until, "infinity"), PAGE];
    if (q.vantage !== undefined) where.push(`r.vantage = $${args.push(q.vantage) + 3}`);
    if (q.target !== undefined) where.push(`r.target = $${args.push(q.target) + 3}`);
    if (q.failedOnly) where.push("NOT s.ok");
    const sql = `SELECT s.t, r.vantage, r.target, e.host, e.port, e.level, s.ok, s.cause, s.stage,
        s.skipped, s.sent, s.answered, s.rtt_ms, s.first_byte_ms, s.prompt_ms, s.login_ms,
        s.duration_ms, s.evidence
      FROM teldoc_sample s JOIN teldoc_series r ON r.id = s.series JOIN teldoc_endpoint e ON e.id = s.endpoint
      WHERE ${where.join(" AND ")} ORDER BY s.t, r.vantage, r.target LIMIT $3`;
    let key: [string, string, string] = [bound(q.since, "-infinity"), "", ""];
    for (;;) {
      const [a, b, lim, ...rest] = args;
      const rows = await this.use(
        "read samples",
        async (c) => (await c.query<SampleRow>(sql, [a, b, lim, ...key, ...rest])).rows,
      );
      for (const row of rows) yield rowSample(row);
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      key = [last.t.toISOString(), last.vantage, last.target];
    }
  }

  async *rollups(q: RollupQuery): AsyncIterable<Rollup> {
    for await (const [row, s] of this.rollupRows(q, q.seconds, false)) yield rowRollup(row, s);
  }

  async *days(q: PeriodQuery): AsyncIterable<DayRollup> {
    for await (const [row, s] of this.rollupRows(q, DAY_SECONDS, true)) yield rowDay(row, s);
  }

  async *failures(q: FailureQuery): AsyncIterable<FailedRound> {
    const list = await this.use("list series", (c) => seriesList(c, q));
    const names = new Map(list.map((s) => [s.id, s]));
    const only =
      q.vantage === undefined && q.target === undefined ? undefined : list.map((s) => s.id);
    const ranges: [string, string][] =
      (q.minPerMinute ?? 0) > 1
        ? await this.busyRanges(q, q.minPerMinute!)
        : [[bound(q.since, "-infinity"), bound(q.until, "infinity")]];
    for (const [from, to] of ranges) yield* this.failuresIn(from, to, names, only);
  }

  /** Runs of the minutes holding at least `min` failed rounds, as [from, to) ISO bounds. */
  private async busyRanges(q: PeriodQuery, min: number): Promise<[string, string][]> {
    const { rows } = await this.use("read failures", (c) =>
      c.query<{ m: string }>(
        `SELECT floor(extract(epoch FROM t) / 60)::bigint AS m FROM teldoc_sample
         WHERE NOT ok AND t >= $1 AND t < $2 GROUP BY 1 HAVING count(*) >= $3 ORDER BY 1`,
        [bound(q.since, "-infinity"), bound(q.until, "infinity"), min],
      ),
    );
    const out: [number, number][] = [];
    const [since, until] = [q.since ?? -8.64e15, q.until ?? 8.64e15];
    for (const { m } of rows) {
      const [from, to] = [
        Math.max(since, Number(m) * 60_000),
        Math.min(until, (Number(m) + 1) * 60_000),
      ];
      const last = out[out.length - 1];
      if (last && last[1] >= from) last[1] = to;
      else out.push([from, to]);
    }
    return out.map(([a, b]) => [iso(a), iso(b)]);
  }

  /** The failed rounds in [from, to), a page at a time. */
  private async *failuresIn(
    from: string,
    to: string,
    names: ReadonlyMap<number, { vantage: string; target: string }>,
    only: number[] | undefined,
  ): AsyncIterable<FailedRound> {
    const sql = `SELECT s.t, s.series, s.cause FROM teldoc_sample s
      WHERE NOT s.ok AND NOT s.skipped AND s.t >= $1 AND s.t < $2
        AND (s.t, s.series) > ($4::timestamptz, $5) ${only ? "AND s.series = ANY($6::int[])" : ""}
      ORDER BY s.t, s.series LIMIT $3`;
    let key: [string, number] = [from, -1];
    for (;;) {
      const params = [from, to, FAILURE_PAGE, ...key, ...(only ? [only] : [])];
      const rows = await this.use(
        "read failures",
        async (c) => (await c.query<{ t: Date; series: number; cause: Cause }>(sql, params)).rows,
      );
      for (const r of rows) {
        const s = names.get(r.series);
        if (s) yield { t: r.t.getTime(), vantage: s.vantage, target: s.target, cause: r.cause };
      }
      if (rows.length < FAILURE_PAGE) return;
      const last = rows[rows.length - 1]!;
      key = [last.t.toISOString(), last.series];
    }
  }

  /** Stored rollup rows with their series, in the series' order, a chunk of series at a time. */
  private async *rollupRows(
    q: SampleQuery,
    seconds: AccSeconds,
    hours: boolean,
  ): AsyncIterable<[StoredRollupRow, { vantage: string; target: string }]> {
    const size = seconds * 1000;
    const from = q.since === undefined ? "-infinity" : iso(Math.ceil(q.since / size) * size);
    const to = q.until === undefined ? "infinity" : iso(Math.ceil(q.until / size) * size);
    const list = await this.use("list series", (c) => seriesList(c, q));
    for (let i = 0; i < list.length; i += SERIES_CHUNK) {
      const chunk = list.slice(i, i + SERIES_CHUNK);
      const rows = await this.use(
        "read rollups",
        async (c) =>
          (
            await c.query<StoredRollupRow>(
              `SELECT r.seconds, r.series, r.start, ${ROLLUP_COLUMNS}${hours ? ", r.hours" : ""}
             FROM teldoc_rollup r
             WHERE r.seconds = $1 AND r.series = ANY($2::int[]) AND r.start >= $3 AND r.start < $4
             ${q.failedOnly ? "AND r.ok < r.rounds" : ""} ORDER BY r.series, r.start`,
              [seconds, chunk.map((s) => s.id), from, to],
            )
          ).rows,
      );
      const bySeries = new Map<number, StoredRollupRow[]>();
      for (const row of rows) {
        const group = bySeries.get(row.series);
        if (group) group.push(row);
        else bySeries.set(row.series, [row]);
      }
      for (const s of chunk) for (const row of bySeries.get(s.id) ?? []) yield [row, s];
    }
  }

  async putTargets(vantage: string, targets: readonly TargetInfo[]): Promise<void> {
    checkVantage(vantage, targets);
    await this.tx("record targets", async (c) => {
      await c.query("DELETE FROM teldoc_target WHERE vantage = $1", [vantage]);
      await c.query(
        `INSERT INTO teldoc_target (vantage, name, host, port, level, tags)
         SELECT $1, n, h, p, l, t::jsonb FROM unnest($2::text[], $3::text[], $4::int[], $5::text[], $6::text[]) AS u(n, h, p, l, t)
         ON CONFLICT (vantage, name) DO UPDATE SET host = EXCLUDED.host, port = EXCLUDED.port, level = EXCLUDED.level, tags = EXCLUDED.tags`,
        [
          vantage,
          targets.map((t) => t.name),
          targets.map((t) => t.host),
          targets.map((t) => t.port),
          targets.map((t) => t.level),
          targets.map((t) => JSON.stringify(t.tags)),
        ],
      );
    });
  }

  async targets(vantage?: string): Promise<TargetInfo[]> {
    const { rows } = await this.use("read targets", (c) =>
      c.query<TargetInfo>(
        `SELECT name, vantage, host, port, level, tags FROM teldoc_target
         ${vantage === undefined ? "" : "WHERE vantage = $1"} ORDER BY vantage, name`,
        vantage === undefined ? [] : [vantage],
      ),
    );
    return rows.map((r) => ({
      name: r.name,
      vantage: r.vantage,
      host: r.host,
      port: r.port,
      level: r.level,
      tags: r.tags,
    }));
  }

  async keepTrace(trace: KeptTrace): Promise<void> {
    const t = Date.parse(trace.t);
    if (!Number.isFinite(t))
      throw new TeldocError("TELDOC_ERR_INVALID_ARGUMENT", `trace time "${trace.t}" is not a date`);
    await this.use("keep a trace", (c) => this.series(c, [[trace.vantage, trace.target]]));
    const series = this.seriesOf(trace);
    await this.tx("keep a trace", async (c) => {
      await c.query(
        "INSERT INTO teldoc_trace (series, t, jsonl) VALUES ($1, $2, $3) ON CONFLICT (series, t) DO UPDATE SET jsonl = EXCLUDED.jsonl",
        [series, iso(t), trace.jsonl],
      );
      await c.query(
        "DELETE FROM teldoc_trace WHERE series = $1 AND t NOT IN (SELECT t FROM teldoc_trace WHERE series = $1 ORDER BY t DESC LIMIT $2)",
        [series, this.retention.tracesPerTarget],
      );
    });
  }

  async traces(target: string, vantage?: string): Promise<KeptTrace[]> {
    const { rows } = await this.use("read traces", (c) =>
      c.query<{ vantage: string; target: string; t: Date; jsonl: string }>(
        `SELECT r.vantage, r.target, x.t, x.jsonl FROM teldoc_trace x JOIN teldoc_series r ON r.id = x.series
         WHERE r.target = $1 ${vantage === undefined ? "" : "AND r.vantage = $2"} ORDER BY x.t DESC, r.vantage`,
        vantage === undefined ? [target] : [target, vantage],
      ),
    );
    return rows.map((r) => ({
      vantage: r.vantage,
      target: r.target,
      t: r.t.toISOString(),
      jsonl: r.jsonl,
    }));
  }

  async compact(now: number, retention: Retention = this.retention): Promise<CompactResult> {
    return this.tx("compact", async (c) => {
      const samples =
        (
          await c.query("DELETE FROM teldoc_sample WHERE t < $1", [
            iso(now - retention.rawDays * DAY_MS),
          ])
        ).rowCount ?? 0;
      let rollups = 0;
      for (const [seconds, days] of [
        [300, retention.rollup5mDays],
        [3600, retention.rollup1hDays],
        [DAY_SECONDS, retention.rollup1hDays],
      ] as const) {
        const size = seconds * 1000;
        const before = Math.floor((now - days * DAY_MS) / size) * size;
        rollups +=
          (
            await c.query("DELETE FROM teldoc_rollup WHERE seconds = $1 AND start < $2", [
              seconds,
              iso(before),
            ])
          ).rowCount ?? 0;
      }
      const traces =
        (
          await c.query(
            `DELETE FROM teldoc_trace WHERE (series, t) IN (SELECT series, t FROM (SELECT series, t,
             row_number() OVER (PARTITION BY series ORDER BY t DESC) AS n FROM teldoc_trace) x WHERE n > $1)`,
            [retention.tracesPerTarget],
          )
        ).rowCount ?? 0;
      return {
        rolledUp: samples,
        deletedSamples: samples,
        deletedRollups: rollups,
        deletedTraces: traces,
      };
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

async function seriesList(
  c: pg.PoolClient,
  q: SampleQuery,
): Promise<{ id: number; vantage: string; target: string }[]> {
  const where: string[] = [];
  const args: string[] = [];
  if (q.vantage !== undefined) where.push(`vantage = $${args.push(q.vantage)}`);
  if (q.target !== undefined) where.push(`target = $${args.push(q.target)}`);
  const { rows } = await c.query<{ id: number; vantage: string; target: string }>(
    `SELECT id, vantage, target FROM teldoc_series ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY vantage, target`,
    args,
  );
  return rows;
}

function rowSample(r: SampleRow): Sample {
  return orderedSample({
    t: r.t.toISOString(),
    vantage: r.vantage,
    target: r.target,
    host: r.host,
    port: r.port,
    level: r.level,
    ok: r.ok,
    cause: r.cause,
    stage: r.stage,
    connects: { sent: r.sent, answered: r.answered, rttMs: r.rtt_ms },
    timings: { firstByteMs: r.first_byte_ms, promptMs: r.prompt_ms, loginMs: r.login_ms },
    durationMs: r.duration_ms,
    evidence: r.evidence,
    ...(r.skipped ? { skipped: true } : {}),
  });
}
