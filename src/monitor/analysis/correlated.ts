/**
 * @module Correlated failures: many targets failing in the same minute from one vantage point →
 * the path or this vantage point, not the servers. The failed samples are grouped by vantage
 * and minute as they stream (in time order: a group is closed two minutes after its minute,
 * and only groups of MIN_TARGETS or more are kept). A minute counts when at least MIN_TARGETS
 * targets and MIN_SHARE of the targets probed that minute failed, and that many less one is
 * improbable at the vantage point's own failure rate (binomial tail); consecutive such minutes are one
 * episode, whose p is the product of its minutes'. A target failing alone is its own finding.
 */
import type { Cause } from "../../trace/events.js";
import type { Sample } from "../sample.js";
import type { FailedRound } from "../store/types.js";
import type { Candidate } from "./candidate.js";
import {
  causesText,
  clock,
  count,
  iso,
  isoDate,
  MINUTE_MS,
  namesText,
  pct,
  when,
} from "./format.js";
import { binomialTailLog, formatP } from "./stats.js";
import type { CorrelatedFinding } from "./types.js";

/** At least three targets: two failing together happens by chance on any busy minute. */
export const MIN_TARGETS = 3;
/** ...and at least a fifth of the targets probed that minute from that vantage point. */
export const MIN_SHARE = 0.2;
/** A minute joins an episode only if its own count is rarer than 1 in 100 at the usual rate. */
const MINUTE_LN_P = Math.log(0.01);
/** Minutes this far apart (or closer) belong to one episode. */
const MAX_GAP_MINUTES = 2;
/** Groups stay open this many minutes after theirs, for samples a little out of order. */
const OPEN_MINUTES = 2;
const MAX_MINUTE_LINES = 5;
const MAX_NAMES = 10;

/** The failed targets of one vantage in one minute. */
export interface MinuteGroup {
  readonly vantage: string;
  /** Epoch minute. */
  readonly minute: number;
  /** Target → cause of its (first) failure that minute. */
  readonly targets: Map<string, Cause>;
}

/** Groups failed samples by vantage and minute, keeping only the large groups. */
export class FailureMinutes {
  private readonly open = new Map<string, MinuteGroup>();
  private readonly kept: MinuteGroup[] = [];
  private latest = Number.NEGATIVE_INFINITY;

  /** A failed sample (healthy and skipped rounds are ignored). */
  addSample(s: Sample): void {
    if (s.ok || s.skipped) return;
    this.add({ t: Date.parse(s.t), vantage: s.vantage, target: s.target, cause: s.cause });
  }

  /** A failed round. */
  add(s: FailedRound): void {
    const t = s.t;
    if (!Number.isFinite(t)) return;
    const minute = Math.floor(t / MINUTE_MS);
    const key = `${s.vantage}\u0000${minute}`;
    let g = this.open.get(key);
    if (!g) {
      g = { vantage: s.vantage, minute, targets: new Map() };
      this.open.set(key, g);
    }
    if (!g.targets.has(s.target)) g.targets.set(s.target, s.cause);
    if (minute > this.latest) {
      this.latest = minute;
      this.close(minute - OPEN_MINUTES);
    }
  }

  private close(before: number): void {
    for (const [key, g] of this.open) {
      if (g.minute >= before) continue;
      if (g.targets.size >= MIN_TARGETS) this.kept.push(g);
      this.open.delete(key);
    }
  }

  /** Every group of MIN_TARGETS or more, by vantage then minute. */
  finish(): MinuteGroup[] {
    this.close(Number.POSITIVE_INFINITY);
    return this.kept.sort((a, b) => a.vantage.localeCompare(b.vantage) || a.minute - b.minute);
  }
}

/** What the rollups say of a vantage point: targets probed per minute, its failure rate. */
export interface VantageLoad {
  /** The expected number of distinct targets probed in the minute starting at t (epoch ms). */
  probedAt(vantage: string, t: number): number | undefined;
  rate(vantage: string): number | undefined;
}

/**
 * The fewest failed rounds a minute must hold, over all vantage points, to be tested at all:
 * a minute counts only with MIN_TARGETS failed targets and MIN_SHARE of those probed, and the
 * fewest probed in any bucket bounds that from below. So failed rounds in sparser minutes
 * need not be read.
 * @example failuresWorthReading([16]) // 4: a fifth of 16 targets, rounded up
 */
export function failuresWorthReading(fewestProbed: Iterable<number>): number {
  let need = Number.POSITIVE_INFINITY;
  for (const p of fewestProbed)
    need = Math.min(need, Math.max(MIN_TARGETS, Math.ceil(MIN_SHARE * Math.round(p) - 1e-9)));
  return Number.isFinite(need) ? need : MIN_TARGETS;
}

interface Minute {
  readonly g: MinuteGroup;
  readonly probed: number;
  readonly rate: number;
  readonly lnP: number;
}

function testMinute(g: MinuteGroup, load: VantageLoad): Minute | undefined {
  const x = g.targets.size;
  const expected = load.probedAt(g.vantage, g.minute * MINUTE_MS);
  const rate = load.rate(g.vantage);
  if (expected === undefined || rate === undefined) return undefined;
  const probed = Math.max(x, Math.round(expected));
  if (x < MIN_TARGETS || x < MIN_SHARE * probed) return undefined;
  // One of them may be failing on its own (an outage of its own, going on anyway): test the
  // others, x − 1, so two targets down together and a third by chance do not make a minute.
  const lnP = binomialTailLog(probed, rate, x - 1);
  return lnP < MINUTE_LN_P ? { g, probed, rate, lnP } : undefined;
}

function minuteLine(m: Minute): string {
  const causes: Partial<Record<Cause, number>> = {};
  for (const c of m.g.targets.values()) causes[c] = (causes[c] ?? 0) + 1;
  const t = m.g.minute * MINUTE_MS;
  return `${clock(t)} UTC: ${m.g.targets.size} of ~${count(m.probed)} targets probed failed (${causesText(causes)}); ${(m.probed * m.rate).toFixed(2)} expected at the vantage point's failure rate of ${pct(m.rate)} (${formatP(m.lnP)})`;
}

function word(episode: readonly Minute[]): Candidate {
  const first = episode[0].g;
  const last = episode[episode.length - 1].g;
  const names = [...new Set(episode.flatMap((m) => [...m.g.targets.keys()]))].sort();
  const t0 = first.minute * MINUTE_MS;
  const span = last.minute - first.minute + 1;
  const during = span > 1 ? ` to ${clock((last.minute + 1) * MINUTE_MS)} (${span} minutes)` : "";
  const lnP = episode.reduce((s, m) => s + m.lnP, 0);
  const finding: CorrelatedFinding = {
    kind: "correlated",
    target: null,
    vantage: first.vantage,
    summary: `${names.length} targets failed together from ${first.vantage} at ${when(t0)}${during}: the path or this vantage point, not the servers.`,
    confidence: 0,
    evidence: [
      `${first.vantage}, ${isoDate(t0)}, minute by minute (UTC):`,
      ...episode.slice(0, MAX_MINUTE_LINES).map(minuteLine),
      ...(episode.length > MAX_MINUTE_LINES
        ? [`and ${episode.length - MAX_MINUTE_LINES} more minutes`]
        : []),
      `targets: ${namesText(names, MAX_NAMES)}`,
    ],
    at: iso(t0),
    targets: names,
  };
  return { finding, lnP };
}

/**
 * The correlated episodes in the minute groups (sorted by vantage, minute).
 * @example correlated(minutes.finish(), load)[0]?.finding.summary // "12 targets failed together from office-lan at ..."
 */
export function correlated(groups: readonly MinuteGroup[], load: VantageLoad): Candidate[] {
  const out: Candidate[] = [];
  let episode: Minute[] = [];
  for (const g of groups) {
    const m = testMinute(g, load);
    if (!m) continue;
    const prev = episode[episode.length - 1];
    if (prev && (prev.g.vantage !== g.vantage || g.minute - prev.g.minute > MAX_GAP_MINUTES)) {
      out.push(word(episode));
      episode = [];
    }
    episode.push(m);
  }
  if (episode.length) out.push(word(episode));
  return out;
}
