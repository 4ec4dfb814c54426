/**
 * @module The "after a password prompt" state of a client session, in one place. When the
 * server's unfinished last line asks for a secret (`Password:`, `PIN:`..., see
 * util/secret-prompt.ts), what the user sends next, up to and including the line end (CR or
 * LF), is a secret: the session sends it, but records only a fixed placeholder, once per line,
 * so the records reveal neither the bytes nor their length. A server that turns echo off
 * (WILL ECHO) right after the prompt changes nothing: the prompt is still the last line.
 */
import { asksForSecret } from "../util/secret-prompt.js";
import { drawLine } from "./output.js";

/** What every record shows for a secret line: text, raw bytes, byte counts, pcap payload. */
export const MASK = "********";

/** The server's last line is kept to this many characters (a prompt is short). */
const LINE_KEPT = 256;

/** One call's bytes, split: the secret part (if any) and what follows it (sent in clear). */
export interface SecretCut {
  readonly secret?: Buffer;
  /** True when the secret part ends the line (its record is due now). */
  readonly lineEnded: boolean;
  readonly rest?: Buffer;
}

/** Where the line ends in `raw`: the index after CR LF, CR NUL, CR or LF; -1 if it does not. */
export function lineEndAfter(raw: Buffer): number {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === 0x0a) return i + 1;
    if (c === 0x0d) return raw[i + 1] === 0x0a || raw[i + 1] === 0x00 ? i + 2 : i + 1;
  }
  return -1;
}

/**
 * Tracks the server's last line and whether the user is typing a secret.
 * @example
 * const s = new SecretLine();
 * s.serverText("lab login: demo\r\nPassword: ");
 * s.cut(Buffer.from("hunter2\r\nls\r\n"), false); // secret "hunter2\r\n", rest "ls\r\n"
 */
export class SecretLine {
  private line = "";
  /** The prompt on the current server line has been answered (a line end went out after it). */
  private answered = false;
  private typing = false;

  /** The server's unfinished last line, as received (at most LINE_KEPT characters). */
  get serverLine(): string {
    return this.line;
  }

  /** True while what the user sends is a secret. */
  get active(): boolean {
    return this.typing;
  }

  /** Server text (latin1), as it arrives. */
  serverText(text: string): void {
    const lf = text.lastIndexOf("\n");
    if (lf !== -1) this.answered = false;
    const line = lf === -1 ? this.line + text : text.slice(lf + 1);
    this.line = line.length > LINE_KEPT ? line.slice(-LINE_KEPT) : line;
    if (!this.typing && !this.answered && asksForSecret(drawLine(this.line))) this.typing = true;
  }

  /**
   * Split what the user sends. `masked`: the caller says all of it is a secret (login()).
   * Otherwise, while a secret is being typed, the bytes through the line end are.
   */
  cut(raw: Buffer, masked: boolean): SecretCut {
    if (masked) {
      this.endLine();
      return { secret: raw, lineEnded: true };
    }
    if (!this.typing) return { lineEnded: false, rest: raw };
    const end = lineEndAfter(raw);
    if (end === -1) return { secret: raw, lineEnded: false };
    this.endLine();
    return end === raw.length
      ? { secret: raw, lineEnded: true }
      : { secret: raw.subarray(0, end), lineEnded: true, rest: raw.subarray(end) };
  }

  private endLine(): void {
    this.typing = false;
    this.answered = true;
  }
}
