/**
 * @module One probe round of one target: N TCP connects (loss and RTT, SmokePing style), then,
 * by level, the diagnose checklist's own `telnet` and `login` checks on a session of their own
 * (one engine: checks/telnet.ts and checks/login.ts), and the verdict over those checks
 * (diagnosis/verdict.ts) names the cause of a failed round. The result is a sample (the
 * contract's record) and, for a failed round, a short trace with the password masked.
 */

import { logIn } from "../checks/login.js";
import { tcpResult } from "../checks/tcp.js";
import { type OpenSession, probeTelnet } from "../checks/telnet.js";
import type { CheckResult } from "../checks/types.js";
import { verdictOf } from "../diagnosis/index.js";
import type { Clock } from "../session/clock.js";
import { connectOnce, dial } from "../session/dial.js";
import { Recorder } from "../session/recorder.js";
import type { Diagnosis, Target, TraceEvent } from "../trace/events.js";
import { encodeEvent } from "../trace/jsonl.js";
import { formatMs } from "../util/duration.js";
import type { Connects, Level, Sample, Stage, Timings } from "./sample.js";

/** What to probe and how deep. */
export interface ProbeSpec {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly level: Level;
  readonly user?: string;
  /** The password's value (never stored: it is masked in the kept trace). */
  readonly password?: string;
  /** The whole round's limit. */
  readonly timeoutMs: number;
  /** Bare TCP connects before the Telnet stage (their RTTs are the round's latency). */
  readonly connects: number;
}

export interface ProbeContext {
  readonly vantage: string;
  /** Durations and timers. */
  readonly clock: Clock;
  /** Wall-clock time, epoch ms: the sample's timestamp. */
  readonly wallNow: () => number;
  /** Stops the round (shutdown). */
  readonly signal?: AbortSignal;
}

export interface ProbeOutcome {
  readonly sample: Sample;
  /** The verdict over the round's checks: its advice feeds the alerts. */
  readonly diagnosis: Diagnosis;
  /** A failed round's trace (JSON Lines, as `--trace` writes), undefined for a healthy one. */
  readonly trace?: string;
}

const round1 = (ms: number) => Math.round(ms * 10) / 10;

/**
 * How long a round waits before it stops its session: a session stopped from our side waits up
 * to 2 s for the peer's FIN, and the round must still end within its timeout.
 */
export function waitLimit(timeoutMs: number): number {
  return timeoutMs >= 4000 ? timeoutMs - 2000 : timeoutMs / 2;
}

/** A signal that fires on `parent` or after `ms` on `clock`; `done()` releases the timer. */
function deadline(clock: Clock, ms: number, parent?: AbortSignal) {
  const controller = new AbortController();
  const abort = () => controller.abort();
  const timer = clock.after(ms, abort);
  if (parent?.aborted) abort();
  else parent?.addEventListener("abort", abort, { once: true });
  return {
    signal: controller.signal,
    done() {
      timer.cancel();
      parent?.removeEventListener("abort", abort);
    },
  };
}

interface ConnectRound {
  readonly connects: Connects;
  /** The tcp check's result from the first connect's dial (resolution included). */
  readonly tcp: CheckResult;
  readonly events: readonly TraceEvent[];
  readonly target: Target;
}

/**
 * `n` TCP connects, one after the other: the first through the session layer's dial (it
 * resolves the name and records every fact, so a failure is classified by the tcp check),
 * the rest to the address it reached. Answered = the handshake completed.
 */
async function connectRound(
  spec: ProbeSpec,
  n: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<ConnectRound> {
  const rec = new Recorder(clock, 200);
  const t0 = clock.now();
  const first = await dial(
    { host: spec.host, port: spec.port, connectTimeoutMs: spec.timeoutMs, signal },
    rec,
  );
  const tcp = tcpResult(rec.events(), clock.now() - t0);
  const rttMs: number[] = [];
  let target: Target = { host: spec.host, port: spec.port };
  // A failed first connect ends the round's connects: N timeouts would outlast the round.
  let sent = first.ok || first.stage === "connect" ? 1 : 0;
  if (first.ok) {
    first.socket.destroy();
    rttMs.push(round1(first.connectMs));
    target = { ...target, address: first.address, family: first.family };
    for (let i = 1; i < n && !signal.aborted; i++) {
      sent++;
      const t = clock.now();
      const r = await connectOnce(
        first.address,
        first.family,
        spec.port,
        spec.timeoutMs,
        signal,
        clock,
      );
      if ("socket" in r) {
        r.socket.destroy();
        rttMs.push(round1(clock.now() - t));
      }
    }
  }
  return { connects: { sent, answered: rttMs.length, rttMs }, tcp, events: rec.events(), target };
}

/** What the Telnet part of a round found: the checks' results and the session's events. */
interface TelnetRound {
  readonly checks: CheckResult[];
  readonly events: readonly TraceEvent[];
  readonly timings: Timings;
}

/** The telnet check (and, at login level, the login check) on a session of their own. */
async function telnetRound(
  spec: ProbeSpec,
  clock: Clock,
  signal: AbortSignal,
  start: number,
): Promise<TelnetRound> {
  const login = spec.level === "login";
  const probe = await probeTelnet(
    {
      host: spec.host,
      port: spec.port,
      connectTimeoutMs: spec.timeoutMs,
      sshPort: 22,
      signal,
      clock,
    },
    login ? "prompt" : "never",
  );
  const checks: CheckResult[] = [probe.tcp];
  let open: OpenSession | undefined;
  let events: readonly TraceEvent[] = [];
  const timings = { firstByteMs: null, promptMs: null, loginMs: null } as {
    -readonly [K in keyof Timings]: number | null;
  };
  if (probe.telnet) {
    const t = await probe.telnet;
    checks.push(t.result);
    open = t.open;
    timings.firstByteMs = numberOrNull(t.result.data.firstByteMs);
    timings.promptMs = numberOrNull(t.result.data.promptMs);
  }
  if (login && open) {
    const left = Math.max(1000, spec.timeoutMs - (clock.now() - start));
    const r = await logIn(open, spec.user ?? "", spec.password, left);
    checks.push(r.result);
    if (r.loggedIn) timings.loginMs = numberOrNull(r.result.data.loginMs);
    open.session.close("script");
  }
  if (open) await open.ended;
  events = probe.session.recorder.events();
  return { checks, events, timings };
}

function numberOrNull(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** Where a round failed, from the first check that did not pass. */
function stageOf(checks: readonly CheckResult[], verdict: Diagnosis): Stage | null {
  if (verdict.cause === "dns-failure") return "resolve";
  for (const c of checks) {
    if (c.status !== "fail" && c.status !== "warn") continue;
    if (c.id === "tcp") return "connect";
    if (c.id === "telnet") return "telnet";
    if (c.id === "login") return "login";
  }
  return "session";
}

/**
 * A round the checks pass with a warning may still be a failure for a monitor: a service
 * that said nothing at all, or a login that neither succeeded nor was refused. The verdict
 * calls those healthy "with warnings"; the monitor does not.
 */
function unfinished(checks: readonly CheckResult[], level: Level): CheckResult | undefined {
  const telnet = checks.find((c) => c.id === "telnet");
  if (level !== "tcp" && telnet?.status === "warn" && telnet.data.firstByteMs === undefined)
    return telnet;
  const login = checks.find((c) => c.id === "login");
  if (level === "login" && login?.status !== "pass") return login;
  return undefined;
}

/** The verdict over the round's checks, with the monitor's stricter idea of a healthy round. */
function conclude(
  checks: readonly CheckResult[],
  level: Level,
  target: Target,
  aborted: boolean,
  timeoutMs: number,
): Diagnosis {
  const verdict = verdictOf(checks, target);
  // Our own deadline closed the session: that is no cause of the server's.
  if (aborted && verdict.cause === "local-close") return timedOut(checks, timeoutMs, target);
  if (verdict.cause !== "healthy") return verdict;
  const short = unfinished(checks, level);
  if (!short && !aborted) return verdict;
  const what = short ? `${short.id}: ${short.summary}` : "the round ran out of time";
  return {
    cause: "unknown",
    confidence: 0.3,
    summary: `The round did not finish: ${what}.`,
    evidence: [what],
    advice: [`Run \`teldoc diagnose ${target.host} ${target.port}\` to look closer.`],
    alternatives: [],
  };
}

/** The round's deadline came first: what it was still waiting for. */
function timedOut(checks: readonly CheckResult[], timeoutMs: number, target: Target): Diagnosis {
  const last = checks.at(-1);
  const waiting =
    last?.id === "telnet" && last.data.firstByteMs === undefined
      ? "connected, but the service sent nothing"
      : `${last?.id ?? "the round"} had not finished`;
  const what = `${waiting} in ${formatMs(timeoutMs)}, the round's wait`;
  return {
    cause: "unknown",
    confidence: 0.3,
    summary: `The round timed out: ${what}.`,
    evidence: [what],
    advice: [
      `Run \`teldoc diagnose ${target.host} ${target.port}\`: it waits longer and tries more.`,
    ],
    alternatives: [],
  };
}

/** A kept trace's size at most: its start and its end, each half of it. */
const TRACE_BYTES = 64 * 1024;
/** Longest text of one data event kept (its tail), and longest raw read or write kept (hex). */
const TRACE_TEXT = 2000;
const TRACE_HEX = 4096;

/** An event as a kept trace holds it: long text cut to its tail, long raw reads left out. */
function slim(e: TraceEvent): TraceEvent | undefined {
  if (e.type === "data" && e.text.length > TRACE_TEXT)
    return { ...e, text: e.text.slice(-TRACE_TEXT), bytes: e.bytes ?? Buffer.byteLength(e.text) };
  if ((e.type === "read" || e.type === "write") && e.hex.length > TRACE_HEX) return undefined;
  return e;
}

/**
 * A failed round's trace: its events as JSON Lines (as `--trace` writes them), bounded — a
 * flooding server leaves its start and its end, not megabytes per failure.
 */
function traceOf(events: readonly TraceEvent[]): string {
  const lines = events.flatMap((e) => {
    const kept = slim(e);
    return kept ? [encodeEvent(kept)] : [];
  });
  const total = lines.reduce((n, l) => n + l.length, 0);
  if (total <= TRACE_BYTES) return lines.join("");
  const half = TRACE_BYTES / 2;
  const head: string[] = [];
  let size = 0;
  for (const l of lines) {
    if (size + l.length > half) break;
    head.push(l);
    size += l.length;
  }
  const tail: string[] = [];
  size = 0;
  for (let i = lines.length - 1; i >= head.length; i--) {
    const l = lines[i]!;
    if (size + l.length > half) break;
    tail.unshift(l);
    size += l.length;
  }
  return [...head, ...tail].join("");
}

/**
 * Probe `spec` once.
 * @example const { sample } = await probeOnce({ name: "sw1", host: "192.0.2.10", port: 23, level: "telnet", timeoutMs: 10_000, connects: 3 }, { vantage: "lan", clock: systemClock, wallNow: Date.now });
 */
export async function probeOnce(spec: ProbeSpec, ctx: ProbeContext): Promise<ProbeOutcome> {
  const { clock } = ctx;
  const t = new Date(ctx.wallNow()).toISOString();
  const start = clock.now();
  const limit = deadline(clock, waitLimit(spec.timeoutMs), ctx.signal);
  try {
    const n = Math.max(spec.level === "tcp" ? 1 : 0, spec.connects);
    const c = n > 0 ? await connectRound(spec, n, clock, limit.signal) : undefined;
    let checks: CheckResult[] = c ? [c.tcp] : [];
    let events = c?.events ?? [];
    let timings: Timings = { firstByteMs: null, promptMs: null, loginMs: null };
    let target = c?.target ?? { host: spec.host, port: spec.port };
    const connected = c === undefined || c.tcp.status !== "fail";
    if (spec.level !== "tcp" && connected && !limit.signal.aborted) {
      const r = await telnetRound(spec, clock, limit.signal, start);
      // The Telnet session's own tcp check replaces the bare connects' (same facts, later).
      checks = r.checks;
      events = r.events.length > 0 ? r.events : events;
      timings = r.timings;
      target = { ...target, ...addressOf(r.checks) };
    }
    const diagnosis = conclude(
      checks,
      spec.level,
      target,
      limit.signal.aborted,
      waitLimit(spec.timeoutMs),
    );
    const ok = diagnosis.cause === "healthy";
    const connects = c?.connects ?? rttFromSession(checks);
    const sample: Sample = {
      t,
      vantage: ctx.vantage,
      target: spec.name,
      host: spec.host,
      port: spec.port,
      level: spec.level,
      ok,
      cause: diagnosis.cause,
      stage: ok ? null : stageOf(checks, diagnosis),
      connects,
      timings,
      durationMs: round1(clock.now() - start),
      evidence: ok ? [] : diagnosis.evidence.slice(0, 5),
    };
    return { sample, diagnosis, ...(ok ? {} : { trace: traceOf(events) }) };
  } finally {
    limit.done();
  }
}

/** The address the Telnet session reached, from its tcp check. */
function addressOf(checks: readonly CheckResult[]): Partial<Target> {
  const tcp = checks.find((c) => c.id === "tcp");
  const address = tcp?.data.address;
  const family = tcp?.data.family;
  return typeof address === "string" && (family === 4 || family === 6) ? { address, family } : {};
}

/** With no bare connects, the Telnet session's own connect is the round's one RTT. */
function rttFromSession(checks: readonly CheckResult[]): Connects {
  const tcp = checks.find((c) => c.id === "tcp");
  const ms = tcp?.data.connectMs;
  if (typeof ms === "number") return { sent: 1, answered: 1, rttMs: [ms] };
  return { sent: tcp ? 1 : 0, answered: 0, rttMs: [] };
}
