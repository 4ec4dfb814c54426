/**
 * @module A sample with its keys in the contract's order (`t, vantage, target, host, port,
 * level, ok, cause, stage, connects{sent, answered, rttMs}, timings{firstByteMs, promptMs,
 * loginMs}, durationMs, evidence`, then `skipped` only when true), so JSON.stringify writes the
 * contract's line. Both stores build what they read with it; export writes through it.
 */
import type { Sample } from "../sample.js";

/** The same sample, keys in contract order, nothing else. */
export function orderedSample(s: Sample): Sample {
  const out: Sample = {
    t: s.t,
    vantage: s.vantage,
    target: s.target,
    host: s.host,
    port: s.port,
    level: s.level,
    ok: s.ok,
    cause: s.cause,
    stage: s.stage,
    connects: {
      sent: s.connects.sent,
      answered: s.connects.answered,
      rttMs: [...s.connects.rttMs],
    },
    timings: {
      firstByteMs: s.timings.firstByteMs,
      promptMs: s.timings.promptMs,
      loginMs: s.timings.loginMs,
    },
    durationMs: s.durationMs,
    evidence: [...s.evidence],
  };
  return s.skipped ? { ...out, skipped: true } : out;
}
