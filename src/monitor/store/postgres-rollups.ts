/**
 * @module The PostgreSQL store's rollup rows: `teldoc_rollup` keeps each bucket's counts and
 * percentiles as columns (readable from SQL) beside its sketch; a 1-day row also keeps its hours
 * (`hours`, day-hours.ts's encoding). Reading a row back, merging a write into the stored rows,
 * upserting them in one statement, and building the 1-day rows of a database from before
 * days were kept (migration 2).
 */
import type pg from "pg";
import { TeldocError } from "../../errors.js";
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES, STAGES, type Stage } from "../sample.js";
import { ByteReader, ByteWriter, readSketch, writeSketch } from "./codec.js";
import { encodeHours, readHours } from "./day-codec.js";
import {
  DAY_MS,
  dayKey,
  dayOfHours,
  dayPercentiles,
  type MutableDayHours,
  touchedDays,
} from "./day-hours.js";
import {
  type AccSeconds,
  DAY_SECONDS,
  emptyAcc,
  mergeAcc,
  orderedCounts,
  type RollupAcc,
  type SeriesAcc,
  toRollup,
} from "./rollup.js";
import type { DayHours, DayRollup, Rollup, RollupSeconds } from "./types.js";

const iso = (t: number) => new Date(t).toISOString();

export const ROLLUP_COLUMNS =
  "r.rounds, r.ok, r.skipped, r.by_cause, r.by_stage, r.sent, r.answered, r.rtt_min_ms, r.rtt_p50_ms, r.rtt_p90_ms, r.rtt_max_ms";

export interface StoredRollupRow {
  seconds: AccSeconds;
  series: number;
  start: Date;
  rounds: number;
  ok: number;
  skipped: number;
  by_cause: Partial<Record<Cause, number>>;
  by_stage: Partial<Record<Stage, number>>;
  sent: number;
  answered: number;
  rtt_min_ms: number | null;
  rtt_p50_ms: number | null;
  rtt_p90_ms: number | null;
  rtt_max_ms: number | null;
  sketch?: Buffer;
  hours?: Buffer | null;
}

/** A stored row as an accumulator for `key`'s bucket (the row was read with its sketch). */
export function storedAcc(row: StoredRollupRow, key: RollupAcc): RollupAcc {
  return {
    ...emptyAcc(key.vantage, key.target, key.seconds, key.start),
    rounds: row.rounds,
    ok: row.ok,
    skipped: row.skipped,
    byCause: { ...row.by_cause },
    byStage: { ...row.by_stage },
    sent: row.sent,
    answered: row.answered,
    rttMin: row.rtt_min_ms,
    rttMax: row.rtt_max_ms,
    sketch: readSketch(new ByteReader(row.sketch!)),
  };
}

/**
 * Merge a write's accumulators with their stored rows (read with sketch and hours), set the
 * touched hours of each day, and upsert them all.
 */
export async function mergeStoredRollups(
  c: pg.ClientBase,
  list: readonly SeriesAcc[],
): Promise<void> {
  const { rows } = await c.query<StoredRollupRow>(
    `SELECT r.seconds, r.series, r.start, ${ROLLUP_COLUMNS}, r.sketch, r.hours FROM teldoc_rollup r
     WHERE (r.seconds, r.series, r.start) IN (SELECT * FROM unnest($1::int[], $2::int[], $3::timestamptz[]))`,
    [list.map((e) => e.acc.seconds), list.map((e) => e.series), list.map((e) => iso(e.acc.start))],
  );
  const accs = new Map(list.map((e) => [`${e.acc.seconds}:${e.series}:${e.acc.start}`, e]));
  const storedHours = new Map<string, MutableDayHours>();
  for (const row of rows) {
    const entry = accs.get(`${row.seconds}:${row.series}:${row.start.getTime()}`)!;
    mergeAcc(entry.acc, storedAcc(row, entry.acc));
    if (row.hours)
      storedHours.set(dayKey(row.series, entry.acc.start), readHours(new ByteReader(row.hours)));
  }
  const days = touchedDays(list, (series, start) => storedHours.get(dayKey(series, start)));
  await upsertRollups(c, list, days);
}

/** Upsert the accumulators (a day's hours from `days`, by `dayKey`) in one statement. */
export async function upsertRollups(
  c: pg.ClientBase,
  list: readonly SeriesAcc[],
  days: ReadonlyMap<string, DayHours>,
): Promise<void> {
  const done = list.map((e) => {
    const hours =
      e.acc.seconds === DAY_SECONDS ? days.get(dayKey(e.series, e.acc.start)) : undefined;
    const r = toRollup(e.acc);
    // A day keeps no sketch: its p50/p90 are its hours' (day-hours.ts).
    const rttMs = hours ? { ...r.rttMs, ...dayPercentiles(hours) } : r.rttMs;
    return { series: e.series, acc: e.acc, r: { ...r, rttMs }, hours };
  });
  const col = <T>(f: (e: (typeof done)[number]) => T) => done.map(f);
  const sketch = (acc: RollupAcc) => {
    const w = new ByteWriter();
    writeSketch(w, acc.seconds === DAY_SECONDS ? new Map() : acc.sketch);
    return w.bytes();
  };
  await c.query(
    `INSERT INTO teldoc_rollup (seconds, series, start, rounds, ok, skipped, by_cause, by_stage, sent,
       answered, rtt_min_ms, rtt_p50_ms, rtt_p90_ms, rtt_max_ms, sketch, hours)
     SELECT se, sr, st, ro, ok, sk, bc::jsonb, bs::jsonb, sn, an, mi, p5, p9, ma, sh, hr
     FROM unnest($1::int[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::int[], $7::text[],
       $8::text[], $9::int[], $10::int[], $11::float8[], $12::float8[], $13::float8[], $14::float8[], $15::bytea[],
       $16::bytea[])
       AS u(se, sr, st, ro, ok, sk, bc, bs, sn, an, mi, p5, p9, ma, sh, hr)
     ON CONFLICT (seconds, series, start) DO UPDATE SET rounds = EXCLUDED.rounds, ok = EXCLUDED.ok,
       skipped = EXCLUDED.skipped, by_cause = EXCLUDED.by_cause, by_stage = EXCLUDED.by_stage,
       sent = EXCLUDED.sent, answered = EXCLUDED.answered, rtt_min_ms = EXCLUDED.rtt_min_ms,
       rtt_p50_ms = EXCLUDED.rtt_p50_ms, rtt_p90_ms = EXCLUDED.rtt_p90_ms,
       rtt_max_ms = EXCLUDED.rtt_max_ms, sketch = EXCLUDED.sketch, hours = EXCLUDED.hours`,
    [
      col((e) => e.acc.seconds),
      col((e) => e.series),
      col((e) => iso(e.acc.start)),
      col((e) => e.r.rounds),
      col((e) => e.r.ok),
      col((e) => e.r.skipped),
      col((e) => JSON.stringify(e.r.byCause)),
      col((e) => JSON.stringify(e.r.byStage)),
      col((e) => e.r.sent),
      col((e) => e.r.answered),
      col((e) => e.r.rttMs.min),
      col((e) => e.r.rttMs.p50),
      col((e) => e.r.rttMs.p90),
      col((e) => e.r.rttMs.max),
      col((e) => sketch(e.acc)),
      col((e) => (e.hours ? encodeHours(e.hours) : null)),
    ],
  );
}

/** A stored row as the Rollup it is. */
export function rowRollup(row: StoredRollupRow, s: { vantage: string; target: string }): Rollup {
  return {
    start: row.start.getTime(),
    seconds: row.seconds as RollupSeconds,
    vantage: s.vantage,
    target: s.target,
    rounds: row.rounds,
    ok: row.ok,
    skipped: row.skipped,
    byCause: orderedCounts(row.by_cause, CAUSE_NAMES),
    byStage: orderedCounts(row.by_stage, STAGES),
    sent: row.sent,
    answered: row.answered,
    rttMs: { min: row.rtt_min_ms, p50: row.rtt_p50_ms, p90: row.rtt_p90_ms, max: row.rtt_max_ms },
  };
}

/** A stored 1-day row (read with its hours) as the day it is. */
export function rowDay(row: StoredRollupRow, s: { vantage: string; target: string }): DayRollup {
  if (!row.hours)
    throw new TeldocError(
      "TELDOC_ERR_STORE",
      `a stored record is damaged: the 1-day rollup of series ${row.series} at ${iso(row.start.getTime())} has no hours`,
    );
  return {
    ...rowRollup(row, s),
    seconds: 86400,
    hours: readHours(new ByteReader(row.hours)),
  };
}

/**
 * Migration 2: the 1-day rows (with hours) of every day the 1-h rows hold, one series at a
 * time, inside the migration's transaction.
 */
export async function backfillDays(c: pg.ClientBase): Promise<void> {
  const { rows: series } = await c.query<{ series: number }>(
    "SELECT DISTINCT series FROM teldoc_rollup WHERE seconds = 3600 ORDER BY series",
  );
  for (const { series: id } of series) {
    const { rows } = await c.query<StoredRollupRow>(
      `SELECT r.seconds, r.series, r.start, ${ROLLUP_COLUMNS}, r.sketch FROM teldoc_rollup r
       WHERE r.seconds = 3600 AND r.series = $1 ORDER BY r.start`,
      [id],
    );
    const byDay = new Map<number, RollupAcc[]>();
    for (const row of rows) {
      const start = row.start.getTime();
      const acc = storedAcc(row, emptyAcc("", "", 3600, start));
      const day = Math.floor(start / DAY_MS);
      const list = byDay.get(day);
      if (list) list.push(acc);
      else byDay.set(day, [acc]);
    }
    const list: SeriesAcc[] = [];
    const days = new Map<string, DayHours>();
    for (const accs of byDay.values()) {
      const day = dayOfHours(accs);
      list.push({ series: id, acc: day.acc });
      days.set(dayKey(id, day.acc.start), day.hours);
    }
    if (list.length) await upsertRollups(c, list, days);
  }
}
