/**
 * @module Reader of /etc/hosts.allow and /etc/hosts.deny (hosts_access(5), hosts_options(5)) as
 * tcpd reads them: a backslash before the newline joins lines; `#` in the first column makes a
 * comment (anywhere else it is a word); `daemons : clients [: option : option...]`, the colons
 * inside `[...]` not counting. A last line without a newline is an error to tcpd ("missing
 * newline"): see BrokenLine. Pure: (text, file) → rules with lines.
 */
import type { Parsed, Problem } from "./types.js";

/** One access rule, at the line where it starts. */
export interface AccessRule {
  readonly kind: "rule";
  readonly file: string;
  readonly line: number;
  /** The daemon list, as written (words split later, like tcpd). */
  readonly daemons: string;
  readonly clients: string;
  /** What follows the second colon (options, or a shell command), undefined when absent. */
  readonly options?: string;
  /** The rule as written (joined lines). */
  readonly text: string;
}

/**
 * A line tcpd cannot read to its end (no newline at the end of the file): when the scan gets
 * there without a match, the whole table answers "error" — hosts.allow then grants nothing,
 * hosts.deny denies every client (measured with tcpdmatch).
 */
export interface BrokenLine {
  readonly kind: "broken";
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

export type AccessEntry = AccessRule | BrokenLine;

/**
 * `text` cut at the first `delimiter` outside brackets, like tcpd's split_at().
 * @example splitAt("[::1]:ALL", ":") // ["[::1]", "ALL"]
 */
export function splitAt(text: string, delimiter: string): [string, string | undefined] {
  let bracket = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "[") bracket++;
    else if (c === "]") bracket--;
    else if (bracket === 0 && c === delimiter) return [text.slice(0, i), text.slice(i + 1)];
  }
  return [text, undefined];
}

/** Logical lines: continuation joined (backslash-newline removed), with the first line's number. */
function logicalLines(
  text: string,
  file: string,
): { lines: { line: number; text: string }[]; broken?: BrokenLine } {
  const physical = text.split("\n");
  // After the last newline: "" when the file ends with one (or is empty), else a broken line.
  const complete = physical.at(-1) === "" ? physical.slice(0, -1) : physical;
  const lines: { line: number; text: string }[] = [];
  let broken: BrokenLine | undefined;
  let start = 0;
  let acc = "";
  for (let i = 0; i < complete.length; i++) {
    const l = complete[i] ?? "";
    const isLast = i === complete.length - 1 && complete.length === physical.length;
    if (acc === "") start = i + 1;
    if (isLast) {
      broken = { kind: "broken", file, line: start, message: "no newline at the end of the file" };
      break;
    }
    if (l.endsWith("\\")) {
      acc += l.slice(0, -1);
      continue;
    }
    lines.push({ line: start, text: acc + l });
    acc = "";
  }
  if (acc !== "" && !broken)
    broken = {
      kind: "broken",
      file,
      line: start,
      message: "the file ends inside a continued line",
    };
  return { lines, ...(broken ? { broken } : {}) };
}

/**
 * The rules of one hosts.allow or hosts.deny file, in order, and the lines tcpd skips.
 * @example parseHostsAccess("in.telnetd: 192.0.2.0/24\n", "/etc/hosts.allow").value[0]?.line // 1
 */
export function parseHostsAccess(text: string, file: string): Parsed<readonly AccessEntry[]> {
  const { lines, broken } = logicalLines(text, file);
  const problems: Problem[] = [];
  const rules: AccessEntry[] = [];
  for (const { line, text: l } of lines) {
    if (l.startsWith("#") || l.trim() === "") continue;
    const [daemons, rest] = splitAt(l, ":");
    if (rest === undefined) {
      problems.push({ file, line, message: `missing ":" separator, tcpd skips: ${l.trim()}` });
      continue;
    }
    const [clients, options] = splitAt(rest, ":");
    rules.push({
      kind: "rule",
      file,
      line,
      daemons,
      clients,
      ...(options !== undefined ? { options } : {}),
      text: l.trim(),
    });
  }
  if (broken) {
    rules.push(broken);
    problems.push({
      file,
      line: broken.line,
      message: `${broken.message}: tcpd cannot read this line and answers "error" when it gets there (hosts.deny then denies every client no earlier rule matched)`,
    });
  }
  return { value: rules, problems };
}
