/**
 * @module Synthetic monitor histories for tests and the bench: weeks of rounds for N targets in
 * seconds of CPU, from a seeded PRNG. Each target is probed every `intervalSeconds` from each
 * vantage point; a round fails at the base rate (failing rounds drawn by geometric skips, so
 * the cost is the failures, not the rounds) unless an injection covers it: a recurring window,
 * an outage of several targets at once, a vantage-specific failure rate, hours of the week with
 * a higher rate, an RTT step, a loss step, a change of cause. Out come the store's rollups (in
 * its order), the failed samples and the targets' configs.
 */
import type { Cause } from "../../trace/events.js";
import type { Sample, Stage } from "../sample.js";
import type { Rollup, RollupSeconds, TargetInfo } from "../store/types.js";
import { DAY_MS, HOUR_MS, hourOfWeek, weekdayOf } from "./format.js";

/** A Weyl sequence through murmur3's 32-bit finalizer: fast, seedable, good enough for tests. */
export function prng(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x9e3779b9) | 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return (z >>> 0) / 4294967296;
  };
}

/** FNV-1a, to give each series its own stream from the seed. */
function hash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A standard normal draw (Box-Muller). */
function normal(rand: () => number): number {
  const u = 1 - rand();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Every round in the window fails (or at `rate`): weekly on `weekday`, or daily when null. */
export interface InjectedWindow {
  readonly targets: readonly string[];
  readonly weekday: number | null;
  readonly startUtc: string;
  readonly minutes: number;
  /** Which occurrences (0 = the first in the period); all when absent. */
  readonly occurrences?: readonly number[];
  readonly rate?: number;
  readonly cause?: Cause;
}

export interface InjectedOutage {
  /** Epoch ms. */
  readonly at: number;
  readonly minutes: number;
  readonly targets: readonly string[];
  /** Only from this vantage point (all when absent). */
  readonly vantage?: string;
  readonly cause?: Cause;
}

export interface SyntheticOptions {
  readonly seed: number;
  /** Epoch ms of the first round; default 2026-11-01T00:00Z (a Sunday). */
  readonly since?: number;
  readonly days: number;
  readonly seconds?: RollupSeconds;
  readonly intervalSeconds?: number;
  readonly connects?: number;
  /** How many targets (named t0001, t0002, ...), or their names. */
  readonly targets: number | readonly string[];
  readonly vantages?: readonly string[];
  readonly tags?: (target: string, i: number) => readonly string[];
  /** The base per-round failure rate (default 0.002), and per target. */
  readonly failureRate?: number;
  readonly rates?: Readonly<Record<string, number>>;
  /** Causes of base failures, drawn evenly (default filtered, refused, peer-reset). */
  readonly causes?: readonly Cause[];
  /** Connect RTT per connect: lognormal with this median and log-sd. */
  readonly rtt?: { readonly medianMs: number; readonly sigma: number };
  readonly windows?: readonly InjectedWindow[];
  readonly outages?: readonly InjectedOutage[];
  readonly vantageFailures?: readonly {
    readonly target: string;
    readonly vantage: string;
    readonly rate: number;
    readonly cause?: Cause;
  }[];
  /** A higher failure rate in some hours of the week (0 = Sunday 00:00). */
  readonly hourly?: readonly {
    readonly targets: readonly string[];
    readonly hours: readonly number[];
    readonly rate: number;
  }[];
  readonly rttSteps?: readonly {
    readonly target: string;
    readonly at: number;
    readonly factor: number;
  }[];
  readonly lossSteps?: readonly {
    readonly target: string;
    readonly at: number;
    readonly loss: number;
  }[];
  /** From `at` on, the target's base failures have this cause. */
  readonly causeShifts?: readonly {
    readonly target: string;
    readonly at: number;
    readonly cause: Cause;
  }[];
  /** Share of rounds skipped by the scheduler (default 0). */
  readonly skipRate?: number;
  /** Emit the failed samples (default true). */
  readonly samples?: boolean;
}

export const SYNTHETIC_SINCE = Date.parse("2026-11-01T00:00:00Z");

/** The target names of the options. */
export function targetNames(o: Pick<SyntheticOptions, "targets">): string[] {
  if (typeof o.targets !== "number") return [...o.targets];
  const width = Math.max(4, String(o.targets).length);
  return Array.from({ length: o.targets }, (_, i) => `t${String(i + 1).padStart(width, "0")}`);
}

const STAGE: Partial<Record<Cause, Stage>> = {
  "dns-failure": "resolve",
  filtered: "connect",
  refused: "connect",
  unreachable: "connect",
  "local-firewall": "connect",
  "acl-rejected": "telnet",
  "service-unavailable": "telnet",
  "wrong-service": "telnet",
  "auth-failed": "login",
  "login-timeout": "login",
};
/** Causes where no connect was answered. */
const UNANSWERED = new Set<Cause>(["filtered", "unreachable", "dns-failure", "local-firewall"]);

/** A span of rounds [from, to) failing at `rate` with `cause` (undefined: the base causes). */
interface Span {
  readonly from: number;
  readonly to: number;
  readonly rate: number;
  readonly cause?: Cause;
}

/** The resolved options of one run. */
interface Ctx {
  readonly o: SyntheticOptions;
  readonly since: number;
  readonly until: number;
  readonly slotMs: number;
  readonly intervalMs: number;
  readonly connects: number;
  readonly causes: readonly Cause[];
}

function ctxOf(o: SyntheticOptions): Ctx {
  const since = o.since ?? SYNTHETIC_SINCE;
  return {
    o,
    since,
    until: since + o.days * DAY_MS,
    slotMs: (o.seconds ?? 3600) * 1000,
    intervalMs: (o.intervalSeconds ?? 60) * 1000,
    connects: o.connects ?? 3,
    causes: o.causes ?? ["filtered", "refused", "peer-reset"],
  };
}

/** One series' round grid: round i starts at since + phase + i × interval. */
interface Grid {
  readonly phase: number;
  readonly rounds: number;
}

function roundAt(c: Ctx, g: Grid, t: number): number {
  return Math.max(0, Math.min(g.rounds, Math.ceil((t - c.since - g.phase) / c.intervalMs)));
}

function windowSpans(c: Ctx, g: Grid, target: string, out: Span[]): void {
  for (const w of c.o.windows ?? []) {
    if (!w.targets.includes(target)) continue;
    const [hh, mm] = w.startUtc.split(":").map(Number);
    let n = 0;
    for (let day = Math.floor(c.since / DAY_MS) * DAY_MS; day < c.until; day += DAY_MS) {
      if (w.weekday !== null && weekdayOf(day) !== w.weekday) continue;
      const t0 = day + (hh * 60 + mm) * 60_000;
      if (t0 + w.minutes * 60_000 <= c.since || t0 >= c.until) continue;
      const k = n++;
      if (w.occurrences && !w.occurrences.includes(k)) continue;
      const from = roundAt(c, g, t0);
      const to = roundAt(c, g, t0 + w.minutes * 60_000);
      out.push({ from, to, rate: w.rate ?? 1, cause: w.cause ?? "refused" });
    }
  }
}

function otherSpans(c: Ctx, g: Grid, vantage: string, target: string, out: Span[]): void {
  for (const x of c.o.outages ?? []) {
    if (!x.targets.includes(target) || (x.vantage && x.vantage !== vantage)) continue;
    const to = roundAt(c, g, x.at + x.minutes * 60_000);
    out.push({ from: roundAt(c, g, x.at), to, rate: 1, cause: x.cause ?? "filtered" });
  }
  for (const x of c.o.vantageFailures ?? [])
    if (x.target === target && x.vantage === vantage)
      out.push({ from: 0, to: g.rounds, rate: x.rate, cause: x.cause ?? "filtered" });
  for (const x of c.o.hourly ?? []) {
    if (!x.targets.includes(target)) continue;
    for (let h = Math.floor(c.since / HOUR_MS) * HOUR_MS; h < c.until; h += HOUR_MS)
      if (x.hours.includes(hourOfWeek(h)))
        out.push({ from: roundAt(c, g, h), to: roundAt(c, g, h + HOUR_MS), rate: x.rate });
  }
}

/** Calls fail(i, cause) for each failing round, span by span (the highest rate wins). */
function failures(
  g: Grid,
  spans: Span[],
  base: number,
  rand: () => number,
  fail: (i: number, cause?: Cause) => void,
) {
  const cuts = [...new Set([0, g.rounds, ...spans.flatMap((s) => [s.from, s.to])])].sort(
    (a, b) => a - b,
  );
  for (let k = 0; k + 1 < cuts.length; k++) {
    const [a, b] = [cuts[k], cuts[k + 1]];
    let rate = base;
    let cause: Cause | undefined;
    for (const s of spans)
      if (s.from <= a && s.to >= b && s.rate > rate) [rate, cause] = [s.rate, s.cause];
    if (rate <= 0) continue;
    if (rate >= 1) {
      for (let i = a; i < b; i++) fail(i, cause);
      continue;
    }
    const lnQ = Math.log1p(-rate);
    for (let i = a - 1; ; ) {
      i += 1 + Math.floor(Math.log(1 - rand()) / lnQ);
      if (i >= b) break;
      fail(i, cause);
    }
  }
}

/** Per-bucket counts of one series. */
interface Buckets {
  readonly first: number;
  readonly rounds: Int32Array;
  readonly skipped: Int32Array;
  readonly failed: Int32Array;
  readonly unanswered: Int32Array;
  readonly causes: Map<number, Partial<Record<Cause, number>>>;
}

function bucketsOf(c: Ctx, g: Grid): Buckets {
  const first = Math.floor(c.since / c.slotMs);
  const n = Math.ceil(c.until / c.slotMs) - first;
  const rounds = new Int32Array(n);
  for (let k = 0; k < n; k++)
    rounds[k] = roundAt(c, g, (first + k + 1) * c.slotMs) - roundAt(c, g, (first + k) * c.slotMs);
  const z = () => new Int32Array(n);
  return { first, rounds, skipped: z(), failed: z(), unanswered: z(), causes: new Map() };
}

/** A bucket's connect RTT percentiles: order statistics of n lognormal draws, approximated. */
function rttOf(c: Ctx, n: number, medianMs: number, rand: () => number): Rollup["rttMs"] {
  if (n <= 0) return { min: null, p50: null, p90: null, max: null };
  const sigma = c.o.rtt?.sigma ?? 0.1;
  const at = (z: number, sd: number) => medianMs * Math.exp(sigma * (z + sd * normal(rand)));
  const p50 = at(0, 1.2533 / Math.sqrt(n));
  const p90 = Math.max(p50, at(1.2816, 1.709 / Math.sqrt(n)));
  const tail = Math.sqrt(2 * Math.log(n + 1));
  return { min: Math.min(p50, at(-tail, 0.3)), p50, p90, max: Math.max(p90, at(tail, 0.3)) };
}

function stepAt<T extends { target: string; at: number }>(
  list: readonly T[] | undefined,
  target: string,
  t: number,
): T | undefined {
  return list?.find((s) => s.target === target && t >= s.at);
}

/** One series' rollups and failed samples. */
function series(
  c: Ctx,
  vantage: string,
  target: string,
  out: SyntheticHistory,
  rand: () => number,
) {
  const phase = Math.floor((rand() * c.intervalMs) / 1000) * 1000;
  const rounds = Math.max(0, Math.ceil((c.until - c.since - phase) / c.intervalMs));
  const grid: Grid = { phase, rounds };
  const spans: Span[] = [];
  windowSpans(c, grid, target, spans);
  otherSpans(c, grid, vantage, target, spans);
  const b = bucketsOf(c, grid);
  const skipped = new Set<number>();
  if (c.o.skipRate) failures(grid, [], c.o.skipRate, rand, (i) => skipped.add(i));
  const base = c.o.rates?.[target] ?? c.o.failureRate ?? 0.002;
  failures(grid, spans, base, rand, (i, given) => {
    if (skipped.has(i)) return;
    const t = c.since + grid.phase + i * c.intervalMs;
    const cause =
      given ??
      stepAt(c.o.causeShifts, target, t)?.cause ??
      c.causes[Math.floor(rand() * c.causes.length)];
    const k = Math.floor(t / c.slotMs) - b.first;
    b.failed[k]++;
    if (UNANSWERED.has(cause)) b.unanswered[k]++;
    const m = b.causes.get(k) ?? {};
    m[cause] = (m[cause] ?? 0) + 1;
    b.causes.set(k, m);
    if (c.o.samples !== false) out.failures.push(sampleOf(c, vantage, target, t, cause));
  });
  for (const i of skipped)
    b.skipped[Math.floor((c.since + grid.phase + i * c.intervalMs) / c.slotMs) - b.first]++;
  rollupsOf(c, vantage, target, b, rand, out.rollups);
}

function rollupsOf(
  c: Ctx,
  vantage: string,
  target: string,
  b: Buckets,
  rand: () => number,
  out: Rollup[],
) {
  const medianMs = c.o.rtt?.medianMs ?? 2;
  for (let k = 0; k < b.rounds.length; k++) {
    if (b.rounds[k] === 0) continue;
    const start = (b.first + k) * c.slotMs;
    const ran = b.rounds[k] - b.skipped[k];
    const sent = ran * c.connects;
    let answered = (ran - b.unanswered[k]) * c.connects;
    const loss = stepAt(c.o.lossSteps, target, start)?.loss ?? 0;
    if (loss > 0) for (let i = answered; i > 0; i--) if (rand() < loss) answered--;
    const factor = stepAt(c.o.rttSteps, target, start)?.factor ?? 1;
    const byCause = b.causes.get(k) ?? {};
    const byStage: Partial<Record<Stage, number>> = {};
    for (const [cause, n] of Object.entries(byCause)) {
      const stage = STAGE[cause as Cause] ?? "session";
      byStage[stage] = (byStage[stage] ?? 0) + (n ?? 0);
    }
    out.push({
      start,
      seconds: (c.slotMs / 1000) as RollupSeconds,
      vantage,
      target,
      rounds: b.rounds[k],
      ok: ran - b.failed[k],
      skipped: b.skipped[k],
      byCause,
      byStage,
      sent,
      answered,
      rttMs: rttOf(c, answered, medianMs * factor, rand),
    });
  }
}

function sampleOf(c: Ctx, vantage: string, target: string, t: number, cause: Cause): Sample {
  const unanswered = UNANSWERED.has(cause);
  return {
    t: new Date(t).toISOString(),
    vantage,
    target,
    host: `${target}.example`,
    port: 23,
    level: "telnet",
    ok: false,
    cause,
    stage: STAGE[cause] ?? "session",
    connects: { sent: c.connects, answered: unanswered ? 0 : c.connects, rttMs: [] },
    timings: { firstByteMs: null, promptMs: null, loginMs: null },
    durationMs: unanswered ? 10_000 : 5,
    evidence: ["synthetic"],
  };
}

export interface SyntheticHistory {
  readonly since: number;
  readonly until: number;
  /** In the store's order: vantage, target, start. */
  readonly rollups: Rollup[];
  /** In time order. */
  readonly failures: Sample[];
  readonly targets: TargetInfo[];
}

/**
 * A synthetic history.
 * @example synthetic({ seed: 1, days: 28, targets: 10 }).rollups.length // 10 × 28 × 24
 */
export function synthetic(o: SyntheticOptions): SyntheticHistory {
  const c = ctxOf(o);
  const names = targetNames(o).sort();
  const vantages = [...(o.vantages ?? ["office-lan"])].sort();
  const out: SyntheticHistory = {
    since: c.since,
    until: c.until,
    rollups: [],
    failures: [],
    targets: [],
  };
  for (const vantage of vantages)
    names.forEach((target, i) => {
      series(c, vantage, target, out, prng(hash(`${vantage}\u0000${target}`, o.seed)));
      out.targets.push({
        name: target,
        vantage,
        host: `${target}.example`,
        port: 23,
        level: "telnet",
        tags: o.tags?.(target, i) ?? [],
      });
    });
  out.failures.sort((a, b) => (a.t < b.t ? -1 : a.t > b.t ? 1 : 0));
  return out;
}
