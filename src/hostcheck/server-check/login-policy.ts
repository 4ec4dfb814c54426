/**
 * @module Readers of the login policy files: /etc/login.defs (`KEY VALUE`, login.defs(5)),
 * shell start-up files that set TMOUT (bash(1): `TMOUT=N`, `export`, `readonly`, `declare -r`
 * / `typeset -r`), PAM stacks (pam.conf(5): `type control module args`, `@include`), and
 * /etc/securetty. Pure: (text, file) → settings with their lines.
 */
import type { Parsed, Problem } from "./types.js";

/** A setting and where it was made. */
export interface Setting<T> {
  readonly value: T;
  readonly file: string;
  readonly line: number;
}

/**
 * login.defs as a map KEY → value (the last one wins, as shadow's getdef does).
 * @example parseLoginDefs("LOGIN_TIMEOUT 60\n", "/etc/login.defs").value.get("LOGIN_TIMEOUT")?.value // "60"
 */
export function parseLoginDefs(
  text: string,
  file: string,
): Parsed<ReadonlyMap<string, Setting<string>>> {
  const out = new Map<string, Setting<string>>();
  const problems: Problem[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (l === "" || l.startsWith("#")) return;
    const m = /^([A-Z0-9_]+)\s+(.*)$/.exec(l);
    if (!m?.[1]) problems.push({ file, line: i + 1, message: `not a "KEY value" line: ${l}` });
    else out.set(m[1], { value: (m[2] ?? "").trim().replace(/^"(.*)"$/, "$1"), file, line: i + 1 });
  });
  return { value: out, problems };
}

/** What one start-up file does to TMOUT. */
export interface TmoutFacts {
  /** The last assignment, with its value in seconds (undefined when not a number). */
  readonly set?: Setting<number | undefined> & { readonly text: string };
  /** Where TMOUT is made read-only (users cannot unset it then). */
  readonly readonly?: Setting<true>;
}

const ASSIGN =
  /^(?:(export|readonly|declare|typeset|local)\s+(?:-[a-zA-Z]+\s+)*)?TMOUT=("?)([^\s";]*)\2/;

/**
 * TMOUT in a shell file: the last assignment and whether it is read-only. Lines inside
 * conditions count as if they ran (reported as they are written).
 * @example parseTmout("TMOUT=600\nreadonly TMOUT\n", "/etc/profile.d/tmout.sh").value.set?.value // 600
 */
export function parseTmout(text: string, file: string): Parsed<TmoutFacts> {
  let set: TmoutFacts["set"];
  let ro: TmoutFacts["readonly"];
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    for (const stmt of raw.replace(/(^|\s)#.*/, "").split(/;|&&/)) {
      const l = stmt.trim();
      const m = ASSIGN.exec(l);
      if (m) {
        const n = /^\d+$/.test(m[3] ?? "") ? Number(m[3]) : undefined;
        set = { value: n, file, line, text: l };
        if (m[1] === "readonly" || (/^(declare|typeset)$/.test(m[1] ?? "") && /\s-\w*r/.test(l)))
          ro = { value: true, file, line };
      } else if (/^(readonly|declare\s+-\w*r\w*|typeset\s+-\w*r\w*)\s+(.*\s)?TMOUT(\s|$)/.test(l))
        ro = { value: true, file, line };
    }
  });
  return { value: { ...(set ? { set } : {}), ...(ro ? { readonly: ro } : {}) }, problems: [] };
}

/** One PAM line: its type, control, module (basename) and arguments. */
export interface PamLine {
  readonly file: string;
  readonly line: number;
  readonly type: string;
  readonly control: string;
  readonly module: string;
  readonly args: readonly string[];
}

/**
 * A PAM stack file: its module lines and its `@include`s (to read next, in order).
 * @example parsePam("auth optional pam_faildelay.so delay=3000000\n", "/etc/pam.d/login").value.lines[0]?.module // "pam_faildelay.so"
 */
export function parsePam(
  text: string,
  file: string,
): Parsed<{ lines: readonly PamLine[]; includes: readonly { name: string; line: number }[] }> {
  const lines: PamLine[] = [];
  const includes: { name: string; line: number }[] = [];
  const problems: Problem[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.replace(/#.*/, "").trim();
    if (l === "") return;
    const inc = /^@include\s+(\S+)$/.exec(l);
    if (inc?.[1]) {
      includes.push({ name: inc[1], line: i + 1 });
      return;
    }
    const m = /^-?(auth|account|password|session)\s+(\[[^\]]*\]|\S+)\s+(\S+)\s*(.*)$/.exec(l);
    if (!m) {
      problems.push({ file, line: i + 1, message: `not a PAM line: ${l}` });
      return;
    }
    const module = (m[3] ?? "").split("/").at(-1) ?? "";
    const args = (m[4] ?? "").split(/\s+/).filter((w) => w !== "");
    lines.push({ file, line: i + 1, type: m[1] ?? "", control: m[2] ?? "", module, args });
  });
  return { value: { lines, includes }, problems };
}

/**
 * /etc/securetty: the terminals root may log in on (one a line, `#` comments).
 * @example parseSecuretty("console\ntty1\n", "/etc/securetty").value // ["console", "tty1"]
 */
export function parseSecuretty(text: string, _file: string): Parsed<readonly string[]> {
  return {
    value: text
      .split("\n")
      .map((l) => l.replace(/#.*/, "").trim())
      .filter((l) => l !== ""),
    problems: [],
  };
}
