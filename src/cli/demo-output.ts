/**
 * @module Where `teldoc demo` writes: stdout, a block at a time. On a TTY a last line shows the
 * cases still running, redrawn in place. A reader that goes away (`teldoc demo | head -3`)
 * aborts `signal`, so the demo stops its cases, closes its servers and ends quietly.
 */
import { setMaxListeners } from "node:events";

/** What the demo writes to: process.stdout, or a stand-in in tests. */
export interface DemoStream {
  write(text: string): boolean;
  on(event: "error", listener: (err: Error) => void): unknown;
  off(event: "error", listener: (err: Error) => void): unknown;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

export class DemoOutput {
  private readonly controller = new AbortController();
  private readonly running = new Set<string>();
  private readonly timer: NodeJS.Timeout | undefined;
  private shown = false;
  private readonly onError = () => {
    // EPIPE (the reader went away) or another write error: nobody reads us any more.
    this.controller.abort();
  };

  /** `live`: show the running cases on the last line (a TTY, not --json). */
  constructor(
    private readonly stream: DemoStream,
    private readonly live: boolean,
    private readonly t0 = Date.now(),
  ) {
    // Every case listens for the abort (sessions, labs, the checklist's checks).
    setMaxListeners(200, this.controller.signal);
    stream.on("error", this.onError);
    if (live) this.timer = setInterval(() => this.redraw(), 250).unref();
  }

  /** Aborted when the output is gone: stop every case. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** True once nobody reads the output. */
  get gone(): boolean {
    return this.controller.signal.aborted;
  }

  /** Write a block (above the running line, which is drawn again under it). */
  write(text: string): void {
    if (this.gone) return;
    this.clear();
    this.stream.write(text);
    this.redraw();
  }

  /** Show `name` as running until `work` settles; resolves or rejects as `work` does. */
  track<T>(name: string, work: Promise<T>): Promise<T> {
    this.running.add(name);
    this.redraw();
    return work.finally(() => {
      this.running.delete(name);
      this.redraw();
    });
  }

  /** Stop redrawing, clear the running line, stop listening for write errors. */
  close(): void {
    if (this.timer) clearInterval(this.timer);
    this.clear();
    this.stream.off("error", this.onError);
  }

  private clear(): void {
    if (!this.shown || this.gone) return;
    this.stream.write("\r\u001b[2K");
    this.shown = false;
  }

  private redraw(): void {
    if (!this.live || this.gone) return;
    if (this.running.size === 0) {
      this.clear();
      return;
    }
    const secs = ((Date.now() - this.t0) / 1000).toFixed(0);
    const line = `… ${secs} s, still running (${this.running.size}): ${[...this.running].join(", ")}`;
    const width = (this.stream.columns ?? 80) - 1;
    const cut = line.length > width ? `${line.slice(0, width - 1)}…` : line;
    this.stream.write(`\r\u001b[2K${cut}`);
    this.shown = true;
  }
}
