/**
 * @module The interactive terminal, like the classic client: raw mode when the server echoes
 * (character mode), the terminal's own line editing otherwise; `^]` opens the `teldoc>` prompt
 * and every way out of it gives the keyboard back to the session; window changes go out with
 * NAWS; the terminal is restored on every way out of the program.
 */
import { Opt } from "../protocol/constants.js";
import type { ClientSession } from "../session/client.js";
import { ESCAPE_BYTE } from "./escape-help.js";
import { promptCommand } from "./prompt-commands.js";
import { type LineEnd, PromptLine } from "./prompt-line.js";

let restoreInstalled = false;

/** Put the terminal back as it was (safe to call more than once, and from an exit handler). */
export function restoreTerminal(): void {
  if (process.stdin.isTTY && process.stdin.isRaw) process.stdin.setRawMode(false);
}

/** Character mode when the server echoes; line mode (local echo and editing) otherwise. */
function characterMode(session: ClientSession): boolean {
  return session.telnet.enabled("remote", Opt.ECHO);
}

/** In line mode the terminal ends lines with LF; the NVT newline is CR LF. */
function toCrLf(chunk: Buffer): Buffer {
  return Buffer.from(chunk.toString("latin1").replace(/\r?\n/g, "\r\n"), "latin1");
}

/** Only the line end that delivered a line-mode line ending in `^]` (the terminal's, not typed). */
const DELIVERING_LINE_END = /^(?:\r\n|\r|\n)$/;

/**
 * The keyboard's side of a session: stdin to the server, or to the `teldoc>` prompt while it
 * is open. Reading never stops while the session lasts (nothing typed is left for the shell),
 * and the prompt keeps the terminal in raw mode, so Ctrl-C and Ctrl-D there are keys, not signals.
 */
class Keyboard {
  private prompt: PromptLine | undefined;
  /** The user asked to close: what is typed from now on goes nowhere. */
  private closing = false;
  private stopped = false;
  /** The cursor is at the start of a line: the prompt's last line ended, no server text since. */
  private atLineStart = false;
  private readonly unsubscribe: () => void;
  private readonly onData = (chunk: Buffer) => this.input(chunk);
  private readonly onResize = () =>
    this.session.resize({ width: process.stdout.columns, height: process.stdout.rows });

  constructor(
    private readonly session: ClientSession,
    private readonly ended: () => boolean,
  ) {
    this.unsubscribe = session.recorder.subscribe((e) => {
      if (e.type === "option" && e.option === "ECHO") this.applyMode();
      else if (e.type === "data" && e.dir === "in") this.atLineStart = false;
      else if (e.type === "closed") this.stop();
    });
    process.stdout.on("resize", this.onResize);
    this.applyMode();
    process.stdin.on("data", this.onData);
    process.stdin.resume();
  }

  /** The session is over: let go of stdin and the terminal. */
  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.unsubscribe();
    process.stdin.off("data", this.onData);
    process.stdout.off("resize", this.onResize);
    if (this.prompt) process.stdout.write("\r\n");
    this.prompt = undefined;
    restoreTerminal();
  }

  private applyMode(): void {
    if (!this.prompt && !this.stopped && process.stdin.isTTY)
      process.stdin.setRawMode(characterMode(this.session));
  }

  private input(chunk: Buffer): void {
    if (this.stopped || this.closing || this.ended()) return;
    if (this.prompt) {
      this.promptInput(chunk);
      return;
    }
    const at = chunk.indexOf(ESCAPE_BYTE);
    if (at === -1) {
      this.send(chunk);
      return;
    }
    if (at > 0) this.send(chunk.subarray(0, at));
    const rest = chunk.subarray(at + 1);
    // In line mode the terminal hands over `^]` only with the Enter after it (and has echoed it).
    if (!characterMode(this.session) && DELIVERING_LINE_END.test(rest.toString("latin1"))) {
      this.openPrompt("");
      return;
    }
    this.openPrompt(this.atLineStart ? "" : "\r\n");
    if (rest.length > 0) this.promptInput(rest);
  }

  private send(chunk: Buffer): void {
    this.session.send(characterMode(this.session) ? chunk : toCrLf(chunk));
  }

  private openPrompt(before: string): void {
    this.prompt = new PromptLine();
    if (process.stdin.isTTY) process.stdin.setRawMode(true);
    process.stdout.write(`${before}teldoc> `);
  }

  /** Keys typed at the prompt; what follows the line's end goes on to the session. */
  private promptInput(chunk: Buffer): void {
    const step = this.prompt?.feed(chunk);
    if (!step) return;
    if (step.echo) process.stdout.write(step.echo);
    if (!step.end) return;
    this.prompt = undefined;
    // The echo ended the line, and so does any reply.
    this.atLineStart = true;
    if (this.promptDone(step.end)) this.openPrompt("");
    else this.applyMode();
    if (step.rest) this.input(step.rest);
  }

  /** Act on the prompt's line; true when the prompt stays open. */
  private promptDone(end: LineEnd): boolean {
    if (end.kind === "cancel") return false;
    // Ctrl-D at the prompt closes the connection, as end of input does in the classic client.
    const reply =
      end.kind === "eof"
        ? promptCommand(this.session, "close")
        : promptCommand(this.session, end.line);
    if (reply.text) process.stdout.write(`${reply.text.replace(/\n/g, "\r\n")}\r\n`);
    if (this.session.closeRequested) this.closing = true;
    return reply.again && !this.closing;
  }
}

/** Run the terminal side of a session until it ends. */
export function runInteractive(session: ClientSession, ended: () => boolean): void {
  if (!restoreInstalled) {
    restoreInstalled = true;
    process.on("exit", restoreTerminal);
  }
  new Keyboard(session, ended);
}
