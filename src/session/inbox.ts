/**
 * @module The server's text as the library waits on it: a bounded buffer with absolute
 * positions, the places where the server marked a prompt (IAC GA, IAC EOR), and one wait
 * primitive — re-check a condition on every change, with a deadline, an AbortSignal, and the
 * session's end — that expect, exec, login, scripts and the diagnose checks share. A wait is
 * event-driven: it runs on every change of the text, on `touch()` (bytes that are not text, such
 * as negotiation), and at the time its check asks to look again. Outcomes are values, not
 * exceptions. Time comes from the injected Clock.
 */
import { type Clock, systemClock, type Timer } from "./clock.js";

/** What a check says: done (with a value), look again after `recheckInMs`, or not yet. */
export type CheckResult<T> = { readonly value: T } | { readonly recheckInMs: number } | undefined;

export type WaitOutcome<T> =
  | { readonly ok: true; readonly value: T; readonly waitedMs: number }
  | {
      readonly ok: false;
      readonly why: "timeout" | "aborted" | "ended";
      readonly waitedMs: number;
    };

/** A prompt mark: where it fell in the text and which command made it. */
export interface Mark {
  readonly at: number;
  readonly by: "GA" | "EOR";
}

/** Matched text kept for error messages (the tail they quote). */
const KEEP_CONSUMED = 512;

export class Inbox {
  /**
   * The text, as received pieces (joined only when read, and only as far back as asked):
   * appending to one long string would make every read copy all of it.
   */
  private pieces: string[] = [];
  /** Absolute position of pieces[0][0]. */
  private base = 0;
  private length = 0;
  private consumedAt = 0;
  /** While set, text from this absolute position on is kept whatever the size. */
  pinned: number | undefined;
  readonly marks: Mark[] = [];
  private readonly listeners: Listening[] = [];
  private isEnded = false;

  constructor(
    /** Text kept when nothing is pinned; older text is dropped. */
    readonly maxBuffer = 1 << 20,
    readonly clock: Clock = systemClock,
  ) {}

  /** Counts every change: text, a mark, or a touch (a wait for quiet compares it). */
  activity = 0;

  /** Something happened that is not text (negotiation, a read): every wait looks again. */
  touch(): void {
    this.activity++;
    if (this.listeners.length > 0) this.notify();
  }

  /** Absolute position of the end of the text. */
  get end(): number {
    return this.base + this.length;
  }

  get ended(): boolean {
    return this.isEnded;
  }

  /** Everything before this absolute position has been matched; only a short tail of it is kept. */
  get consumed(): number {
    return this.consumedAt;
  }
  set consumed(at: number) {
    this.consumedAt = Math.max(this.base, Math.min(at, this.end));
    // Drop matched text in batches, not at every match (a round trip matches once).
    if (this.consumedAt - this.base > 8 * KEEP_CONSUMED)
      this.dropBefore(Math.min(this.consumedAt - KEEP_CONSUMED, this.pinned ?? Infinity));
  }

  /** Text from absolute position `from` (clamped to what is kept) to the end. */
  since(from: number): string {
    let need = this.end - Math.max(from, this.base);
    if (need <= 0) return "";
    const parts: string[] = [];
    for (let i = this.pieces.length - 1; i >= 0 && need > 0; i--) {
      const p = this.pieces[i];
      parts.push(p.length <= need ? p : p.slice(p.length - need));
      need -= p.length;
    }
    return parts.length === 1 ? parts[0] : parts.reverse().join("");
  }

  /** The last `n` characters received. */
  tail(n = 300): string {
    return this.since(this.end - n);
  }

  /** Remove the absolute range [from, to) (a pager prompt), shifting later positions. */
  cut(from: number, to: number): void {
    const all = this.since(this.base);
    const a = Math.max(0, from - this.base);
    const b = Math.max(a, Math.min(all.length, to - this.base));
    const text = all.slice(0, a) + all.slice(b);
    this.pieces = text.length > 0 ? [text] : [];
    this.length = text.length;
    for (let i = 0; i < this.marks.length; i++) {
      const m = this.marks[i];
      if (m.at > from) this.marks[i] = { at: Math.max(from, m.at - (b - a)), by: m.by };
    }
    if (this.consumedAt > this.end) this.consumedAt = this.end;
  }

  push(text: string): void {
    if (text.length === 0) return;
    this.activity++;
    this.pieces.push(text);
    this.length += text.length;
    if (this.pieces.length > 512) this.pieces = [this.pieces.join("")];
    if (this.length > this.maxBuffer)
      this.dropBefore(Math.min(this.pinned ?? Infinity, this.end - this.maxBuffer / 2));
    this.notify();
  }

  mark(by: "GA" | "EOR"): void {
    this.activity++;
    this.marks.push({ at: this.end, by });
    if (this.marks.length > 64) this.marks.splice(0, this.marks.length - 64);
    this.notify();
  }

  /** The session is over: every wait ends. */
  close(): void {
    this.isEnded = true;
    this.notify();
    this.deadlineTimer?.cancel();
    this.deadlineTimer = undefined;
  }

  /** The last mark at or after absolute position `from`. */
  lastMark(from: number): Mark | undefined {
    const m = this.marks.at(-1);
    return m && m.at >= from ? m : undefined;
  }

  /** Drop whole pieces that end before absolute position `at` (at most down to `at`). */
  private dropBefore(at: number): void {
    let k = 0;
    let dropped = 0;
    while (k < this.pieces.length - 1 && this.base + dropped + this.pieces[k].length <= at) {
      dropped += this.pieces[k].length;
      k++;
    }
    if (k > 0) {
      this.pieces.splice(0, k);
      this.base += dropped;
      this.length -= dropped;
    }
    if (this.pieces.length === 1 && at - this.base > this.maxBuffer / 2) {
      const cut = at - this.base;
      this.pieces[0] = this.pieces[0].slice(cut);
      this.base += cut;
      this.length -= cut;
    }
    if (this.consumedAt < this.base) this.consumedAt = this.base;
  }

  /** A finished wait stops listening. */
  forget(w: Listening): void {
    const i = this.listeners.indexOf(w);
    if (i >= 0) this.listeners.splice(i, 1);
  }

  private notify(): void {
    // A wait that finishes removes itself: iterate over a copy when there is more than one.
    const ls = this.listeners;
    if (ls.length === 1) ls[0].run();
    else for (const l of [...ls]) l.run();
  }

  /**
   * Re-run `check` now and after every change until it gives a value, the deadline passes,
   * `signal` aborts or the session ends (after which one last check runs).
   */
  wait<T>(
    check: Check<T> | Check<T>["check"],
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<WaitOutcome<T>> {
    return this.waitThen(typeof check === "function" ? { check } : check, timeoutMs, signal);
  }

  /**
   * wait(), with the outcome passed through `check.done` (when it has one) before the promise
   * settles: a command run cleans up and shapes its result without one more promise.
   */
  waitThen<T, R = WaitOutcome<T>>(
    check: Check<T> & { done?(o: WaitOutcome<T>): R },
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<R> {
    return new Promise<R>((resolve) => {
      const now = this.clock.now();
      const settle = check.done
        ? (o: WaitOutcome<T>) => resolve(check.done?.(o) as R)
        : (resolve as unknown as (o: WaitOutcome<T>) => void);
      const w = new Waiter(this, check, settle, signal, now, now + timeoutMs);
      if (signal?.aborted) {
        w.abort();
        return;
      }
      signal?.addEventListener("abort", w, { once: true });
      this.listeners.push(w);
      this.armDeadlines(now, timeoutMs);
      w.run();
    });
  }

  /** The last character's code (NaN when there is no text). */
  lastCharCode(): number {
    const p = this.pieces.at(-1);
    return p === undefined ? Number.NaN : p.charCodeAt(p.length - 1);
  }

  /**
   * One lazy timer for every wait's deadline: waits end long before their deadline as a rule,
   * so a round trip must not cost a timer set and cleared. When it fires it ends the waits
   * that are due and sleeps until the next deadline.
   */
  private deadlineTimer: Timer | undefined;
  private deadlineAt = Number.POSITIVE_INFINITY;

  private armDeadlines(now: number, inMs: number): void {
    const at = now + inMs;
    if (this.deadlineTimer !== undefined && this.deadlineAt <= at) return;
    this.deadlineTimer?.cancel();
    this.deadlineAt = at;
    // It may outlive every wait: the clock's timers do not keep the process alive (the socket
    // does, while a wait can still be answered; the session's end ends every wait).
    this.deadlineTimer = this.clock.after(Math.max(0, inMs), () => Inbox.onDeadlines(this));
  }

  private static onDeadlines(inbox: Inbox): void {
    inbox.deadlineTimer = undefined;
    inbox.deadlineAt = Number.POSITIVE_INFINITY;
    const now = inbox.clock.now();
    let next = Number.POSITIVE_INFINITY;
    for (const w of [...inbox.listeners]) {
      if (w.deadline <= now + 1) w.expire();
      else next = Math.min(next, w.deadline);
    }
    if (next !== Number.POSITIVE_INFINITY) inbox.armDeadlines(now, next - now);
  }
}

/** A wait as the inbox sees it. */
interface Listening {
  readonly deadline: number;
  run(): void;
  expire(): void;
}

/** What a wait checks: an object (a command run) or a function, called on every change. */
export interface Check<T> {
  check(): CheckResult<T>;
}

/**
 * One wait: a plain object with methods, no closures, one timer (a command per round trip
 * must not cost a handful of allocations). It is its own abort listener (handleEvent).
 */
class Waiter<T> {
  private settled = false;
  private recheck: Timer | undefined;

  constructor(
    private readonly inbox: Inbox,
    private readonly checker: Check<T>,
    private readonly resolve: (o: WaitOutcome<T>) => void,
    private readonly signal: AbortSignal | undefined,
    private readonly t0: number,
    /** The clock's now() at which the wait times out. */
    readonly deadline: number,
  ) {}

  /** The deadline passed: a last look (the condition may hold right now), then time out. */
  expire(): void {
    if (this.settled) return;
    const r = this.checker.check();
    if (r && "value" in r) this.finish({ ok: true, value: r.value, waitedMs: this.waited() });
    else this.finish({ ok: false, why: "timeout", waitedMs: this.waited() });
  }

  static onRecheck<U>(w: Waiter<U>): void {
    w.recheck = undefined;
    w.run();
  }

  private waited(): number {
    return Math.round(this.inbox.clock.now() - this.t0);
  }

  run(): void {
    if (this.settled) return;
    if (this.recheck !== undefined) {
      this.recheck.cancel();
      this.recheck = undefined;
    }
    const r = this.checker.check();
    if (r && "value" in r) this.finish({ ok: true, value: r.value, waitedMs: this.waited() });
    else if (this.inbox.ended) this.finish({ ok: false, why: "ended", waitedMs: this.waited() });
    else if (r) this.recheck = this.inbox.clock.after(r.recheckInMs, () => Waiter.onRecheck(this));
  }

  /** The AbortSignal's listener. */
  handleEvent(): void {
    this.abort();
  }

  abort(): void {
    this.finish({ ok: false, why: "aborted", waitedMs: this.waited() });
  }

  private finish(o: WaitOutcome<T>): void {
    if (this.settled) return;
    this.settled = true;
    this.recheck?.cancel();
    this.inbox.forget(this);
    this.signal?.removeEventListener("abort", this);
    this.resolve(o);
  }
}
