/**
 * @module The YAML side of the monitor config: the text parsed with positions kept, syntax
 * errors (tabs, bad indentation, duplicate keys) as problems with their line, and a way to find
 * the `FILE:LINE:COL` of any setting by its path, so every later problem can say where it is.
 */
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
  type YAMLError,
} from "yaml";
import type { ConfigProblem } from "./config-error.js";

/** A parsed config file: its plain value and where each setting sits. */
export interface YamlSource {
  /** The document as plain data (undefined for an empty file). */
  readonly value: unknown;
  /** Syntax errors: when there is any, `value` is not to be trusted. */
  readonly syntax: readonly ConfigProblem[];
  /**
   * `FILE:LINE:COL` of the setting at `path` (its key when `at` is "key"); of the nearest
   * enclosing setting when the path is not in the file (a missing key).
   */
  where(path: readonly PropertyKey[], at?: "key" | "value"): string;
}

/** What YAML's own messages say, in our words where they are common. */
const SYNTAX_WORDS: Readonly<Record<string, string>> = {
  DUPLICATE_KEY: "a key appears twice in the same mapping: keep one",
  TAB_AS_INDENT: "a tab is used for indentation: YAML indents with spaces",
  BAD_INDENT: "the indentation is wrong here: items of one list or mapping line up",
  BLOCK_AS_IMPLICIT_KEY: "the indentation is wrong here (or a `:` is missing its space)",
  MULTILINE_IMPLICIT_KEY: "a key runs over more than one line: check the indentation above",
};

function yamlMessage(e: YAMLError, text: string): string {
  const own = SYNTAX_WORDS[e.code];
  const theirs = (e.message.split("\n")[0] ?? "").replace(/ at line \d+, column \d+:?$/, "");
  if (e.code === "DUPLICATE_KEY") {
    const key = /^[^:\n]*/.exec(text.slice(e.pos[0]))?.[0].trim();
    return key ? `the key "${key}" appears twice in the same mapping: keep one` : own;
  }
  const hint = e.code === "MISSING_CHAR" ? ": check the indentation and the quotes" : "";
  return `YAML syntax: ${own ?? theirs.charAt(0).toLowerCase() + theirs.slice(1) + hint}`;
}

/** Walk the node tree along `path` as far as it goes. */
function walk(root: unknown, path: readonly PropertyKey[]): { node: Node; pair?: Pair } {
  let node = root as Node;
  let pair: Pair | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const found = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(part));
      if (!found) return { node };
      if (!found.value) return { node: found.key as Node, pair: found };
      pair = found;
      node = found.value as Node;
    } else if (isSeq(node) && typeof part === "number" && node.items[part]) {
      pair = undefined;
      node = node.items[part] as Node;
    } else break;
  }
  return { node, pair };
}

/**
 * Parse a config's text; positions are reported against `file` as given.
 * @example readYaml("targets:\n  - host: sw1\n", "m.yaml").where(["targets", 0, "host"]) // "m.yaml:2:11"
 */
export function readYaml(text: string, file: string): YamlSource {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const syntax: ConfigProblem[] = doc.errors.map((e) => ({
    where: at(e.pos[0]),
    path: "",
    message: yamlMessage(e, text),
  }));
  let value: unknown;
  if (syntax.length === 0) {
    try {
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      syntax.push({ where: at(0), path: "", message: `YAML: ${(e as Error).message}` });
    }
  }
  return {
    value,
    syntax,
    where(path, side = "value") {
      const { node, pair } = walk(doc.contents, path);
      const keyNode = side === "key" && pair && isScalar(pair.key) ? pair.key : undefined;
      const range = keyNode?.range ?? node?.range;
      return at(range ? range[0] : 0);
    },
  };
}
