/**
 * @module Piped stdin for `teldoc connect` (`printf 'user\npass\nls\nexit\n' | teldoc connect h`).
 * Input sent ahead of the server's prompts would reach its password prompt early: recorded in
 * clear (the mask starts at the prompt, session/secret-line.ts), and thrown away by login
 * programs that flush type-ahead when they turn echo off. So during the login dialogue each
 * line waits for the server's next prompt. From the first shell prompt on, or when the server
 * says nothing at all for a second (no login dialogue: HTTP, SMTP...), the rest goes as it comes.
 */
import { endsWithShellPrompt, promptAtEnd, stripControls } from "../diagnosis/index.js";
import type { ClientSession } from "../session/client.js";
import { lineEndAfter } from "../session/secret-line.js";

/** Without a prompt, the server's turn is over after this much quiet. */
export const PIPED_QUIET_MS = 1000;

/**
 * Feed `input` to the session, paced by the login prompts; `done` runs once all of it was sent
 * after the input ended.
 * @example feedPipedInput(session, process.stdin, () => session.close("stdin-eof"));
 */
export function feedPipedInput(
  session: ClientSession,
  input: NodeJS.ReadableStream,
  done: () => void,
): void {
  const feeder = new PipedInput(session, input, done);
  session.onData(() => feeder.heard());
  input.on("data", (chunk: Buffer) => feeder.more(chunk));
  input.once("end", () => feeder.more(undefined));
  input.resume();
}

class PipedInput {
  private pending: Buffer = Buffer.alloc(0);
  private pacing = true;
  private inputEnded = false;
  private finished = false;
  /** When our last line went out (session ms); the server's turn starts there. */
  private sentAt = Number.NEGATIVE_INFINITY;
  /** When the server last sent data (not just negotiation); its banner may be here already. */
  private heardAt: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly session: ClientSession,
    private readonly input: NodeJS.ReadableStream,
    private readonly done: () => void,
  ) {
    this.heardAt = session.serverLine !== "" ? session.lastInAt : Number.NEGATIVE_INFINITY;
  }

  /** The server sent data. */
  heard(): void {
    this.heardAt = this.session.lastInAt;
    this.pump();
  }

  /** More input, or its end (undefined). */
  more(chunk: Buffer | undefined): void {
    if (chunk === undefined) this.inputEnded = true;
    else this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    this.pump();
  }

  private pump(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0 && this.session.connected && this.sendNext());
    // Lines waiting for their prompt need no more input yet: let the pipe hold the rest.
    if (this.pacing && lineEndAfter(this.pending) !== -1) this.input.pause();
    else this.input.resume();
    if (this.inputEnded && (this.pending.length === 0 || !this.session.connected)) {
      if (!this.finished) this.done();
      this.finished = true;
    }
  }

  /** Send what may go now; false when the rest has to wait. */
  private sendNext(): boolean {
    const heard = this.heardAt > this.sentAt;
    const line = stripControls(this.session.serverLine);
    if (this.pacing && heard && endsWithShellPrompt(line)) this.pacing = false;
    if (!this.pacing) {
      this.session.send(this.pending);
      this.pending = Buffer.alloc(0);
      return false;
    }
    const end = lineEndAfter(this.pending);
    if (end === -1 && !this.inputEnded) return false;
    if (heard && promptAtEnd(line) !== undefined) {
      this.sendLine(end);
      return true;
    }
    const since = Math.max(this.heardAt, this.sentAt, 0);
    const wait = since + PIPED_QUIET_MS - this.session.recorder.elapsed();
    this.timer = setTimeout(() => this.quiet(), Math.max(0, wait)).unref();
    return false;
  }

  /** The server said nothing for PIPED_QUIET_MS after its last data or our last line. */
  private quiet(): void {
    this.timer = undefined;
    // It said something that is no prompt we know ("Press RETURN"): answer with one line.
    // It said nothing at all: it does not talk in turns, so stop pacing.
    if (this.heardAt > this.sentAt) this.sendLine(lineEndAfter(this.pending));
    else this.pacing = false;
    this.pump();
  }

  /** Send the first line (through `end`; -1: all that is pending). */
  private sendLine(end: number): void {
    const at = end === -1 ? this.pending.length : end;
    this.session.send(this.pending.subarray(0, at));
    this.pending = this.pending.subarray(at);
    this.sentAt = this.session.recorder.elapsed();
  }
}
