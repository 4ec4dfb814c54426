/** @module Text helpers for server output: ANSI stripping, line ends, prompts, quoting. */
import { asksForSecret } from "../util/secret-prompt.js";

const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]/g;
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]/g;

/**
 * Server text for people and patterns: ANSI escapes and control characters removed,
 * CR LF / CR NUL / lone CR turned into LF. Nothing is drawn: text that a CR or a backspace
 * would overwrite on a screen stays (evidence keeps every word the server sent; for what a
 * terminal shows, see session/output.ts's `cleanText`).
 * @example stripControls("\x1b[1mhi\x1b[0m\r\n") // "hi\n"
 */
export function stripControls(raw: string): string {
  return raw
    .replace(ANSI, "")
    .replace(/\r\n|\r\x00|\r/g, "\n")
    .replace(CONTROL, "");
}

/** True when the text has at least one visible character. */
export function hasPrintable(text: string): boolean {
  return /[\x21-\x7e\xa1-\xff]/.test(text);
}

/** The last line of a text (possibly empty or partial). */
function lastLine(text: string): string {
  const i = text.lastIndexOf("\n");
  return i === -1 ? text : text.slice(i + 1);
}

/**
 * The last non-empty line, trimmed, at most `max` characters.
 * @example lastNonEmptyLine("a\nb\n\n") // "b"
 */
export function lastNonEmptyLine(text: string, max = 200): string {
  const lines = text.split("\n");
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (line !== "") return line.slice(0, max);
  }
  return "";
}

const LOGIN_PROMPT = /(?:^|[\s\]>:])(?:login|user ?name|user(?: ?id)?)\s*:\s*$/i;
const SHELL_PROMPT = /[$#>%]\s?$/;

/** Which login prompt the text ends with, if any. */
export function promptAtEnd(text: string): "login" | "password" | undefined {
  const line = lastLine(text);
  if (line.length > 120) return undefined;
  if (asksForSecret(line)) return "password";
  if (LOGIN_PROMPT.test(line)) return "login";
  return undefined;
}

/** True when the text ends with something that looks like a shell or CLI prompt. */
export function endsWithShellPrompt(text: string): boolean {
  const line = lastLine(text);
  return line.trim() !== "" && line.length <= 120 && SHELL_PROMPT.test(line);
}

/** True when the text has a complete non-empty line (ended by a line feed). */
export function hasCompleteLine(text: string): boolean {
  return /[^\s][^\n]*\n/.test(text);
}

/**
 * The line of `text` that contains the match of `pattern`, trimmed and cut to `max`.
 * @example lineOf("a\nLogin incorrect\nlogin: ", /Login incorrect/) // "Login incorrect"
 */
export function lineOf(text: string, pattern: RegExp, max = 120): string | undefined {
  const m = pattern.exec(text);
  if (!m) return undefined;
  let start = text.lastIndexOf("\n", m.index) + 1;
  // A shell prompt before the message on the same line is not part of what the server said.
  if (/[$#>%]\s*$/.test(text.slice(start, m.index))) start = m.index;
  const endAt = text.indexOf("\n", m.index + m[0].length);
  const line = text.slice(start, endAt === -1 ? undefined : endAt).trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Keep the last `max` characters of a growing text. */
export function tail(text: string, max: number): string {
  return text.length > max ? text.slice(-max) : text;
}

/**
 * A text's non-empty lines, trimmed, on one line ("a / b"), cut to `max`.
 * @example oneLine("Goodbye.\n\nSee you.\n") // "Goodbye. / See you."
 */
export function oneLine(text: string, max = 160): string {
  const line = text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .join(" / ");
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
