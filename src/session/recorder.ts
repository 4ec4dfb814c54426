/**
 * @module The session's event bus: stamps each trace event with `t` (ms since start, from the
 * Clock) and hands it to subscribers (writers, renderers, the diagnosis). Observe, don't steer.
 * It also keeps a bounded log for the diagnosis: every non-data event, and data events with
 * their text cut to a tail, at most `maxLogged` events (the first ones and the latest ones).
 */
import type { TraceEvent } from "../trace/events.js";
import type { Clock } from "./clock.js";

/** A trace event before it is stamped. */
export type Unstamped<E = TraceEvent> = E extends TraceEvent ? Omit<E, "t"> : never;

export type Listener = (event: TraceEvent) => void;

const TEXT_TAIL = 2048;
const TEXT_TAIL_LATER = 256;

/**
 * A copy of a string that does not share its parent's memory. V8 keeps a slice of a long
 * string as a view of the whole: a log of 64-character slices of 128 KiB hex strings would
 * keep every one of them alive (measured: 680 MB for a 256 MiB traced transfer).
 */
function detached(s: string): string {
  return Buffer.from(s, "utf16le").toString("utf16le");
}

export class Recorder {
  private readonly listeners: Listener[] = [];
  private readonly head: TraceEvent[] = [];
  private readonly tail: TraceEvent[] = [];
  private dropped = 0;
  private fullTextWanted = 0;
  private dataLogged = 0;
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
    this.listeners.push(listener);
    if (options.fullText) this.fullTextWanted++;
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i === -1) return;
      this.listeners.splice(i, 1);
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
    let kept = e;
    if (e.type === "data") {
      // The first data events keep a longer tail (banners, prompts); later ones a short one,
      // enough for the last lines the diagnosis reads, so a bulk transfer stays cheap.
      const cap = ++this.dataLogged <= 100 ? TEXT_TAIL : TEXT_TAIL_LATER;
      if (e.text.length > cap)
        kept = { ...e, text: detached(e.text.slice(-cap)), bytes: e.bytes ?? e.text.length };
    } else if ((e.type === "read" || e.type === "write") && e.hex.length > 64)
      kept = { ...e, hex: detached(e.hex.slice(0, 64)) };
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
