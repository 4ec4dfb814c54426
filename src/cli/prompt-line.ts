/**
 * @module The `teldoc>` prompt's line editor, sans I/O: keystrokes (raw terminal bytes) in, the
 * echo to draw and, once the line is over, how it ended and the bytes typed after it (they
 * belong to the session). The terminal stays in raw mode at the prompt, so Ctrl-C and Ctrl-D
 * are bytes here, never signals: no mode switch can leave the terminal half set.
 */

/** How a prompt line ended: Enter, Ctrl-C (cancel), or Ctrl-D on an empty line (end of input). */
export type LineEnd =
  | { readonly kind: "line"; readonly line: string }
  | { readonly kind: "cancel" }
  | { readonly kind: "eof" };

export interface LineStep {
  /** What to write to the terminal: the typed characters, erasures, the newline. */
  readonly echo: string;
  /** Set once the line is over; the editor takes no more input after it. */
  readonly end?: LineEnd;
  /** The bytes after the end of the line, unread: they go back to the session. */
  readonly rest?: Buffer;
}

const CR = 0x0d;
const LF = 0x0a;
const CTRL_C = 0x03;
const CTRL_D = 0x04;
const CTRL_U = 0x15;
const CTRL_W = 0x17;
const BACKSPACE = 0x08;
const DEL = 0x7f;
const ESC = 0x1b;

/** Length of an escape sequence at `at` (arrows, function keys: ignored at the prompt). */
function escapeLength(chunk: Buffer, at: number): number {
  const next = chunk[at + 1];
  if (next === 0x5b /* [ */) {
    let i = at + 2;
    while (i < chunk.length && !(chunk[i] >= 0x40 && chunk[i] <= 0x7e)) i++;
    return Math.min(chunk.length, i + 1) - at;
  }
  if (next === 0x4f /* O */) return Math.min(3, chunk.length - at);
  return next === undefined ? 1 : 2;
}

/**
 * One prompt line. Printable text (UTF-8 too) is kept and echoed; Backspace/DEL erase a
 * character, Ctrl-U the line, Ctrl-W a word; other control keys are ignored.
 * @example const step = new PromptLine().feed(Buffer.from("status\r")); // end: line "status"
 */
export class PromptLine {
  private readonly chars: string[] = [];
  private pending = Buffer.alloc(0);
  private over = false;

  feed(chunk: Buffer): LineStep {
    if (this.over) return { echo: "", rest: chunk };
    let echo = "";
    let i = 0;
    while (i < chunk.length) {
      const b = chunk[i];
      if (b === CR || b === LF) {
        // Enter is CR in raw mode; a CR LF pair is one line end.
        const after = b === CR && chunk[i + 1] === LF ? i + 2 : i + 1;
        return this.finish(`${echo}\r\n`, { kind: "line", line: this.text() }, chunk, after);
      }
      if (b === CTRL_C) return this.finish(`${echo}^C\r\n`, { kind: "cancel" }, chunk, i + 1);
      if (b === CTRL_D && this.chars.length === 0)
        return this.finish(`${echo}\r\n`, { kind: "eof" }, chunk, i + 1);
      if (b === ESC) {
        i += escapeLength(chunk, i);
        continue;
      }
      echo += this.key(b);
      i++;
    }
    return { echo };
  }

  /** The line as typed so far. */
  text(): string {
    return this.chars.join("");
  }

  private finish(echo: string, end: LineEnd, chunk: Buffer, after: number): LineStep {
    this.over = true;
    return after < chunk.length ? { echo, end, rest: chunk.subarray(after) } : { echo, end };
  }

  /** One byte that is neither a line end nor an escape sequence: its echo. */
  private key(b: number): string {
    if (b === DEL || b === BACKSPACE) return this.erase(1);
    if (b === CTRL_U) return this.erase(this.chars.length);
    if (b === CTRL_W) return this.erase(this.wordLength());
    if (b < 0x20) return "";
    // UTF-8: gather a character's bytes, then keep it as one character.
    this.pending = Buffer.concat([this.pending, Buffer.of(b)]);
    const text = this.pending.toString("utf8");
    if (text.endsWith("\ufffd") && this.pending.length < 4 && b >= 0x80) return "";
    this.pending = Buffer.alloc(0);
    this.chars.push(...text);
    return text;
  }

  private erase(n: number): string {
    const count = Math.min(n, this.chars.length);
    this.chars.splice(this.chars.length - count, count);
    return "\b \b".repeat(count);
  }

  /** Ctrl-W: the spaces before the cursor and the word before them. */
  private wordLength(): number {
    let i = this.chars.length;
    while (i > 0 && this.chars[i - 1] === " ") i--;
    while (i > 0 && this.chars[i - 1] !== " ") i--;
    return this.chars.length - i;
  }
}
