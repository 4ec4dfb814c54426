/**
 * @module The embedded store: SQLite through better-sqlite3 (synchronous, so one `write` is one
 * transaction that blocks the event loop for its few milliseconds, and concurrent calls
 * serialise by themselves). WAL with `synchronous=FULL`: a `write` resolves after its commit
 * reached the disk, so an acknowledged sample survives `kill -9` (NORMAL would already survive a
 * killed process; FULL also survives a power cut, at one fsync per batch). Rollups are kept
 * up to date at every write (the sample and its 5-min and 1-h buckets in the same
 * transaction), so `rollups()` only reads, and compaction only deletes. A sample is known by
 * (vantage, target, t): writing one again (importing the same backup twice) changes nothing.
 * Schema and layout: sqlite-schema.ts.
 */
import type BetterSqlite3 from "better-sqlite3";
import Database from "better-sqlite3";
import { TeldocError } from "../../errors.js";
import { type Sample, sampleTime } from "../sample.js";
import {
  decodeAcc,
  decodeMeasures,
  encodeAcc,
  encodeMeasures,
  packStatus,
  readRollup,
  unpackStatus,
} from "./codec.js";
import { encodeDay, readDay, readDayAcc } from "./day-codec.js";
import { DAY_MS, dayKey, type MutableDayHours, touchedDays } from "./day-hours.js";
import { DAY_SECONDS, foldForStore, mergeAcc } from "./rollup.js";
import { orderedSample } from "./sample-order.js";
import { migrateSqlite } from "./sqlite-schema.js";
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

/** Samples read per page: pages keep no statement open while the caller awaits. */
const PAGE = 1000;
/** Failed rounds read per page (small rows). */
const FAILURE_PAGE = 10_000;
/** Time bounds when a query gives none (the range of a JS Date). */
const MIN_T = -8.64e15;
const MAX_T = 8.64e15;

export interface SqliteStoreOptions {
  /** Retention used by keepTrace and by compact when it is given none. */
  readonly retention?: Retention;
}

/**
 * Open (creating and migrating it if needed) the SQLite database at `path` (":memory:" for a
 * private in-memory one). `url` is how messages name it.
 * @example const store = openSqliteStore("teldoc-monitor.db", "sqlite:teldoc-monitor.db");
 */
export function openSqliteStore(
  path: string,
  url: string,
  options: SqliteStoreOptions = {},
): Store {
  let db: BetterSqlite3.Database;
  try {
    db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    migrateSqlite(db, url);
  } catch (e) {
    if (e instanceof TeldocError) throw e;
    throw new TeldocError(
      "TELDOC_ERR_STORE",
      `${url}: cannot open the SQLite database (${(e as Error).message}); check that the directory exists, is writable, and the file is a teldoc database`,
      { cause: e },
    );
  }
  return new SqliteStore(db, url, options.retention ?? DEFAULT_RETENTION);
}

type Row = [number, string, string, string, number, string, number, Buffer, string | null];

/** Ids of interned names, with those a running transaction added kept apart until it commits. */
class Interned {
  readonly known = new Map<string, number>();
  pending = new Map<string, number>();

  get(key: string): number | undefined {
    return this.known.get(key) ?? this.pending.get(key);
  }
  commit(): void {
    for (const [k, v] of this.pending) this.known.set(k, v);
    this.pending = new Map();
  }
}

class SqliteStore implements Store {
  private readonly series = new Interned();
  private readonly endpoints = new Interned();
  private readonly pages = new Map<string, BetterSqlite3.Statement>();
  private readonly st;

  constructor(
    private readonly db: BetterSqlite3.Database,
    readonly url: string,
    private readonly retention: Retention,
  ) {
    const p = (sql: string) => db.prepare(sql);
    this.st = {
      addSeries: p("INSERT INTO series (vantage, target) VALUES (?, ?) ON CONFLICT DO NOTHING"),
      seriesId: p("SELECT id FROM series WHERE vantage = ? AND target = ?").pluck(),
      addEndpoint: p(
        "INSERT INTO endpoint (host, port, level) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      endpointId: p("SELECT id FROM endpoint WHERE host = ? AND port = ? AND level = ?").pluck(),
      addSample: p(
        "INSERT INTO sample (series, t, endpoint, status, m, evidence) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
      ),
      getRollup: p(
        "SELECT data FROM rollup WHERE seconds = ? AND series = ? AND bucket = ?",
      ).pluck(),
      putRollup: p(
        "INSERT OR REPLACE INTO rollup (seconds, series, bucket, data) VALUES (?, ?, ?, ?)",
      ),
      rollups: p(
        "SELECT bucket, data FROM rollup WHERE seconds = ? AND series = ? AND bucket >= ? AND bucket < ? ORDER BY bucket",
      ).raw(),
      busyMinutes: p(
        // Grouped by the expression: `m` would name the measures column of sample.
        `SELECT t / 60000 FROM sample WHERE status <> 0 AND t >= ? AND t < ?
         GROUP BY t / 60000 HAVING count(*) >= ? ORDER BY t / 60000`,
      ).pluck(),
      failures: p(
        `SELECT t, series, status FROM sample WHERE status <> 0 AND t >= @since AND t < @until
         AND (t, series) > (@t, @series) ORDER BY t, series LIMIT @limit`,
      ).raw(),
      addTrace: p("INSERT OR REPLACE INTO trace (series, t, jsonl) VALUES (?, ?, ?)"),
      trimTraces: p(
        "DELETE FROM trace WHERE series = ? AND t NOT IN (SELECT t FROM trace WHERE series = ? ORDER BY t DESC LIMIT ?)",
      ),
    };
  }

  async write(samples: readonly Sample[]): Promise<void> {
    if (samples.length === 0) return;
    this.guard("write samples", () =>
      this.db.transaction(() => this.writeRows(samples)).immediate(),
    );
  }

  /** Insert the samples; fold the new ones into their buckets; merge those into the stored ones. */
  private writeRows(samples: readonly Sample[]): void {
    const fresh: [number, Sample][] = [];
    for (const s of samples) {
      const t = sampleTime(s);
      if (!Number.isFinite(t))
        throw new TeldocError("TELDOC_ERR_BAD_SAMPLE", `sample time "${s.t}" is not a date`);
      const series = this.seriesId(s.vantage, s.target);
      const endpoint = this.endpointId(s.host, s.port, s.level);
      const evidence = s.evidence.length > 0 ? JSON.stringify(s.evidence) : null;
      const m = encodeMeasures(s.connects, s.timings, s.durationMs);
      const status = packStatus({ ...s, skipped: !!s.skipped });
      if (this.st.addSample.run(series, t, endpoint, status, m, evidence).changes === 1)
        fresh.push([series, s]);
    }
    const list = foldForStore(fresh);
    const storedHours = new Map<string, MutableDayHours>();
    for (const { series, acc } of list) {
      const bucket = acc.start / (acc.seconds * 1000);
      const stored = this.st.getRollup.get(acc.seconds, series, bucket) as Buffer | undefined;
      if (!stored) continue;
      if (acc.seconds !== DAY_SECONDS) {
        mergeAcc(acc, decodeAcc(stored, acc));
        continue;
      }
      const day = readDayAcc(stored, acc);
      mergeAcc(acc, day.acc);
      storedHours.set(dayKey(series, acc.start), day.hours);
    }
    const days = touchedDays(list, (series, start) => storedHours.get(dayKey(series, start)));
    for (const { series, acc } of list) {
      const bucket = acc.start / (acc.seconds * 1000);
      const hours = acc.seconds === DAY_SECONDS ? days.get(dayKey(series, acc.start)) : undefined;
      const data = hours ? encodeDay(acc, hours) : encodeAcc(acc);
      this.st.putRollup.run(acc.seconds, series, bucket, data);
    }
  }

  private seriesId(vantage: string, target: string): number {
    const key = `${vantage}\u0000${target}`;
    const known = this.series.get(key);
    if (known !== undefined) return known;
    this.st.addSeries.run(vantage, target);
    const id = this.st.seriesId.get(vantage, target) as number;
    this.series.pending.set(key, id);
    return id;
  }

  private endpointId(host: string, port: number, level: string): number {
    const key = `${host}\u0000${port}\u0000${level}`;
    const known = this.endpoints.get(key);
    if (known !== undefined) return known;
    this.st.addEndpoint.run(host, port, level);
    const id = this.st.endpointId.get(host, port, level) as number;
    this.endpoints.pending.set(key, id);
    return id;
  }

  /** Run `fn`; a driver error becomes TELDOC_ERR_STORE; interned ids count only if it worked. */
  private guard<T>(what: string, fn: () => T): T {
    try {
      const out = fn();
      this.series.commit();
      this.endpoints.commit();
      return out;
    } catch (e) {
      this.series.pending = new Map();
      this.endpoints.pending = new Map();
      if (e instanceof TeldocError) throw e;
      throw new TeldocError(
        "TELDOC_ERR_STORE",
        `${this.url}: cannot ${what}: ${(e as Error).message}`,
        {
          cause: e,
        },
      );
    }
  }

  async *samples(q: SampleQuery = {}): AsyncIterable<Sample> {
    const stmt = this.pageStatement(q);
    const params: Record<string, string | number> = { t: q.since ?? MIN_T, v: "", g: "" };
    params["until"] = q.until ?? MAX_T;
    params["limit"] = PAGE;
    if (q.vantage !== undefined) params["vantage"] = q.vantage;
    if (q.target !== undefined) params["target"] = q.target;
    for (;;) {
      const rows = this.guard("read samples", () => stmt.all(params) as Row[]);
      for (const row of rows) {
        const s = rowSample(row);
        if (!q.failedOnly || !s.ok) yield s;
      }
      if (rows.length < PAGE) return;
      const last = rows[rows.length - 1]!;
      [params["t"], params["v"], params["g"]] = [last[0], last[1], last[2]];
    }
  }

  /** One prepared keyset-page statement per combination of filters. */
  private pageStatement(q: SampleQuery): BetterSqlite3.Statement {
    const name = `${q.vantage !== undefined}${q.target !== undefined}${!!q.failedOnly}`;
    let stmt = this.pages.get(name);
    if (stmt) return stmt;
    const where = ["s.t >= @t", "(s.t, r.vantage, r.target) > (@t, @v, @g)", "s.t < @until"];
    // A named series: read its rows by the (series, t) key, not the whole time index.
    const named: string[] = [];
    if (q.vantage !== undefined) named.push("vantage = @vantage");
    if (q.target !== undefined) named.push("target = @target");
    if (named.length > 0)
      where.push(`s.series IN (SELECT id FROM series WHERE ${named.join(" AND ")})`);
    if (q.failedOnly) where.push("s.status <> 0");
    stmt = this.db
      .prepare(
        `SELECT s.t, r.vantage, r.target, e.host, e.port, e.level, s.status, s.m, s.evidence
         FROM sample s JOIN series r ON r.id = s.series JOIN endpoint e ON e.id = s.endpoint
         WHERE ${where.join(" AND ")} ORDER BY s.t, r.vantage, r.target LIMIT @limit`,
      )
      .raw();
    this.pages.set(name, stmt);
    return stmt;
  }

  async *rollups(q: RollupQuery): AsyncIterable<Rollup> {
    const size = q.seconds * 1000;
    const from = Math.ceil((q.since ?? MIN_T) / size);
    const to = Math.ceil((q.until ?? MAX_T) / size);
    const list = this.guard("list series", () => this.seriesList(q));
    for (const { id, vantage, target } of list) {
      const rows = this.guard(
        "read rollups",
        () => this.st.rollups.all(q.seconds, id, from, to) as [number, Buffer][],
      );
      for (const [bucket, data] of rows) {
        const r = readRollup(data, { vantage, target, seconds: q.seconds, start: bucket * size });
        if (!q.failedOnly || r.ok < r.rounds) yield r;
      }
    }
  }

  async *days(q: PeriodQuery): AsyncIterable<DayRollup> {
    const from = Math.ceil((q.since ?? MIN_T) / DAY_MS);
    const to = Math.ceil((q.until ?? MAX_T) / DAY_MS);
    const list = this.guard("list series", () => this.seriesList(q));
    for (const { id, vantage, target } of list) {
      const rows = this.guard(
        "read days",
        () => this.st.rollups.all(DAY_SECONDS, id, from, to) as [number, Buffer][],
      );
      for (const [day, data] of rows) yield readDay(data, { vantage, target, start: day * DAY_MS });
    }
  }

  async *failures(q: FailureQuery): AsyncIterable<FailedRound> {
    const names = new Map<number, { vantage: string; target: string }>();
    for (const s of this.guard("list series", () => this.seriesList(q))) names.set(s.id, s);
    const [since, until] = [q.since ?? MIN_T, q.until ?? MAX_T];
    const ranges =
      (q.minPerMinute ?? 0) > 1
        ? this.guard("read failures", () =>
            busyRanges(
              this.st.busyMinutes.all(since, until, q.minPerMinute) as number[],
              since,
              until,
            ),
          )
        : [[since, until] as const];
    for (const [from, to] of ranges) yield* this.failuresIn(from, to, names);
  }

  /** The failed rounds in [since, until), a page at a time. */
  private *failuresIn(
    since: number,
    until: number,
    names: ReadonlyMap<number, { vantage: string; target: string }>,
  ): Iterable<FailedRound> {
    const params = { since, until, t: since - 1, series: 0, limit: FAILURE_PAGE };
    for (;;) {
      const rows = this.guard(
        "read failures",
        () => this.st.failures.all(params) as [number, number, number][],
      );
      for (const [t, series, status] of rows) {
        const s = names.get(series);
        // A series made after the list (a write meanwhile) is left out, like its rollups.
        if (!s) continue;
        const st = unpackStatus(status);
        if (st.skipped) continue;
        yield { t, vantage: s.vantage, target: s.target, cause: st.cause };
      }
      if (rows.length < FAILURE_PAGE) return;
      [params.t, params.series] = rows[rows.length - 1]!;
    }
  }

  private seriesList(q: SampleQuery): { id: number; vantage: string; target: string }[] {
    const where: string[] = [];
    const args: string[] = [];
    if (q.vantage !== undefined) {
      where.push("vantage = ?");
      args.push(q.vantage);
    }
    if (q.target !== undefined) {
      where.push("target = ?");
      args.push(q.target);
    }
    const sql = `SELECT id, vantage, target FROM series ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY vantage, target`;
    return this.db.prepare(sql).all(...args) as { id: number; vantage: string; target: string }[];
  }

  async putTargets(vantage: string, targets: readonly TargetInfo[]): Promise<void> {
    checkVantage(vantage, targets);
    this.guard("record targets", () =>
      this.db.transaction(() => {
        this.db.prepare("DELETE FROM target WHERE vantage = ?").run(vantage);
        const add = this.db.prepare(
          "INSERT OR REPLACE INTO target (vantage, name, host, port, level, tags) VALUES (?, ?, ?, ?, ?, ?)",
        );
        for (const t of targets)
          add.run(vantage, t.name, t.host, t.port, t.level, JSON.stringify(t.tags));
      })(),
    );
  }

  async targets(vantage?: string): Promise<TargetInfo[]> {
    const rows = this.guard("read targets", () =>
      vantage === undefined
        ? this.db.prepare("SELECT * FROM target ORDER BY vantage, name").all()
        : this.db.prepare("SELECT * FROM target WHERE vantage = ? ORDER BY name").all(vantage),
    ) as {
      vantage: string;
      name: string;
      host: string;
      port: number;
      level: string;
      tags: string;
    }[];
    return rows.map((r) => ({
      name: r.name,
      vantage: r.vantage,
      host: r.host,
      port: r.port,
      level: r.level as TargetInfo["level"],
      tags: JSON.parse(r.tags) as string[],
    }));
  }

  async keepTrace(trace: KeptTrace): Promise<void> {
    const t = Date.parse(trace.t);
    if (!Number.isFinite(t))
      throw new TeldocError("TELDOC_ERR_INVALID_ARGUMENT", `trace time "${trace.t}" is not a date`);
    this.guard("keep a trace", () =>
      this.db
        .transaction(() => {
          const series = this.seriesId(trace.vantage, trace.target);
          this.st.addTrace.run(series, t, trace.jsonl);
          this.st.trimTraces.run(series, series, this.retention.tracesPerTarget);
        })
        .immediate(),
    );
  }

  async traces(target: string, vantage?: string): Promise<KeptTrace[]> {
    const sql = `SELECT r.vantage, r.target, x.t, x.jsonl FROM trace x JOIN series r ON r.id = x.series
      WHERE r.target = ? ${vantage === undefined ? "" : "AND r.vantage = ?"} ORDER BY x.t DESC, r.vantage`;
    const args = vantage === undefined ? [target] : [target, vantage];
    const rows = this.guard("read traces", () => this.db.prepare(sql).all(...args)) as {
      vantage: string;
      target: string;
      t: number;
      jsonl: string;
    }[];
    return rows.map((r) => ({
      vantage: r.vantage,
      target: r.target,
      t: new Date(r.t).toISOString(),
      jsonl: r.jsonl,
    }));
  }

  async compact(now: number, retention: Retention = this.retention): Promise<CompactResult> {
    return this.guard("compact", () =>
      this.db
        .transaction(() => {
          const samples = this.db
            .prepare("DELETE FROM sample WHERE t < ?")
            .run(now - retention.rawDays * DAY_MS).changes;
          let rollups = 0;
          for (const [seconds, days] of [
            [300, retention.rollup5mDays],
            [3600, retention.rollup1hDays],
            [DAY_SECONDS, retention.rollup1hDays],
          ] as const) {
            const before = Math.floor((now - days * DAY_MS) / (seconds * 1000));
            rollups += this.db
              .prepare("DELETE FROM rollup WHERE seconds = ? AND bucket < ?")
              .run(seconds, before).changes;
          }
          const traces = this.db
            .prepare(
              `DELETE FROM trace WHERE (series, t) IN (SELECT series, t FROM (SELECT series, t,
             row_number() OVER (PARTITION BY series ORDER BY t DESC) AS n FROM trace) WHERE n > ?)`,
            )
            .run(retention.tracesPerTarget).changes;
          return {
            rolledUp: samples,
            deletedSamples: samples,
            deletedRollups: rollups,
            deletedTraces: traces,
          };
        })
        .immediate(),
    );
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** Runs of consecutive minutes (epoch minutes, ascending) as [from, to) ms inside [since, until). */
function busyRanges(minutes: readonly number[], since: number, until: number): [number, number][] {
  const out: [number, number][] = [];
  for (const m of minutes) {
    const [from, to] = [Math.max(since, m * 60_000), Math.min(until, (m + 1) * 60_000)];
    const last = out[out.length - 1];
    if (last && last[1] >= from) last[1] = to;
    else out.push([from, to]);
  }
  return out;
}

function rowSample(row: Row): Sample {
  const [t, vantage, target, host, port, level, status, m, evidence] = row;
  const st = unpackStatus(status);
  const measures = decodeMeasures(m);
  return orderedSample({
    t: new Date(t).toISOString(),
    vantage,
    target,
    host,
    port,
    level: level as Sample["level"],
    ok: st.ok,
    cause: st.cause,
    stage: st.stage,
    ...measures,
    evidence: evidence === null ? [] : (JSON.parse(evidence) as string[]),
    ...(st.skipped ? { skipped: true } : {}),
  });
}
