/**
 * @module Samples on their way to the store: buffered and written in batches (one transaction
 * each), at most `flushEveryMs` after they were made or as soon as a batch is full. When the
 * store fails (the database is down, the disk is full), the samples stay in memory, bounded,
 * and the write is retried with a growing pause; the monitor keeps probing. A sample counts as
 * acknowledged only once the store's `write` resolved.
 */
import type { Clock, Timer } from "../session/clock.js";
import type { Sample } from "./sample.js";
import type { KeptTrace, Store } from "./store/types.js";

export interface WriterOptions {
  readonly store: Store;
  readonly clock: Clock;
  /** Longest a sample waits before it is written (default 1 s). */
  readonly flushEveryMs?: number;
  /** Samples per write (default 1,000). */
  readonly batch?: number;
  /**
   * Most samples held while the store fails (default 500,000, about 8 minutes of 10,000
   * targets at 10 s). Past it the oldest are dropped, and counted.
   */
  readonly maxPending?: number;
  /** The store failed; `pending` samples wait for it. */
  readonly onError?: (err: unknown, pending: number) => void;
  /** A batch was written: how many samples, in how long (ms). */
  readonly onWritten?: (count: number, ms: number) => void;
  /** The store works again after a failure. */
  readonly onRecovered?: (written: number) => void;
}

export interface WriterStats {
  readonly written: number;
  readonly pending: number;
  readonly dropped: number;
  readonly failures: number;
  /** Time of the last write, ms (0 before any). */
  readonly lastWriteMs: number;
}

const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 30_000;

export class SampleWriter {
  private pending: Sample[] = [];
  private traces: KeptTrace[] = [];
  private timer: Timer | undefined;
  private writing: Promise<void> | undefined;
  private failing = false;
  private retryMs = RETRY_MIN_MS;
  private written = 0;
  private dropped = 0;
  private failures = 0;
  private lastWriteMs = 0;
  private closed = false;

  constructor(private readonly o: WriterOptions) {}

  add(sample: Sample): void {
    this.pending.push(sample);
    const max = this.o.maxPending ?? 500_000;
    if (this.pending.length > max) {
      const over = this.pending.length - max;
      this.pending.splice(0, over);
      this.dropped += over;
    }
    if (!this.failing && this.pending.length >= (this.o.batch ?? 1000)) void this.flush();
    else this.arm(this.o.flushEveryMs ?? 1000);
  }

  /** Keep a failed round's trace (written with the next batch; a trace that fails is dropped). */
  addTrace(trace: KeptTrace): void {
    if (this.traces.length >= 1000) this.traces.shift();
    this.traces.push(trace);
    this.arm(this.o.flushEveryMs ?? 1000);
  }

  private arm(ms: number): void {
    if (this.timer || this.closed) return;
    this.timer = this.o.clock.after(ms, () => {
      this.timer = undefined;
      void this.flush();
    });
  }

  /** Write everything buffered now; resolves when done (or failed: the samples stay). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.length === 0 && this.traces.length === 0) return;
    this.writing = this.writeAll().finally(() => {
      this.writing = undefined;
    });
    await this.writing;
  }

  private async writeAll(): Promise<void> {
    const size = this.o.batch ?? 1000;
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.slice(0, size);
        const t0 = this.o.clock.now();
        await this.o.store.write(batch);
        this.lastWriteMs = this.o.clock.now() - t0;
        this.o.onWritten?.(batch.length, this.lastWriteMs);
        // Only now are they acknowledged: drop them from the buffer.
        this.pending.splice(0, batch.length);
        this.written += batch.length;
      }
      if (this.failing) {
        this.failing = false;
        this.retryMs = RETRY_MIN_MS;
        this.o.onRecovered?.(this.written);
      }
    } catch (err) {
      this.failures++;
      if (!this.failing) this.o.onError?.(err, this.pending.length);
      this.failing = true;
      this.timer?.cancel();
      this.timer = undefined;
      this.arm(this.retryMs);
      this.retryMs = Math.min(RETRY_MAX_MS, this.retryMs * 2);
      return;
    }
    const traces = this.traces.splice(0);
    for (const t of traces) await this.o.store.keepTrace(t).catch(() => {});
  }

  /** Final flush (shutdown): tries a few times, then reports what could not be written. */
  async close(attempts = 3): Promise<{ unwritten: number }> {
    this.closed = true;
    this.timer?.cancel();
    this.timer = undefined;
    for (let i = 0; i < attempts; i++) {
      await this.flush();
      if (this.pending.length === 0) break;
    }
    return { unwritten: this.pending.length };
  }

  get stats(): WriterStats {
    return {
      written: this.written,
      pending: this.pending.length,
      dropped: this.dropped,
      failures: this.failures,
      lastWriteMs: this.lastWriteMs,
    };
  }
}
