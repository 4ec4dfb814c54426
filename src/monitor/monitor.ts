/**
 * @module The monitor engine: the scheduler runs a probe round per target when it falls due,
 * each round's sample goes to the writer (and a failed round's trace with it), a skipped round
 * is recorded as a sample too, and the store is compacted now and then. What a person or an
 * alert needs — a target changed state, the store failed or recovered — comes out as events;
 * the engine prints nothing (cli/ does).
 */
import { setMaxListeners } from "node:events";
import type { IdleRun } from "../diagnosis/index.js";
import type { Clock, Timer } from "../session/clock.js";
import type { Diagnosis } from "../trace/events.js";
import { HeldSessions } from "./held.js";
import { type ProbeContext, type ProbeOutcome, type ProbeSpec, probeOnce } from "./probe.js";
import type { Sample } from "./sample.js";
import { Scheduler, type SchedulerStats, type SkipReason } from "./scheduler.js";
import { DEFAULT_RETENTION, type Retention, type Store, type TargetInfo } from "./store/types.js";
import { SampleWriter, type WriterStats } from "./writer.js";

/** One target as the engine runs it (the config's target, its password already looked up). */
export interface MonitorTarget extends ProbeSpec {
  readonly intervalMs: number;
  readonly tags: readonly string[];
  /** Hold one more session idle up to this long, beside the rounds (held.ts). */
  readonly holdMs?: number;
}

export type MonitorEvent =
  /** A round ended (every round: alerts and metrics listen to these). */
  | { readonly kind: "round"; readonly outcome: ProbeOutcome }
  /** The target's state changed: healthy ↔ failing, or failing for another cause. */
  | {
      readonly kind: "state";
      readonly sample: Sample;
      readonly diagnosis: Diagnosis;
      /** The state before (undefined: the target's first round). */
      readonly previous?: { readonly ok: boolean; readonly cause: Sample["cause"] };
    }
  | { readonly kind: "skipped"; readonly target: string; readonly why: SkipReason }
  | { readonly kind: "store-error"; readonly message: string; readonly pending: number }
  | { readonly kind: "store-recovered"; readonly written: number }
  /** A held session ended: died (how long it lived, why) or lasted the whole hold. */
  | { readonly kind: "held"; readonly sample: Sample; readonly run: IdleRun }
  /** A batch of samples was written (for the store's latency metric). */
  | { readonly kind: "written"; readonly count: number; readonly ms: number }
  | { readonly kind: "compacted"; readonly deletedSamples: number; readonly rolledUp: number };

export interface MonitorOptions {
  readonly vantage: string;
  readonly store: Store;
  readonly clock: Clock;
  /** Wall-clock time, epoch ms (sample timestamps, compaction ages). */
  readonly wallNow: () => number;
  /** Rounds at once (default 256). */
  readonly concurrency?: number;
  readonly retention?: Retention;
  /** How often the store is compacted (default 1 h; 0: never). */
  readonly compactEveryMs?: number;
  /** Longest a sample waits to be written (default 1 s). */
  readonly flushEveryMs?: number;
  readonly onEvent?: (event: MonitorEvent) => void;
  /** The probe (tests may give another). */
  readonly probe?: (spec: ProbeSpec, ctx: ProbeContext) => Promise<ProbeOutcome>;
}

interface Scheduled extends MonitorTarget {
  readonly key: string;
}

/** What the engine knows of each target now (for a live summary and the dashboard). */
export interface TargetState {
  readonly target: string;
  readonly ok: boolean;
  readonly cause: Sample["cause"];
  readonly since: string;
  readonly last: Sample;
}

export class Monitor {
  private readonly scheduler: Scheduler<Scheduled>;
  private readonly writer: SampleWriter;
  private readonly held: HeldSessions;
  private readonly states = new Map<string, TargetState>();
  private readonly stopping = new AbortController();
  private compactTimer: Timer | undefined;
  private targets: readonly MonitorTarget[] = [];

  constructor(private readonly o: MonitorOptions) {
    // Every running round listens on it: hundreds at once are expected, not a leak.
    setMaxListeners(0, this.stopping.signal);
    this.writer = new SampleWriter({
      store: o.store,
      clock: o.clock,
      ...(o.flushEveryMs !== undefined ? { flushEveryMs: o.flushEveryMs } : {}),
      onError: (err, pending) =>
        this.emit({
          kind: "store-error",
          message: err instanceof Error ? err.message : String(err),
          pending,
        }),
      onRecovered: (written) => this.emit({ kind: "store-recovered", written }),
      onWritten: (count, ms) => this.emit({ kind: "written", count, ms }),
    });
    this.held = new HeldSessions({
      vantage: o.vantage,
      clock: o.clock,
      wallNow: o.wallNow,
      onSample: (sample, run) => {
        this.writer.add(sample);
        this.emit({ kind: "held", sample, run });
      },
    });
    this.scheduler = new Scheduler<Scheduled>({
      clock: o.clock,
      concurrency: o.concurrency ?? 256,
      run: (t) => this.round(t),
      skipped: (t, due, why) => this.skipped(t, due, why),
    });
  }

  private emit(e: MonitorEvent): void {
    this.o.onEvent?.(e);
  }

  /** Start probing `targets` (recorded in the store for the report and the dashboard). */
  async start(targets: readonly MonitorTarget[]): Promise<void> {
    await this.o.store.putTargets(
      this.o.vantage,
      targets.map((t) => targetInfo(this.o.vantage, t)),
    );
    this.targets = targets;
    this.scheduler.start(targets.map(scheduled));
    this.held.set(targets);
    this.armCompaction();
  }

  /** Replace the targets (a reload): unchanged ones keep their schedule and state. */
  async reload(targets: readonly MonitorTarget[]): Promise<void> {
    await this.o.store.putTargets(
      this.o.vantage,
      targets.map((t) => targetInfo(this.o.vantage, t)),
    );
    this.targets = targets;
    const names = new Set(targets.map((t) => t.name));
    for (const name of this.states.keys()) if (!names.has(name)) this.states.delete(name);
    this.scheduler.setTargets(targets.map(scheduled));
    this.held.set(targets);
  }

  private async round(t: Scheduled, took?: (o: ProbeOutcome) => void): Promise<void> {
    const probe = this.o.probe ?? probeOnce;
    let outcome: ProbeOutcome;
    try {
      outcome = await probe(t, {
        vantage: this.o.vantage,
        clock: this.o.clock,
        wallNow: this.o.wallNow,
        signal: this.stopping.signal,
      });
    } catch (err) {
      outcome = crashed(t, this.o.vantage, this.o.wallNow(), err);
    }
    // A round cut short by shutdown says nothing about the target.
    if (this.stopping.signal.aborted) return;
    const { sample } = outcome;
    this.writer.add(sample);
    if (outcome.trace)
      this.writer.addTrace({
        vantage: sample.vantage,
        target: sample.target,
        t: sample.t,
        jsonl: outcome.trace,
      });
    took?.(outcome);
    this.emit({ kind: "round", outcome });
    this.track(sample, outcome.diagnosis);
  }

  private track(sample: Sample, diagnosis: Diagnosis): void {
    const before = this.states.get(sample.target);
    if (before && before.ok === sample.ok && before.cause === sample.cause) {
      this.states.set(sample.target, { ...before, last: sample });
      return;
    }
    this.states.set(sample.target, {
      target: sample.target,
      ok: sample.ok,
      cause: sample.cause,
      since: sample.t,
      last: sample,
    });
    this.emit({
      kind: "state",
      sample,
      diagnosis,
      ...(before ? { previous: { ok: before.ok, cause: before.cause } } : {}),
    });
  }

  private skipped(t: Scheduled, due: number, why: SkipReason): void {
    const late = Math.max(0, this.o.clock.now() - due);
    this.writer.add(skippedSample(t, this.o.vantage, this.o.wallNow() - late, why));
    this.emit({ kind: "skipped", target: t.name, why });
  }

  private armCompaction(): void {
    const every = this.o.compactEveryMs ?? 3_600_000;
    if (every <= 0) return;
    this.compactTimer = this.o.clock.after(every, () => void this.compact(), { keepAlive: false });
  }

  /** Roll up and apply retention now. */
  async compact(): Promise<void> {
    try {
      const r = await this.o.store.compact(this.o.wallNow(), this.o.retention ?? DEFAULT_RETENTION);
      this.emit({ kind: "compacted", deletedSamples: r.deletedSamples, rolledUp: r.rolledUp });
    } catch (err) {
      this.emit({
        kind: "store-error",
        message: `compaction: ${err instanceof Error ? err.message : String(err)}`,
        pending: this.writer.stats.pending,
      });
    }
    if (!this.stopping.signal.aborted) this.armCompaction();
  }

  /** Stop: no new rounds, running ones cut short, every sample made so far written. */
  async stop(): Promise<{ unwritten: number }> {
    this.stopping.abort();
    this.compactTimer?.cancel();
    await Promise.all([this.scheduler.stop(), this.held.stop()]);
    return this.writer.close();
  }

  /**
   * Probe every target once now (at most `concurrency` at a time), store the samples, and
   * return the outcomes in the targets' order: `monitor --once`, for cron and scripts.
   */
  async once(targets: readonly MonitorTarget[]): Promise<ProbeOutcome[]> {
    await this.o.store.putTargets(
      this.o.vantage,
      targets.map((t) => targetInfo(this.o.vantage, t)),
    );
    this.targets = targets;
    const out: ProbeOutcome[] = new Array(targets.length);
    let next = 0;
    const worker = async () => {
      for (let i = next++; i < targets.length; i = next++) {
        const t = targets[i]!;
        await this.round(scheduled(t), (o) => {
          out[i] = o;
        });
      }
    };
    const n = Math.min(targets.length, this.o.concurrency ?? 256);
    await Promise.all(Array.from({ length: n }, worker));
    await this.writer.flush();
    return out;
  }

  /**
   * One round now, outside the schedule and the store (the /probe endpoint: whoever asked
   * keeps the result). Stopped by the monitor's shutdown like any round.
   */
  probeNow(spec: ProbeSpec): Promise<ProbeOutcome> {
    const probe = this.o.probe ?? probeOnce;
    return probe(spec, {
      vantage: this.o.vantage,
      clock: this.o.clock,
      wallNow: this.o.wallNow,
      signal: this.stopping.signal,
    });
  }

  /** Write what is buffered now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }

  /** Each target's state, in config order (targets without a round yet are left out). */
  stateOf(): TargetState[] {
    return this.targets.flatMap((t) => {
      const s = this.states.get(t.name);
      return s ? [s] : [];
    });
  }

  get stats(): { scheduler: SchedulerStats; writer: WriterStats } {
    return { scheduler: this.scheduler.stats, writer: this.writer.stats };
  }
}

function scheduled(t: MonitorTarget): Scheduled {
  return { ...t, key: t.name };
}

function targetInfo(vantage: string, t: MonitorTarget): TargetInfo {
  return { name: t.name, vantage, host: t.host, port: t.port, level: t.level, tags: t.tags };
}

/** A round that measured nothing: skipped, or a probe that threw. */
function emptySample(t: MonitorTarget, vantage: string, wall: number, evidence: string): Sample {
  return {
    t: new Date(wall).toISOString(),
    vantage,
    target: t.name,
    host: t.host,
    port: t.port,
    level: t.level,
    ok: false,
    cause: "unknown",
    stage: null,
    connects: { sent: 0, answered: 0, rttMs: [] },
    timings: { firstByteMs: null, promptMs: null, loginMs: null },
    durationMs: 0,
    evidence: [evidence],
  };
}

/** The sample of a round that did not run. */
function skippedSample(t: MonitorTarget, vantage: string, wall: number, why: SkipReason): Sample {
  const words =
    why === "previous-round-running"
      ? "skipped: the previous round of this target was still running"
      : "skipped: the monitor was saturated (every probe slot busy for a whole interval)";
  return { ...emptySample(t, vantage, wall, words), skipped: true };
}

/** A probe that threw (a bug, not a target's failure): recorded, never fatal. */
function crashed(t: MonitorTarget, vantage: string, wall: number, err: unknown): ProbeOutcome {
  const what = `the probe failed: ${err instanceof Error ? err.message : String(err)}`;
  return {
    sample: emptySample(t, vantage, wall, what),
    diagnosis: {
      cause: "unknown",
      confidence: 0,
      summary: what,
      evidence: [what],
      advice: [],
      alternatives: [],
    },
  };
}
