/**
 * @module Idle-related drops (pure): what the held sessions (`hold:` on a target) say. Each
 * held session that died is a failed sample at stage `session` whose duration is how long it
 * lived idle. Several dying after about the same idle time while the fresh rounds of the same
 * target work is an idle timeout — the server's idle policy (idle-timeout) or a NAT/firewall
 * on the path that forgets idle connections (middlebox-timeout) — and the cause tells which.
 * The contract's finding kinds do not include this one, so it is reported beside them, in each
 * target's `held` summary.
 */
import type { Cause } from "../../trace/events.js";
import { formatMs } from "../../util/duration.js";
import type { Sample } from "../sample.js";

/** The series held sessions are stored under: `NAME/held` (monitor/held.ts). */
const HELD_SERIES = "/held";

/** Fewer held deaths than this say nothing about a pattern. */
const MIN_DEATHS = 2;
/** Lifetimes within this share of their median count as "about the same time". */
const SPREAD = 0.25;

export interface HeldSummary {
  readonly target: string;
  readonly vantage: string;
  /** Held sessions that died in the period. */
  readonly died: number;
  /** How long they lived idle, ms. */
  readonly lifetimeMs: { readonly min: number; readonly p50: number; readonly max: number };
  readonly byCause: Readonly<Partial<Record<Cause, number>>>;
  /** True when most died after about the same idle time (a timeout, not chance). */
  readonly regular: boolean;
  readonly summary: string;
  readonly evidence: readonly string[];
}

/** Collects the held deaths among failed samples (any order). */
export class HeldCollector {
  private readonly byKey = new Map<string, Sample[]>();

  add(s: Sample): void {
    if (s.ok || s.stage !== "session" || !s.target.endsWith(HELD_SERIES)) return;
    const key = `${s.vantage}\u0000${s.target}`;
    const list = this.byKey.get(key) ?? [];
    list.push(s);
    this.byKey.set(key, list);
  }

  /** One summary per target and vantage with held deaths; `freshAvailability` by the same key. */
  finish(freshAvailability: (target: string, vantage: string) => number | null): HeldSummary[] {
    return [...this.byKey.values()].map((deaths) => {
      const { vantage } = deaths[0]!;
      const target = deaths[0]!.target.slice(0, -HELD_SERIES.length);
      return summarize(target, vantage, deaths, freshAvailability(target, vantage));
    });
  }
}

function median(sorted: readonly number[]): number {
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

const MEANING: Partial<Record<Cause, string>> = {
  "idle-timeout": "the server's idle policy ends sessions without input (TMOUT, exec-timeout)",
  "middlebox-timeout":
    "a NAT or firewall on the path forgets idle connections (keepalive shorter than that keeps them)",
  "network-failure": "idle sessions die silently: a NAT or firewall on the path, most likely",
  "login-timeout": "the session was held at the login prompt: that is the login timeout",
};

function summarize(
  target: string,
  vantage: string,
  deaths: readonly Sample[],
  fresh: number | null,
): HeldSummary {
  const lives = deaths.map((d) => d.durationMs).sort((a, b) => a - b);
  const p50 = median(lives);
  const near = lives.filter((l) => Math.abs(l - p50) <= SPREAD * p50).length;
  const regular = deaths.length >= MIN_DEATHS && near / deaths.length >= 0.75;
  const byCause: Partial<Record<Cause, number>> = {};
  for (const d of deaths) byCause[d.cause] = (byCause[d.cause] ?? 0) + 1;
  const [top] = Object.entries(byCause).sort((a, b) => b[1] - a[1]) as [Cause, number][];
  const cause = top![0];
  const freshWords =
    fresh === null ? "" : `; fresh rounds meanwhile: ${Math.round(fresh * 1000) / 10} % healthy`;
  const when = regular
    ? `after about ${formatMs(p50)} idle (${formatMs(lives[0]!)}-${formatMs(lives.at(-1)!)})`
    : `after ${formatMs(lives[0]!)} to ${formatMs(lives.at(-1)!)} idle`;
  const meaning = regular && (fresh === null || fresh >= 0.9) ? MEANING[cause] : undefined;
  return {
    target,
    vantage,
    died: deaths.length,
    lifetimeMs: { min: lives[0]!, p50, max: lives.at(-1)! },
    byCause,
    regular,
    summary: `${deaths.length} held session(s) died ${when}, mostly ${cause}${freshWords}${meaning ? `: ${meaning}` : ""}.`,
    evidence: deaths
      .slice(-3)
      .map((d) => `${d.t.replace("T", " ").slice(0, 19)} UTC: ${d.evidence[0] ?? d.cause}`),
  };
}
