/**
 * @module Test support for a manual clock over real sockets: the clock moves only when a test
 * says so, while I/O happens in real time. `until` waits (in real time) for I/O a test started;
 * `drive` runs a whole piece of work to its end, moving the clock from timer to timer and giving
 * I/O its turn in between — "do I/O, await it, then advance", in a loop.
 */
import { setTimeout as delay, setImmediate as immediate } from "node:timers/promises";
import type { ManualClock } from "./manual-clock.js";

/**
 * Let I/O that is under way happen: a short real delay, then a few turns of the event loop (each
 * turn's poll phase takes in what the last one wrote: a reply to a reply on loopback).
 */
export async function settle(realMs = 2, turns = 4): Promise<void> {
  await delay(realMs);
  for (let i = 0; i < turns; i++) await immediate();
}

/**
 * Wait in real time until `cond()` holds (I/O the test started has happened).
 * @example await until(() => session.connected, "connected");
 */
export async function until(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > limitMs) throw new Error(`gave up waiting for: ${what}`);
    await delay(1);
  }
}

export interface DriveOptions {
  /** The clock moves at most this far at once (ms), so I/O gets its turn (default 100). */
  readonly stepMs?: number;
  /** Real time given to I/O after each step (ms, default 2). */
  readonly settleMs?: number;
  /** Fail when the clock has moved this far and the work is not done (ms, default 1 h). */
  readonly limitMs?: number;
  /** Fail when the work has not ended after this much real time (ms, default 60 s). */
  readonly realLimitMs?: number;
}

/**
 * Run `work` to its end: let I/O settle, move the clock to its next timer (at most `stepMs`),
 * repeat. With no timer waiting the clock stays: the work is waiting for I/O alone.
 * @example const report = await drive(clock, runChecklist({ ...options, clock }));
 */
export async function drive<T>(
  clock: ManualClock,
  work: Promise<T>,
  options: DriveOptions = {},
): Promise<T> {
  const stepMs = options.stepMs ?? 100;
  const limitMs = options.limitMs ?? 3_600_000;
  let done = false;
  work.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const start = clock.now();
  const realStart = performance.now();
  const realLimitMs = options.realLimitMs ?? 60_000;
  while (!done) {
    await settle(options.settleMs);
    if (done) break;
    if (clock.now() - start > limitMs)
      throw new Error(`the work did not end within ${limitMs} ms of the manual clock`);
    if (performance.now() - realStart > realLimitMs)
      throw new Error(`the work did not end within ${realLimitMs} ms of real time`);
    const next = clock.nextIn;
    if (next !== undefined) clock.advance(Math.min(stepMs, Math.max(0, next)));
  }
  return work;
}
