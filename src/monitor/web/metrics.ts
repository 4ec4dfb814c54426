/**
 * @module The monitor's `/metrics`: what each target's last round found and the monitor's own
 * health, in Prometheus' text format (prom-client). Labels are bounded by the config: `target`
 * (a configured name), `phase`, `cause`, `stage` (fixed lists) — never per sample. Names follow
 * Prometheus' conventions: base units in the name, `_total` for counters.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { MonitorEvent } from "../monitor.js";
import type { Sample } from "../sample.js";

/** The phases of a round, as `teldoc_probe_duration_seconds{phase}`. */
export const PHASES = ["connect", "first_byte", "prompt", "login", "round"] as const;

/** Connect RTT buckets, seconds: loopback to intercontinental. */
const RTT_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

/** A phase's duration in seconds from a sample; undefined when not measured. */
export function phaseSeconds(s: Sample, phase: (typeof PHASES)[number]): number | undefined {
  const ms =
    phase === "connect"
      ? s.connects.rttMs.length > 0
        ? Math.min(...s.connects.rttMs)
        : null
      : phase === "first_byte"
        ? s.timings.firstByteMs
        : phase === "prompt"
          ? s.timings.promptMs
          : phase === "login"
            ? s.timings.loginMs
            : s.durationMs;
  return ms === null || ms === undefined ? undefined : ms / 1000;
}

export interface HealthSource {
  /** Rounds skipped so far, targets scheduled, rounds running now, samples waiting to be written. */
  health(): { skipped: number; targets: number; running: number; pending: number };
}

export class MonitorMetrics {
  readonly registry = new Registry();
  private readonly success: Gauge;
  private readonly duration: Gauge;
  private readonly failures: Counter;
  private readonly rounds: Counter;
  private readonly rtt: Histogram;
  private readonly storeWrite: Histogram;
  private readonly loopDelay = monitorEventLoopDelay({ resolution: 10 });
  /** Each target seen, with the cause and stage pairs of its failure counters. */
  private readonly seen = new Map<string, Set<string>>();

  constructor(vantage: string, source: HealthSource) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ vantage });
    collectDefaultMetrics({ register: this.registry, prefix: "teldoc_monitor_process_" });
    this.success = new Gauge({
      name: "teldoc_probe_success",
      help: "1 when the target's last round was healthy, 0 when it failed",
      labelNames: ["target"],
      registers,
    });
    this.duration = new Gauge({
      name: "teldoc_probe_duration_seconds",
      help: "the last round's phases: connect (fastest TCP connect), first_byte, prompt, login, round (all of it)",
      labelNames: ["target", "phase"],
      registers,
    });
    this.failures = new Counter({
      name: "teldoc_probe_failures_total",
      help: "failed rounds by cause (the contract's causes) and stage (resolve, connect, telnet, login)",
      labelNames: ["target", "cause", "stage"],
      registers,
    });
    this.rounds = new Counter({
      name: "teldoc_probe_rounds_total",
      help: "rounds run (skipped ones not counted)",
      labelNames: ["target"],
      registers,
    });
    this.rtt = new Histogram({
      name: "teldoc_probe_connect_rtt_seconds",
      help: "TCP connect times of every round's connects, all targets",
      buckets: RTT_BUCKETS,
      registers,
    });
    this.storeWrite = new Histogram({
      name: "teldoc_monitor_store_write_seconds",
      help: "time to write one batch of samples to the store",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
      registers,
    });
    this.healthGauges(source);
  }

  private healthGauges(source: HealthSource): void {
    const registers = [this.registry];
    const loop = this.loopDelay;
    loop.enable();
    new Counter({
      name: "teldoc_monitor_rounds_skipped_total",
      help: "rounds skipped: the target's previous round still ran, or no probe slot was free for a whole interval",
      registers,
      collect() {
        this.reset();
        this.inc(source.health().skipped);
      },
    });
    const gauge = (name: string, help: string, value: () => number) =>
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(value());
        },
      });
    gauge("teldoc_monitor_targets", "targets scheduled", () => source.health().targets);
    gauge("teldoc_monitor_rounds_running", "rounds running now", () => source.health().running);
    gauge(
      "teldoc_monitor_store_pending_samples",
      "samples waiting to be written (the store is slow or failing when this grows)",
      () => source.health().pending,
    );
    gauge(
      "teldoc_monitor_event_loop_delay_p99_seconds",
      "the event loop's delay, 99th percentile since the last scrape",
      () => {
        const v = loop.percentile(99) / 1e9;
        loop.reset();
        return Number.isFinite(v) ? v : 0;
      },
    );
  }

  /** Feed every event of the monitor here. */
  observe(e: MonitorEvent): void {
    if (e.kind === "written") this.storeWrite.observe(e.ms / 1000);
    if (e.kind !== "round") return;
    const s = e.outcome.sample;
    const target = s.target;
    const failed = this.seen.get(target) ?? new Set<string>();
    this.seen.set(target, failed);
    this.rounds.inc({ target });
    this.success.set({ target }, s.ok ? 1 : 0);
    if (!s.ok) {
      const stage = s.stage ?? "none";
      this.failures.inc({ target, cause: s.cause, stage });
      failed.add(`${s.cause}\u0000${stage}`);
    }
    for (const phase of PHASES) {
      const v = phaseSeconds(s, phase);
      if (v === undefined) this.duration.remove({ target, phase });
      else this.duration.set({ target, phase }, v);
    }
    for (const ms of s.connects.rttMs) this.rtt.observe(ms / 1000);
  }

  /** Forget targets no longer configured (after a reload): their series end. */
  retain(names: ReadonlySet<string>): void {
    for (const [target, failed] of this.seen) {
      if (names.has(target)) continue;
      this.success.remove({ target });
      this.rounds.remove({ target });
      for (const phase of PHASES) this.duration.remove({ target, phase });
      for (const key of failed) {
        const [cause, stage] = key.split("\u0000");
        this.failures.remove({ target, cause: cause!, stage: stage! });
      }
      this.seen.delete(target);
    }
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    this.loopDelay.disable();
    this.registry.clear();
  }
}
