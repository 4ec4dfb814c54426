/**
 * @module The session's event bus: stamps each trace event with `t` (ms since start, from the
 * Clock) and hands it to subscribers (writers, renderers, the diagnosis). Observe, don't steer.
 * It also keeps a bounded log for the diagnosis: every non-data event, and data events with
 * their text cut to a tail, at most `maxLogged` events (the first ones and the latest ones).
 * After the first 100, incoming data (and read) events less than 1 s apart merge into one:
 * bytes add up, the text keeps its tail, `t` is the latest — silences stay visible.
 */
import type { DataEvent, IoEvent, TraceEvent } from "../trace/events.js";
import type { Clock } from "./clock.js";

/** A trace event before it is stamped. */
export type Unstamped<E = TraceEvent> = E extends TraceEvent ? Omit<E, "t"> : never;

export type Listener = (event: TraceEvent) => void;

const TEXT_TAIL = 2048;
const TEXT_TAIL_LATER = 256;
/** Incoming data and read events logged one by one before runs of them are merged. */
const FULL_EVENTS = 100;
/** Incoming events closer than this to the previous one join its run (bulk output). */
const MERGE_MS = 1000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * A copy of a string that does not share its parent's memory. V8 keeps a slice of a long
 * string as a view of the whole: a log of 64-character slices of 128 KiB hex strings would
 * keep every one of them alive (measured: 680 MB for a 256 MiB traced transfer).
 */
function detached(s: string): string {
  return Buffer.from(s, "utf16le").toString("utf16le");
}

/** A slice keeps its parent alive: copy only when the parent is big enough to matter. */
const DETACH_ABOVE = 4096;

/** The first `cap` characters of `text`, not holding on to a long parent. */
function headOf(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const h = text.slice(0, cap);
  return text.length > DETACH_ABOVE ? detached(h) : h;
}

/** The last `cap` characters of `text`, not holding on to a long parent. */
function tailOf(text: string, cap: number): string {
  if (text.length <= cap) return text;
  const t = text.slice(-cap);
  return text.length > DETACH_ABOVE ? detached(t) : t;
}

export class Recorder {
  private listeners: readonly Listener[] = [];
  private readonly head: TraceEvent[] = [];
  private readonly tail: TraceEvent[] = [];
  private dropped = 0;
  private fullTextWanted = 0;
  private dataLogged = 0;
  private readsLogged = 0;
  /** The logged event a run of incoming data is merged into (bulk output). */
  private openData: Mutable<DataEvent> | undefined;
  private openRead: Mutable<IoEvent> | undefined;
  readonly start: number;

  constructor(
    readonly clock: Clock,
    private readonly maxLogged = 20_000,
  ) {
    this.start = clock.now();
  }

  /** Milliseconds since the session started. */
  elapsed(): number {
    return Math.round((this.clock.now() - this.start) * 1000) / 1000;
  }

  /**
   * Receive every event. `fullText`: the listener needs the whole text of data events (JSON
   * output does; a trace with raw bytes does not, and the log keeps only tails).
   */
  subscribe(listener: Listener, options: { fullText?: boolean } = {}): () => void {
    // A new array on every change: a listener that subscribes or unsubscribes while an event
    // is handed out changes nothing for that event (the others still get it).
    this.listeners = [...this.listeners, listener];
    if (options.fullText) this.fullTextWanted++;
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i === -1) return;
      this.listeners = [...this.listeners.slice(0, i), ...this.listeners.slice(i + 1)];
      if (options.fullText) this.fullTextWanted--;
    };
  }

  /** True when a listener needs the whole text of every data event. */
  get wantsFullText(): boolean {
    return this.fullTextWanted > 0;
  }

  emit(event: Unstamped): TraceEvent {
    const stamped = { t: this.elapsed(), ...event } as TraceEvent;
    for (const l of this.listeners) l(stamped);
    this.log(stamped);
    return stamped;
  }

  /** The bounded log, in order. */
  events(): TraceEvent[] {
    return [...this.head, ...this.tail];
  }

  /** How many events the log left out (the middle of a very long session). */
  get droppedCount(): number {
    return this.dropped;
  }

  private log(e: TraceEvent): void {
    if (e.type === "data" && e.dir === "in") {
      // The first data events keep a longer tail (banners, prompts); later ones a short one,
      // enough for the last lines the diagnosis reads, so a bulk transfer stays cheap.
      const n = ++this.dataLogged;
      const open = this.openData;
      if (n > FULL_EVENTS && open && e.t - open.t < MERGE_MS) {
        open.bytes = (open.bytes ?? open.text.length) + (e.bytes ?? e.text.length);
        open.text = tailOf(open.text + e.text, TEXT_TAIL_LATER);
        open.t = e.t;
        return;
      }
      const cap = n <= FULL_EVENTS ? TEXT_TAIL : TEXT_TAIL_LATER;
      // A run of incoming data may merge into this event later: then it must be our own copy.
      const mergeable = n >= FULL_EVENTS;
      const kept: Mutable<DataEvent> | DataEvent =
        e.text.length > cap
          ? { ...e, text: tailOf(e.text, cap), bytes: e.bytes ?? e.text.length }
          : mergeable
            ? { ...e }
            : e;
      this.push(kept);
      this.openData = mergeable ? (kept as Mutable<DataEvent>) : undefined;
      return;
    }
    if (e.type === "read") {
      const n = ++this.readsLogged;
      const open = this.openRead;
      if (n > FULL_EVENTS && open && e.t - open.t < MERGE_MS) {
        open.bytes += e.bytes;
        open.t = e.t;
        return;
      }
      const kept: Mutable<IoEvent> = {
        ...e,
        hex: headOf(e.hex, 64),
      };
      this.push(kept);
      this.openRead = n >= FULL_EVENTS ? kept : undefined;
      return;
    }
    // Anything else ends a run of incoming data: its time is a fact of its own.
    this.openData = undefined;
    this.openRead = undefined;
    if (e.type === "write" && e.hex.length > 64) this.push({ ...e, hex: headOf(e.hex, 64) });
    else if (e.type === "data" && e.text.length > TEXT_TAIL)
      this.push({
        ...e,
        text: tailOf(e.text, TEXT_TAIL),
        bytes: e.bytes ?? e.text.length,
      });
    else this.push(e);
  }

  private push(kept: TraceEvent): void {
    const half = this.maxLogged / 2;
    if (this.head.length < half) {
      this.head.push(kept);
      return;
    }
    this.tail.push(kept);
    if (this.tail.length > half * 1.5) {
      const cut = this.tail.length - half;
      this.tail.splice(0, cut);
      this.dropped += cut;
    }
  }
}
