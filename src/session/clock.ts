/**
 * @module Time for everything below the CLI, injectable so timer logic can be tested in
 * milliseconds: every timer and every duration of the session layer, the checks and the lab
 * comes from a Clock (`systemClock` unless one is given; tests give `manualClock()`).
 */

export interface Timer {
  cancel(): void;
}

export interface AfterOptions {
  /**
   * Keep the process alive until the timer fires (default false). A wait that nothing else
   * holds open needs it: the pause between reconnect attempts has no socket open.
   */
  readonly keepAlive?: boolean;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /**
   * Call `fn` after `ms`. The timer does not keep the process alive by itself (a session's
   * timers live as long as its socket, which does), unless `options.keepAlive` says so.
   */
  after(ms: number, fn: () => void, options?: AfterOptions): Timer;
}

/** The real clock: performance.now() and setTimeout. */
export const systemClock: Clock = {
  now: () => performance.now(),
  after(ms, fn, options) {
    const h = setTimeout(fn, ms);
    if (options?.keepAlive !== true) h.unref();
    return { cancel: () => clearTimeout(h) };
  },
};

/**
 * Wait `ms` on `clock`, keeping the process alive meanwhile; an abort ends the wait early
 * (it resolves: the caller looks at its signal).
 * @example await sleep(clock, 500, signal);
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      timer.cancel();
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const timer = clock.after(ms, done, { keepAlive: true });
    signal?.addEventListener("abort", done, { once: true });
  });
}
