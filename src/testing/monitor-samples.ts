/**
 * @module Test and bench support: realistic monitor samples, made deterministically from a
 * seed — mostly healthy telnet-level rounds with three connects, some failures with their
 * stage and evidence, now and then a skipped round.
 */

import type { Sample, Stage } from "../monitor/sample.js";
import type { Cause } from "../trace/events.js";

/** A small deterministic PRNG (mulberry32): same seed, same samples. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FAILURES: readonly { cause: Cause; stage: Stage; evidence: string[] }[] = [
  { cause: "refused", stage: "connect", evidence: ["RST in answer to the SYN"] },
  { cause: "filtered", stage: "connect", evidence: ["no answer to the SYN within 10 s"] },
  {
    cause: "acl-rejected",
    stage: "telnet",
    evidence: ["closed 2 ms after accept, nothing said"],
  },
  {
    cause: "service-unavailable",
    stage: "telnet",
    evidence: ["server said: too many connections", "FIN 4 ms after accept"],
  },
];

export type SampleKind = "healthy" | "failed" | "skipped";

const ms = (v: number) => Math.round(v * 1000) / 1000;

/** One sample of `kind` at epoch ms `t`. */
export function makeSample(
  t: number,
  target: string,
  vantage: string,
  kind: SampleKind,
  rnd: () => number,
): Sample {
  const base = {
    t: new Date(t).toISOString(),
    vantage,
    target,
    host: `192.0.2.${(target.length * 7) % 250}`,
    port: 23,
    level: "telnet" as const,
  };
  if (kind === "skipped")
    return {
      ...base,
      ok: false,
      cause: "unknown",
      stage: null,
      connects: { sent: 0, answered: 0, rttMs: [] },
      timings: { firstByteMs: null, promptMs: null, loginMs: null },
      durationMs: 0,
      evidence: ["the previous round still ran"],
      skipped: true,
    };
  const rtt = () => ms(1 + rnd() * 0.5 + (rnd() < 0.05 ? rnd() * 20 : 0));
  if (kind === "failed") {
    const f = FAILURES[Math.floor(rnd() * FAILURES.length)]!;
    const answered = f.stage === "connect" ? 0 : 3;
    return {
      ...base,
      ok: false,
      cause: f.cause,
      stage: f.stage,
      connects: { sent: 3, answered, rttMs: Array.from({ length: answered }, rtt) },
      timings: { firstByteMs: null, promptMs: null, loginMs: null },
      durationMs: ms(5 + rnd() * 10),
      evidence: f.evidence,
    };
  }
  const rttMs = [rtt(), rtt(), rtt()];
  const firstByteMs = ms(2 + rnd());
  return {
    ...base,
    ok: true,
    cause: "healthy",
    stage: null,
    connects: { sent: 3, answered: 3, rttMs },
    timings: { firstByteMs, promptMs: ms(firstByteMs + 20 + rnd() * 5), loginMs: null },
    durationMs: ms(30 + rnd() * 10),
    evidence: [],
  };
}

/** A kind drawn as a monitor sees them: ~97 % healthy, ~2.5 % failed, ~0.5 % skipped. */
export function drawKind(rnd: () => number): SampleKind {
  const x = rnd();
  return x < 0.005 ? "skipped" : x < 0.03 ? "failed" : "healthy";
}

/**
 * `rounds` rounds of each target (every `intervalMs` from `start`), in time order.
 * @example history({ targets: ["a", "b"], start: Date.UTC(2026, 0, 1), rounds: 60 })
 */
export function history(o: {
  targets: readonly string[];
  vantage?: string;
  start: number;
  rounds: number;
  intervalMs?: number;
  seed?: number;
}): Sample[] {
  const rnd = prng(o.seed ?? 1);
  const out: Sample[] = [];
  for (let i = 0; i < o.rounds; i++) {
    const t = o.start + i * (o.intervalMs ?? 60_000);
    for (const target of o.targets)
      out.push(makeSample(t, target, o.vantage ?? "lan", drawKind(rnd), rnd));
  }
  return out;
}
