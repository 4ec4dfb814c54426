/**
 * @module A day's bytes. Its hours: per hour, rounds × 2 (+ 1 when some round was skipped or
 * failed or a connect went unanswered: those three follow, packed in one byte when small);
 * then, for an hour with rounds, connects sent and the RTT p50 and p90 as changes from the
 * hour before (zigzag varints: steady values cost a byte each), and its causes when some round
 * failed (one byte for one cause, then two per other cause). RTT percentiles are sketch bin values (rtt-sketch.ts), so
 * they are kept as changes of bin. A healthy hour is 4-5 bytes; a day of a 60 s target about
 * 150-220 bytes, counts by cause included.
 */
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES } from "../sample.js";
import {
  ByteReader,
  ByteWriter,
  corrupt,
  readCauses,
  readStages,
  writeCauses,
  writeStages,
} from "./codec.js";
import {
  dayPercentiles,
  dayTotals,
  emptyHours,
  HOURS_PER_DAY,
  type MutableDayHours,
} from "./day-hours.js";
import { DAY_SECONDS, emptyAcc, type RollupAcc } from "./rollup.js";
import { sketchKey, sketchValue } from "./rtt-sketch.js";
import type { DayHours, DayRollup } from "./types.js";

const CAUSE_INDEX = new Map(CAUSE_NAMES.map((c, i) => [c, i]));
const zigzag = (d: number) => (d >= 0 ? 2 * d : -2 * d - 1);
const unzigzag = (z: number) => (z % 2 === 0 ? z / 2 : -(z + 1) / 2);

/** Bin values worked out once (a report reads millions): up to 2^20 ms, past any timeout. */
const BIN_VALUES = new Float64Array(sketchKey(2 ** 20) + 1).fill(Number.NaN);

/** The RTT an hour reports when it is a sketch bin's value (most are): rounded to the µs. */
function binValue(k: number): number {
  if (k < 0 || k >= BIN_VALUES.length) return Math.round(sketchValue(k) * 1000) / 1000;
  const v = BIN_VALUES[k]!;
  if (!Number.isNaN(v)) return v;
  BIN_VALUES[k] = Math.round(sketchValue(k) * 1000) / 1000;
  return BIN_VALUES[k]!;
}

/** The bin whose value `v` is, if it is one. */
function binOf(v: number): number | undefined {
  const k = sketchKey(v);
  for (const c of [k, k - 1, k + 1]) if (c >= 0 && binValue(c) === v) return c;
  return undefined;
}

/**
 * An hour's RTT percentile as a change of sketch bin from `prev` (2 + zigzag: a steady RTT is
 * one byte); 0 none; 1 and the measure when it is no bin's value (clamped to min or max).
 */
function writeRtt(w: ByteWriter, v: number, prev: number): number {
  if (Number.isNaN(v)) {
    w.uint(0);
    return prev;
  }
  const k = binOf(v);
  if (k === undefined) {
    w.uint(1);
    w.measure(v);
    return prev;
  }
  w.uint(2 + zigzag(k - prev));
  return k;
}

/** One percentile's values over a day's hours, read as changes of bin. */
class RttReader {
  private prev = 0;
  read(r: ByteReader): number {
    const tag = r.uint();
    if (tag === 0) return Number.NaN;
    if (tag === 1) return r.measure() ?? Number.NaN;
    this.prev += unzigzag(tag - 2);
    return binValue(this.prev);
  }
}

/** Skipped, failed, unanswered in one varint when small (0: the three follow). */
function packed(skipped: number, failed: number, unanswered: number): number {
  return failed < 7 && unanswered < 8 ? 1 + failed + 7 * unanswered + 56 * skipped : 0;
}

/** The causes of an hour that failed: 1 + the cause's index when it is the only one, else 0 and all. */
function writeHourCauses(w: ByteWriter, counts: Partial<Record<Cause, number>>, failed: number) {
  const entries: [number, number][] = [];
  let sum = 0;
  for (const c in counts) {
    const n = counts[c as Cause];
    if (!n) continue;
    entries.push([CAUSE_INDEX.get(c as Cause) ?? 0, n]);
    sum += n;
  }
  entries.sort((a, b) => a[0] - b[0]);
  if (sum !== failed || entries.length === 0) {
    w.uint(0);
    writeCauses(w, counts);
    return;
  }
  if (entries.length === 1) {
    w.uint(1 + entries[0]![0]);
    return;
  }
  // k causes: C + k, then each cause as a step of index, each count but the last (implied).
  w.uint(CAUSE_NAMES.length + entries.length);
  let last = 0;
  entries.forEach(([i, n], j) => {
    w.uint(i - last);
    last = i;
    if (j < entries.length - 1) w.uint(n);
  });
}

/** What `writeHourCauses` wrote. */
function readHourCauses(r: ByteReader, failed: number): Partial<Record<Cause, number>> {
  const tag = r.uint();
  if (tag === 0) return readCauses(r);
  const out: Partial<Record<Cause, number>> = {};
  if (tag <= CAUSE_NAMES.length) {
    out[causeAt(tag - 1)] = failed;
    return out;
  }
  let [at, left] = [0, failed];
  for (let j = tag - CAUSE_NAMES.length; j > 0; j--) {
    at += r.uint();
    const n = j > 1 ? r.uint() : left;
    left -= n;
    out[causeAt(at)] = n;
  }
  return out;
}

export function writeHours(w: ByteWriter, hours: DayHours): void {
  let [sent, p50, p90] = [0, 0, 0];
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const rounds = hours.rounds[h] ?? 0;
    const skipped = hours.skipped[h] ?? 0;
    const failed = rounds - skipped - (hours.ok[h] ?? 0);
    const unanswered = (hours.sent[h] ?? 0) - (hours.answered[h] ?? 0);
    const irregular = skipped > 0 || failed > 0 || unanswered > 0;
    w.uint(rounds * 2 + (irregular ? 1 : 0));
    if (rounds === 0) continue;
    if (irregular) {
      const p = packed(skipped, failed, unanswered);
      w.uint(p);
      if (p === 0) for (const n of [skipped, failed, unanswered]) w.uint(n);
    }
    w.uint(zigzag((hours.sent[h] ?? 0) - sent));
    sent = hours.sent[h] ?? 0;
    p50 = writeRtt(w, hours.p50[h] ?? Number.NaN, p50);
    p90 = writeRtt(w, hours.p90[h] ?? Number.NaN, p90);
    if (failed > 0) writeHourCauses(w, hours.byCause[h] ?? {}, failed);
  }
}

export function readHours(r: ByteReader): MutableDayHours {
  const out = emptyHours();
  const { rounds, skipped, ok, sent, answered, p50, p90, byCause } = out;
  const d50 = new RttReader();
  const d90 = new RttReader();
  let lastSent = 0;
  for (let h = 0; h < HOURS_PER_DAY; h++) {
    const header = r.uint();
    if (header < 2) continue;
    const n = (header - (header % 2)) / 2;
    let [s, failed, unanswered] = [0, 0, 0];
    if (header % 2 === 1) {
      const p = r.uint();
      if (p === 0) [s, failed, unanswered] = [r.uint(), r.uint(), r.uint()];
      else
        [s, failed, unanswered] = [
          Math.floor((p - 1) / 56),
          (p - 1) % 7,
          Math.floor(((p - 1) % 56) / 7),
        ];
    }
    lastSent += unzigzag(r.uint());
    rounds[h] = n;
    skipped[h] = s;
    ok[h] = n - s - failed;
    sent[h] = lastSent;
    answered[h] = lastSent - unanswered;
    p50[h] = d50.read(r);
    p90[h] = d90.read(r);
    if (failed > 0) byCause[h] = readHourCauses(r, failed);
  }
  return out;
}

function causeAt(i: number): Cause {
  const c = CAUSE_NAMES[i];
  if (c === undefined) throw corrupt("an hour names no known cause");
  return c;
}

/**
 * A day's row as SQLite keeps it: what its hours do not say (failures by stage, RTT min and
 * max), its RTT p50 and p90 (from its hours, kept so a report need not work them out), its
 * hours.
 */
export function encodeDay(acc: RollupAcc, hours: DayHours): Buffer {
  const w = new ByteWriter();
  writeCauses(w, acc.byCause);
  writeStages(w, acc.byStage);
  w.measure(acc.rttMin);
  w.measure(acc.rttMax);
  const { p50, p90 } = dayPercentiles(hours);
  w.measure(p50);
  w.measure(p90);
  writeHours(w, hours);
  return w.bytes();
}

/** The hours alone (PostgreSQL keeps the rest in columns). */
export function encodeHours(hours: DayHours): Buffer {
  const w = new ByteWriter();
  writeHours(w, hours);
  return w.bytes();
}

/** A day from its SQLite row. */
export function readDay(
  blob: Uint8Array,
  key: Pick<DayRollup, "vantage" | "target" | "start">,
): DayRollup {
  const r = new ByteReader(blob);
  const byCause = readCauses(r);
  const byStage = readStages(r);
  const [min, max, p50, p90] = [r.measure(), r.measure(), r.measure(), r.measure()];
  const hours = readHours(r);
  const t = dayTotals(hours);
  return {
    start: key.start,
    seconds: 86400,
    vantage: key.vantage,
    target: key.target,
    rounds: t.rounds,
    ok: t.ok,
    skipped: t.skipped,
    byCause,
    byStage,
    sent: t.sent,
    answered: t.answered,
    rttMs: { min, p50, p90, max },
    hours,
  };
}

/**
 * What a write merges into from a day's SQLite row: its accumulator — only what the row keeps
 * (failures by stage, RTT min and max; its counts are its hours') — and its hours.
 */
export function readDayAcc(
  blob: Uint8Array,
  key: Pick<RollupAcc, "vantage" | "target" | "start">,
): { acc: RollupAcc; hours: MutableDayHours } {
  const r = new ByteReader(blob);
  const acc = emptyAcc(key.vantage, key.target, DAY_SECONDS, key.start);
  Object.assign(acc.byCause, readCauses(r));
  Object.assign(acc.byStage, readStages(r));
  acc.rttMin = r.measure();
  acc.rttMax = r.measure();
  r.measure();
  r.measure();
  return { acc, hours: readHours(r) };
}
