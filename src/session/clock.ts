/** @module Time for the session layer, injectable so timer logic can be tested in milliseconds. */

export interface Timer {
  cancel(): void;
}

export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Call `fn` after `ms`; the timer does not keep the process alive by itself. */
  after(ms: number, fn: () => void): Timer;
}

/** The real clock: performance.now() and setTimeout. */
export const systemClock: Clock = {
  now: () => performance.now(),
  after(ms, fn) {
    const h = setTimeout(fn, ms);
    h.unref();
    return { cancel: () => clearTimeout(h) };
  },
};
