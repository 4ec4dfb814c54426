/**
 * @module Reader of xinetd's configuration (xinetd.conf(5)): a `defaults` block, `service NAME`
 * blocks of `attribute = value` lines (`+=` adds to a list, `-=` removes), `includedir DIR` and
 * `includefile FILE`, `#` comments. A `{` may stand on the service line or on its own. Pure:
 * (text, file) → blocks with the line of each attribute; unreadable lines are problems.
 */
import type { Parsed, Problem } from "./types.js";

/** One attribute as last set, with the line that set it. */
export interface XinetdAttr {
  readonly values: readonly string[];
  readonly line: number;
}

/** A `defaults` or `service` block. */
export interface XinetdBlock {
  readonly kind: "defaults" | "service";
  /** The service name; "defaults" for the defaults block. */
  readonly name: string;
  readonly file: string;
  readonly line: number;
  readonly attrs: ReadonlyMap<string, XinetdAttr>;
}

/** What one file says: its blocks and the files and folders it pulls in. */
export interface XinetdFile {
  readonly blocks: readonly XinetdBlock[];
  readonly includes: readonly { kind: "dir" | "file"; path: string; line: number }[];
}

/** Attributes whose value is a list that `+=` and `-=` change. */
const LISTS = new Set([
  "only_from",
  "no_access",
  "log_on_success",
  "log_on_failure",
  "disabled",
  "enabled",
  "env",
  "passenv",
  "flags",
  "access_times",
]);

interface Open {
  kind: "defaults" | "service";
  name: string;
  line: number;
  attrs: Map<string, XinetdAttr>;
  opened: boolean;
}

function setAttr(block: Open, key: string, op: string, values: string[], line: number): void {
  const before = block.attrs.get(key)?.values ?? [];
  const next =
    op === "+=" && LISTS.has(key)
      ? [...before, ...values]
      : op === "-=" && LISTS.has(key)
        ? before.filter((v) => !values.includes(v))
        : values;
  block.attrs.set(key, { values: next, line });
}

/** A line outside any block: a block's start, an include, or a problem. */
function topLevel(
  words: string[],
  lineNo: number,
  out: { includes: XinetdFile["includes"][number][] },
): Open | string | undefined {
  const [head, arg, brace] = words;
  if (head === "defaults" && (arg === undefined || arg === "{"))
    return {
      kind: "defaults",
      name: "defaults",
      line: lineNo,
      attrs: new Map(),
      opened: arg === "{",
    };
  if (head === "service" && arg !== undefined && (brace === undefined || brace === "{"))
    return { kind: "service", name: arg, line: lineNo, attrs: new Map(), opened: brace === "{" };
  if ((head === "includedir" || head === "includefile") && arg !== undefined) {
    out.includes.push({ kind: head === "includedir" ? "dir" : "file", path: arg, line: lineNo });
    return undefined;
  }
  return `not a block or an include: ${words.join(" ")}`;
}

/**
 * The blocks and includes of one xinetd file.
 * @example parseXinetd("service telnet\n{\n disable = no\n}\n", "/etc/xinetd.d/telnet").value.blocks[0]?.name // "telnet"
 */
export function parseXinetd(text: string, file: string): Parsed<XinetdFile> {
  const blocks: XinetdBlock[] = [];
  const out = { includes: [] as XinetdFile["includes"][number][] };
  const problems: Problem[] = [];
  let open: Open | undefined;
  const close = () => {
    if (open)
      blocks.push({ kind: open.kind, name: open.name, file, line: open.line, attrs: open.attrs });
    open = undefined;
  };
  text.split("\n").forEach((raw, i) => {
    const line = i + 1;
    const l = raw.replace(/#.*/, "").trim();
    if (l === "") return;
    const words = l.split(/\s+/);
    if (!open) {
      const r = topLevel(words, line, out);
      if (typeof r === "string") problems.push({ file, line, message: r });
      else open = r;
      return;
    }
    if (!open.opened) {
      if (l === "{") open.opened = true;
      else {
        problems.push({ file, line, message: `expected "{" after "${open.kind} ${open.name}"` });
        open = undefined;
      }
      return;
    }
    if (l === "}") {
      close();
      return;
    }
    const m = /^([A-Za-z_]+)\s*(\+=|-=|=)\s*(.*)$/.exec(l);
    if (!m?.[1] || !m[2]) {
      problems.push({ file, line, message: `not an attribute line: ${l}` });
      return;
    }
    setAttr(
      open,
      m[1],
      m[2],
      (m[3] ?? "").split(/\s+/).filter((w) => w !== ""),
      line,
    );
  });
  if (open) {
    problems.push({
      file,
      line: open.line,
      message: `"${open.kind} ${open.name}" is never closed with "}"`,
    });
    open = undefined;
  }
  return { value: { blocks, includes: out.includes }, problems };
}
