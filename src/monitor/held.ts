/**
 * @module Held sessions (`hold:` on a target): beside the scheduled rounds, one more session is
 * opened (logged in at level login) and left idle, up to the hold time — with the diagnose idle
 * check's own hold (checks/idle.ts `holdIdle`). When it dies, that is a sample at stage
 * `session`, with the cause (idle-timeout, middlebox-timeout, network-failure...) and how long
 * it lived idle as its duration; then a new one is opened. One that lasts the whole hold is
 * checked with a keystroke and recorded healthy. Held sessions are their own series,
 * `NAME/held`, so they never count in the target's own availability or alerts. Fresh rounds that work while held sessions
 * die is the signature of an idle timeout on the path or the server (analysis/held.ts).
 */
import { holdIdle } from "../checks/idle.js";
import { describeIdleRun, type IdleRun } from "../diagnosis/index.js";
import { type Clock, sleep } from "../session/clock.js";
import type { MonitorTarget } from "./monitor.js";
import type { Sample } from "./sample.js";

export interface HeldOptions {
  readonly vantage: string;
  readonly clock: Clock;
  readonly wallNow: () => number;
  /** A held session ended (died or lasted): its sample. */
  readonly onSample: (sample: Sample, run: IdleRun) => void;
  /** The hold itself (tests may give another). */
  readonly hold?: typeof holdIdle;
}

interface Loop {
  target: MonitorTarget;
  readonly stop: AbortController;
  done: Promise<void>;
}

/** The sample of one held session. */
/** The series a target's held sessions are stored under. */
export const HELD_SUFFIX = "/held";

export function heldSample(
  t: MonitorTarget,
  vantage: string,
  startedWall: number,
  run: IdleRun,
): Sample {
  const ok = run.outcome === "alive";
  const lived = run.diedAfterMs ?? run.heldMs;
  const said = `a session held idle ${describeIdleRun(run)}`;
  return {
    t: new Date(startedWall).toISOString(),
    vantage,
    target: `${t.name}${HELD_SUFFIX}`,
    host: t.host,
    port: t.port,
    level: t.level,
    ok,
    cause: ok ? "healthy" : (run.diagnosis?.cause ?? "unknown"),
    stage: ok ? null : "session",
    connects: { sent: 0, answered: 0, rttMs: [] },
    timings: { firstByteMs: null, promptMs: null, loginMs: null },
    durationMs: Math.round(lived),
    evidence: ok ? [] : [said, ...(run.diagnosis?.evidence ?? [])].slice(0, 5),
  };
}

export class HeldSessions {
  private readonly loops = new Map<string, Loop>();

  constructor(private readonly o: HeldOptions) {}

  /** Hold sessions for the targets that ask for it (`holdMs`); stop the others' loops. */
  set(targets: readonly MonitorTarget[]): void {
    const wanted = new Map(targets.filter((t) => t.holdMs).map((t) => [t.name, t]));
    for (const [name, loop] of this.loops) {
      const next = wanted.get(name);
      if (next && next.holdMs === loop.target.holdMs && next.host === loop.target.host) {
        loop.target = next;
        continue;
      }
      loop.stop.abort();
      this.loops.delete(name);
    }
    for (const [name, t] of wanted) if (!this.loops.has(name)) this.loops.set(name, this.start(t));
  }

  private start(target: MonitorTarget): Loop {
    const stop = new AbortController();
    const loop: Loop = { target, stop, done: Promise.resolve() };
    loop.done = this.run(loop).catch(() => {});
    return loop;
  }

  private async run(loop: Loop): Promise<void> {
    const { clock } = this.o;
    const hold = this.o.hold ?? holdIdle;
    while (!loop.stop.signal.aborted) {
      const t = loop.target;
      const started = this.o.wallNow();
      const run = await hold(
        {
          host: t.host,
          port: t.port,
          connectTimeoutMs: t.timeoutMs,
          sshPort: 22,
          ...(t.level === "login" && t.user !== undefined ? { user: t.user } : {}),
          ...(t.password !== undefined ? { password: t.password } : {}),
          signal: loop.stop.signal,
          clock,
        },
        t.holdMs ?? 0,
        undefined,
        () => {},
      );
      if (loop.stop.signal.aborted) return;
      // No session to hold: the rounds report why; try again a round later.
      if (run.outcome === "no-session") {
        await sleep(clock, t.intervalMs, loop.stop.signal);
        continue;
      }
      this.o.onSample(heldSample(t, this.o.vantage, started, run), run);
      // A session that died at once must not turn into a tight loop of reconnects.
      if (run.outcome !== "alive")
        await sleep(clock, Math.min(t.intervalMs, 10_000), loop.stop.signal);
    }
  }

  /** Stop every hold (their sessions are closed); resolves when they have. */
  async stop(): Promise<void> {
    const loops = [...this.loops.values()];
    this.loops.clear();
    for (const l of loops) l.stop.abort();
    await Promise.all(loops.map((l) => l.done));
  }
}
