/** @module A Clock that moves only when a test says so: timer logic tested in milliseconds. */
import type { Clock, Timer } from "../session/clock.js";

interface Pending {
  at: number;
  fn: () => void;
  cancelled: boolean;
}

export interface ManualClock extends Clock {
  /** Move time forward, running each timer that falls due, in order. */
  advance(ms: number): void;
  /** Timers still waiting. */
  readonly pending: number;
  /** Milliseconds until the next timer falls due (undefined when none waits). */
  readonly nextIn: number | undefined;
}

/**
 * Its timers never keep the process alive (`keepAlive` is ignored): a test that waits on one
 * is itself awaiting something that does.
 * @example const clock = manualClock(); clock.after(100, fire); clock.advance(100); // fired
 */
export function manualClock(start = 0): ManualClock {
  let now = start;
  let timers: Pending[] = [];
  return {
    now: () => now,
    after(ms: number, fn: () => void): Timer {
      const p: Pending = { at: now + Math.max(0, ms), fn, cancelled: false };
      timers.push(p);
      return {
        cancel() {
          p.cancelled = true;
        },
      };
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        timers = timers.filter((t) => !t.cancelled);
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        now = Math.max(now, due.at);
        due.cancelled = true;
        due.fn();
      }
      now = until;
    },
    get pending() {
      return timers.filter((t) => !t.cancelled).length;
    },
    get nextIn() {
      const live = timers.filter((t) => !t.cancelled);
      return live.length === 0 ? undefined : Math.min(...live.map((t) => t.at)) - now;
    },
  };
}
