/**
 * @module The alerts' outbox: notices wait here so a probe round never waits for a webhook or
 * a command. A few are delivered at once; the queue is bounded, and when it is full the oldest
 * waiting notice is dropped (the newest says the most about now) and counted. Each result is
 * handed to `onResult` (the monitor logs it) and nothing is ever thrown.
 */

import { type DeliveryResult, deliver, type SendOptions } from "./alert-send.js";
import type { AlertMessage, AlertRule } from "./alerts.js";

export interface AlertSenderOptions extends SendOptions {
  /** Notices waiting at most (default 100). */
  readonly maxQueue?: number;
  /** Deliveries at once (default 2). */
  readonly concurrency?: number;
  /** Called with each delivery's result; what it throws is ignored. */
  readonly onResult?: (r: DeliveryResult) => void;
  /** Called when a notice is dropped because the queue was full. */
  readonly onDrop?: (rule: AlertRule, message: AlertMessage) => void;
}

export const ALERT_QUEUE_MAX = 100;

/**
 * @example
 * const sender = new AlertSender({ env: process.env, onResult: (r) => r.ok || log(r.error) });
 * for (const n of tracker.feed(sample)) sender.enqueue(n.rule, n.message);
 * await sender.close();
 */
export class AlertSender {
  readonly #options: AlertSenderOptions;
  readonly #queue: { rule: AlertRule; message: AlertMessage }[] = [];
  #inFlight = 0;
  #dropped = 0;
  #closed = false;
  #waiters: (() => void)[] = [];

  constructor(options: AlertSenderOptions = {}) {
    this.#options = options;
  }

  /** Notices dropped because the queue was full. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Notices waiting or being delivered. */
  get pending(): number {
    return this.#queue.length + this.#inFlight;
  }

  /** Queue a notice; returns at once. After close(), notices are dropped and counted. */
  enqueue(rule: AlertRule, message: AlertMessage): void {
    if (this.#closed) {
      this.#drop(rule, message);
      return;
    }
    if (this.#queue.length >= (this.#options.maxQueue ?? ALERT_QUEUE_MAX)) {
      const oldest = this.#queue.shift();
      if (oldest) this.#drop(oldest.rule, oldest.message);
    }
    this.#queue.push({ rule, message });
    this.#pump();
  }

  /** Resolves when nothing waits and nothing is being delivered. */
  idle(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Accept no more notices; deliver those queued (each is bounded by its timeouts). */
  close(): Promise<void> {
    this.#closed = true;
    return this.idle();
  }

  #drop(rule: AlertRule, message: AlertMessage): void {
    this.#dropped++;
    try {
      this.#options.onDrop?.(rule, message);
    } catch {
      // A logger's failure must not stop the alerts.
    }
  }

  #pump(): void {
    while (this.#inFlight < (this.#options.concurrency ?? 2) && this.#queue.length > 0) {
      const next = this.#queue.shift();
      if (!next) break;
      this.#inFlight++;
      void deliver(next.rule, next.message, this.#options).then((r) => this.#done(r));
    }
  }

  #done(r: DeliveryResult): void {
    this.#inFlight--;
    try {
      this.#options.onResult?.(r);
    } catch {
      // As above: the result is reported, whatever the reporter does.
    }
    this.#pump();
    if (this.pending === 0) for (const w of this.#waiters.splice(0)) w();
  }
}
