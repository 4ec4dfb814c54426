/**
 * @module Compact binary forms of what the stores keep, so a healthy sample costs a few dozen
 * bytes: unsigned varints (LEB128); a measure in ms as a varint of whole microseconds when it
 * is one (what probes write: 3 decimals), else the exact float64, so every value reads back
 * identical; a sample's status (cause, stage, skipped) in one small integer, 0 for a healthy
 * round; a sample's connects and timings in one blob; a rollup accumulator in one blob.
 */
import { TeldocError } from "../../errors.js";
import type { Cause } from "../../trace/events.js";
import { CAUSE_NAMES, type Connects, STAGES, type Stage, type Timings } from "../sample.js";
import { orderedCounts, type RollupAcc } from "./rollup.js";
import { clampRound, nearestRank, type RttSketch, sketchValue } from "./rtt-sketch.js";
import type { Rollup } from "./types.js";

/** Appends varints and measures to a growing byte array. */
export class ByteWriter {
  private buf = new Uint8Array(64);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** An unsigned integer up to 2^53. */
  uint(v: number): void {
    this.room(8);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.len++] = v;
  }

  /** A measure in ms, or null: tag 0 null, 1 float64 follows, n ≥ 2 is n - 2 microseconds. */
  measure(v: number | null): void {
    if (v === null) {
      this.uint(0);
      return;
    }
    const us = Math.round(v * 1000);
    if (us >= 0 && Number.isSafeInteger(us + 2) && us / 1000 === v) {
      this.uint(us + 2);
      return;
    }
    this.uint(1);
    this.room(8);
    new DataView(this.buf.buffer).setFloat64(this.len, v, true);
    this.len += 8;
  }

  bytes(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.len));
  }
}

/** Reads what ByteWriter wrote; a truncated or malformed blob is TELDOC_ERR_STORE. */
export class ByteReader {
  private pos = 0;
  /** Made when a float64 is read (rare: most measures are whole microseconds). */
  private view: DataView | undefined;

  constructor(private readonly buf: Uint8Array) {}

  uint(): number {
    // Most varints here are one or two bytes (counts, bin deltas, connects, ms in µs).
    const buf = this.buf;
    const pos = this.pos;
    const b0 = buf[pos];
    if (b0 !== undefined && b0 < 0x80) {
      this.pos = pos + 1;
      return b0;
    }
    const b1 = buf[pos + 1];
    if (b0 !== undefined && b1 !== undefined && b1 < 0x80) {
      this.pos = pos + 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    let v = 0;
    let scale = 1;
    for (;;) {
      if (this.pos >= this.buf.length) throw corrupt("a varint runs past the end");
      const b = this.buf[this.pos++]!;
      v += (b & 0x7f) * scale;
      if (b < 0x80) return v;
      scale *= 0x80;
    }
  }

  measure(): number | null {
    const tag = this.uint();
    if (tag === 0) return null;
    if (tag >= 2) return (tag - 2) / 1000;
    return this.float64();
  }

  /** The float64 after a measure's tag 1. */
  float64(): number {
    if (this.pos + 8 > this.buf.length) throw corrupt("a float64 runs past the end");
    this.view ??= new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  get done(): boolean {
    return this.pos >= this.buf.length;
  }
}

/** The error for a stored blob whose content makes no sense. */
export function corrupt(why: string): TeldocError {
  return new TeldocError("TELDOC_ERR_STORE", `a stored record is damaged: ${why}`);
}

const CAUSE_INDEX = new Map<string, number>(CAUSE_NAMES.map((c, i) => [c, i]));
const STAGE_INDEX = new Map<string, number>(STAGES.map((s, i) => [s, i + 1]));

/** What a status integer says. */
export interface Status {
  readonly ok: boolean;
  readonly cause: Cause;
  readonly stage: Stage | null;
  readonly skipped: boolean;
}

/**
 * One integer for ok, cause, stage and skipped: bits 0-4 the cause, 5-7 the stage (0 null),
 * bit 8 skipped, bit 9 set when ok disagrees with "cause is healthy". A healthy round is 0.
 */
export function packStatus(s: Status): number {
  const cause = CAUSE_INDEX.get(s.cause) ?? CAUSE_INDEX.get("unknown")!;
  const stage = s.stage === null ? 0 : (STAGE_INDEX.get(s.stage) ?? 0);
  const odd = s.ok !== (s.cause === "healthy") ? 1 : 0;
  return cause | (stage << 5) | ((s.skipped ? 1 : 0) << 8) | (odd << 9);
}

export function unpackStatus(v: number): Status {
  const cause = CAUSE_NAMES[v & 0x1f];
  if (cause === undefined) throw corrupt(`status ${v} has no cause`);
  const stageIndex = (v >> 5) & 0x7;
  const stage = stageIndex === 0 ? null : (STAGES[stageIndex - 1] ?? null);
  const odd = ((v >> 9) & 1) === 1;
  return { ok: (cause === "healthy") !== odd, cause, stage, skipped: ((v >> 8) & 1) === 1 };
}

/** A sample's connects, timings and duration as one blob. */
export function encodeMeasures(c: Connects, t: Timings, durationMs: number): Buffer {
  const w = new ByteWriter();
  w.uint(c.sent);
  w.uint(c.answered);
  w.uint(c.rttMs.length);
  for (const r of c.rttMs) w.measure(r);
  w.measure(t.firstByteMs);
  w.measure(t.promptMs);
  w.measure(t.loginMs);
  w.measure(durationMs);
  return w.bytes();
}

export function decodeMeasures(blob: Uint8Array): {
  connects: Connects;
  timings: Timings;
  durationMs: number;
} {
  const r = new ByteReader(blob);
  const sent = r.uint();
  const answered = r.uint();
  const n = r.uint();
  const rttMs: number[] = [];
  for (let i = 0; i < n; i++) rttMs.push(r.measure() ?? 0);
  const timings = { firstByteMs: r.measure(), promptMs: r.measure(), loginMs: r.measure() };
  return { connects: { sent, answered, rttMs }, timings, durationMs: r.measure() ?? 0 };
}

/** A sketch: the number of bins, then (key delta, count) pairs in key order. */
export function writeSketch(w: ByteWriter, sketch: RttSketch): void {
  const keys = [...sketch.keys()].sort((a, b) => a - b);
  w.uint(keys.length);
  let prev = 0;
  for (const k of keys) {
    w.uint(k - prev);
    w.uint(sketch.get(k)!);
    prev = k;
  }
}

export function readSketch(r: ByteReader): RttSketch {
  const sketch: RttSketch = new Map();
  const n = r.uint();
  let key = 0;
  for (let i = 0; i < n; i++) {
    key += r.uint();
    sketch.set(key, r.uint());
  }
  return sketch;
}

/** Counts by name as (index, count) pairs, in index order. */
function writeCounts(
  w: ByteWriter,
  counts: Partial<Record<string, number>>,
  index: Map<string, number>,
) {
  const entries = Object.entries(counts)
    .filter(([, n]) => n)
    .map(([k, n]) => [index.get(k) ?? 0, n!] as const)
    .sort((a, b) => a[0] - b[0]);
  w.uint(entries.length);
  for (const [i, n] of entries) {
    w.uint(i);
    w.uint(n);
  }
}

/** Counts with their keys in the order of `names` (stable JSON), however they were written. */
function readCounts<K extends string>(
  r: ByteReader,
  names: readonly K[],
  base: number,
): Partial<Record<K, number>> {
  const out: Partial<Record<K, number>> = {};
  const n = r.uint();
  let last = -1;
  let ordered = true;
  for (let i = 0; i < n; i++) {
    const at = r.uint() - base;
    const name = names[at];
    const count = r.uint();
    if (name === undefined) throw corrupt("a count names no known cause or stage");
    if (at <= last) ordered = false;
    last = at;
    if (count) out[name] = count;
  }
  return ordered ? out : orderedCounts(out, names);
}

/** Failed rounds by cause, as (cause index, count) pairs. */
export function writeCauses(w: ByteWriter, counts: Partial<Record<Cause, number>>): void {
  writeCounts(w, counts, CAUSE_INDEX);
}

export function readCauses(r: ByteReader): Partial<Record<Cause, number>> {
  return readCounts(r, CAUSE_NAMES, 0);
}

/** Failed rounds by stage. */
export function writeStages(w: ByteWriter, counts: Partial<Record<Stage, number>>): void {
  writeCounts(w, counts, STAGE_INDEX);
}

export function readStages(r: ByteReader): Partial<Record<Stage, number>> {
  return readCounts(r, STAGES, 1);
}

/** A rollup accumulator's counts, RTT min/max and sketch (its key is stored beside it). */
export function encodeAcc(acc: RollupAcc): Buffer {
  const w = new ByteWriter();
  writeAcc(w, acc);
  return w.bytes();
}

/** `encodeAcc` into a writer: its head, then its sketch. */
export function writeAcc(w: ByteWriter, acc: RollupAcc): void {
  writeAccHead(w, acc);
  writeSketch(w, acc.sketch);
}

/** An accumulator's counts and RTT min/max: how every rollup blob starts. */
export function writeAccHead(w: ByteWriter, acc: RollupAcc): void {
  for (const n of [acc.rounds, acc.ok, acc.skipped, acc.sent, acc.answered]) w.uint(n);
  writeCounts(w, acc.byCause, CAUSE_INDEX);
  writeCounts(w, acc.byStage, STAGE_INDEX);
  w.measure(acc.rttMin);
  w.measure(acc.rttMax);
}

/** What `writeAccHead` wrote. */
export type AccHead = Omit<RollupAcc, "start" | "seconds" | "vantage" | "target" | "sketch">;

export function readAccHead(r: ByteReader): AccHead {
  const rounds = r.uint();
  const ok = r.uint();
  const skipped = r.uint();
  const sent = r.uint();
  const answered = r.uint();
  const byCause = readCounts(r, CAUSE_NAMES, 0);
  const byStage = readCounts(r, STAGES, 1);
  const rttMin = r.measure();
  const rttMax = r.measure();
  return { rounds, ok, skipped, byCause, byStage, sent, answered, rttMin, rttMax };
}

type AccKey = Pick<RollupAcc, "vantage" | "target" | "seconds" | "start">;

export function decodeAcc(blob: Uint8Array, key: AccKey): RollupAcc {
  return readAcc(new ByteReader(blob), key);
}

/** `decodeAcc` from a reader, which is left after the accumulator. */
export function readAcc(r: ByteReader, key: AccKey): RollupAcc {
  const head = readAccHead(r);
  return { ...key, ...head, sketch: readSketch(r) };
}

/** Scratch space for the bins of one sketch (readRollup reuses it; a rollup has few bins). */
let binKeys = new Float64Array(256);
let binCounts = new Float64Array(256);

/**
 * The finished Rollup straight from a blob, the fast path of `rollups()`: the same result as
 * toRollup(decodeAcc(...)) without building the accumulator and its Map.
 */
export function readRollup(
  blob: Uint8Array,
  key: Pick<Rollup, "vantage" | "target" | "seconds" | "start">,
): Rollup {
  return rollupFrom(new ByteReader(blob), key);
}

/** `readRollup` from a reader. */
function rollupFrom(
  r: ByteReader,
  key: Pick<Rollup, "vantage" | "target" | "seconds" | "start">,
): Rollup {
  const head = readAccHead(r);
  const { rttMin: min, rttMax: max } = head;
  const bins = r.uint();
  if (bins > binKeys.length) {
    binKeys = new Float64Array(bins);
    binCounts = new Float64Array(bins);
  }
  let k = 0;
  let n = 0;
  for (let i = 0; i < bins; i++) {
    k += r.uint();
    binKeys[i] = k;
    binCounts[i] = r.uint();
    n += binCounts[i]!;
  }
  const pct = (p: number): number | null => {
    if (min === null || max === null || n === 0) return null;
    const rank = nearestRank(p, n);
    let seen = 0;
    for (let i = 0; i < bins; i++) {
      seen += binCounts[i]!;
      if (seen >= rank) return clampRound(sketchValue(binKeys[i]!), min, max);
    }
    return max;
  };
  return {
    start: key.start,
    seconds: key.seconds,
    vantage: key.vantage,
    target: key.target,
    rounds: head.rounds,
    ok: head.ok,
    skipped: head.skipped,
    byCause: head.byCause,
    byStage: head.byStage,
    sent: head.sent,
    answered: head.answered,
    rttMs: { min, p50: pct(0.5), p90: pct(0.9), max },
  };
}
