/**
 * @module When each target is probed. Every target has a phase inside its interval (a hash of
 * its name: the fleet's rounds are spread over the interval, and a restart keeps the spread);
 * round k is due at `phase + k * interval` on the monotonic clock, computed from the schedule,
 * never from when the last round ended, so rounds do not drift. At most `concurrency` rounds
 * run at once; rounds wait in a FIFO queue. A round that falls due while the target's previous
 * one still runs or waits, or that waited a whole interval in the queue, is **skipped** — and
 * reported, so the store records it instead of losing it. Nothing piles up behind a slow target.
 */
import type { Clock, Timer } from "../session/clock.js";

export interface Schedulable {
  /** Unique per target: the phase comes from it. */
  readonly key: string;
  readonly intervalMs: number;
}

export type SkipReason = "previous-round-running" | "queue-full";

export interface SchedulerOptions<T extends Schedulable> {
  readonly clock: Clock;
  /** Rounds running at once. */
  readonly concurrency: number;
  /** Run one round; `due` is when it was due (clock ms). Must not reject. */
  readonly run: (target: T, due: number) => Promise<void>;
  /** A round that could not run in time. */
  readonly skipped: (target: T, due: number, why: SkipReason) => void;
  /** The target's phase as a fraction of its interval, 0 <= x < 1 (default: a hash of its key). */
  readonly phase?: (target: T) => number;
}

interface Entry<T> {
  target: T;
  /** Clock time round 0 was due; round k is due at base + k * interval. */
  base: number;
  next: number;
  timer?: Timer;
  busy: boolean;
  removed: boolean;
}

/** FNV-1a over the key, as a fraction in [0, 1). */
export function phaseOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) / 0x1_0000_0000;
}

export interface SchedulerStats {
  readonly targets: number;
  readonly running: number;
  readonly queued: number;
  readonly started: number;
  readonly skipped: number;
}

export class Scheduler<T extends Schedulable> {
  private readonly entries = new Map<string, Entry<T>>();
  private readonly queue: { entry: Entry<T>; due: number }[] = [];
  private queueHead = 0;
  private running = 0;
  private started = 0;
  private skippedCount = 0;
  private stopped = true;
  private idle: (() => void) | undefined;

  constructor(private readonly o: SchedulerOptions<T>) {}

  /** Start scheduling (targets given before or after). */
  start(targets: readonly T[] = []): void {
    this.stopped = false;
    this.setTargets(targets);
  }

  /**
   * Replace the target list (a reload). A target whose key and interval are unchanged keeps
   * its schedule; a round of a removed target that runs now finishes, and none starts again.
   */
  setTargets(targets: readonly T[]): void {
    const keep = new Set<string>();
    for (const t of targets) {
      keep.add(t.key);
      const old = this.entries.get(t.key);
      if (old && old.target.intervalMs === t.intervalMs) {
        old.target = t;
        continue;
      }
      if (old) this.remove(old);
      this.add(t);
    }
    for (const [key, e] of this.entries) if (!keep.has(key)) this.remove(e);
  }

  private add(target: T): void {
    const now = this.o.clock.now();
    const phase = (this.o.phase ?? ((t: T) => phaseOf(t.key)))(target);
    const interval = target.intervalMs;
    // The first due time in the schedule's grid at or after now (the grid starts at 0).
    const offset = phase * interval;
    const k = Math.ceil((now - offset) / interval);
    const base = offset + Math.max(0, k) * interval;
    const entry: Entry<T> = { target, base, next: base, busy: false, removed: false };
    this.entries.set(target.key, entry);
    if (!this.stopped) this.arm(entry);
  }

  private remove(e: Entry<T>): void {
    e.removed = true;
    e.timer?.cancel();
    this.entries.delete(e.target.key);
  }

  private arm(e: Entry<T>): void {
    const wait = Math.max(0, e.next - this.o.clock.now());
    e.timer = this.o.clock.after(wait, () => this.fire(e), { keepAlive: true });
  }

  private fire(e: Entry<T>): void {
    if (this.stopped || e.removed) return;
    const due = e.next;
    const interval = e.target.intervalMs;
    // The next round in the grid after now (a clock that stalled skips the rounds it missed).
    const now = this.o.clock.now();
    e.next = due + interval * Math.max(1, Math.floor((now - due) / interval) + 1);
    this.arm(e);
    if (e.busy) {
      this.skip(e, due, "previous-round-running");
      return;
    }
    e.busy = true;
    this.queue.push({ entry: e, due });
    this.pump();
  }

  private skip(e: Entry<T>, due: number, why: SkipReason): void {
    this.skippedCount++;
    this.o.skipped(e.target, due, why);
  }

  private pump(): void {
    while (this.running < this.o.concurrency && this.queueHead < this.queue.length) {
      const { entry, due } = this.queue[this.queueHead++]!;
      if (this.queueHead > 1024 && this.queueHead * 2 > this.queue.length) {
        this.queue.splice(0, this.queueHead);
        this.queueHead = 0;
      }
      if (entry.removed || this.stopped) {
        entry.busy = false;
        continue;
      }
      // Waited a whole interval for a free slot: its next round is already due.
      if (this.o.clock.now() - due >= entry.target.intervalMs) {
        entry.busy = false;
        this.skip(entry, due, "queue-full");
        continue;
      }
      this.running++;
      this.started++;
      void this.o.run(entry.target, due).finally(() => {
        this.running--;
        entry.busy = false;
        this.pump();
        if (this.running === 0) this.idle?.();
      });
    }
  }

  /** Stop starting rounds; resolves when the running ones have finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const e of this.entries.values()) e.timer?.cancel();
    for (let i = this.queueHead; i < this.queue.length; i++) this.queue[i]!.entry.busy = false;
    this.queue.length = 0;
    this.queueHead = 0;
    if (this.running === 0) return;
    await new Promise<void>((resolve) => {
      this.idle = resolve;
    });
  }

  get stats(): SchedulerStats {
    return {
      targets: this.entries.size,
      running: this.running,
      queued: this.queue.length - this.queueHead,
      started: this.started,
      skipped: this.skippedCount,
    };
  }
}
