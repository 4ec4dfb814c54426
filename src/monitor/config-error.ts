/**
 * @module A bad monitor config, with every problem in it: each names where it is (`FILE:LINE:COL`),
 * the setting's path (`targets[2].port`) and what is wrong with the fix. One error carries them
 * all, so the user fixes the file in one go.
 */
import { TeldocError } from "../errors.js";

/** One thing wrong with a config. */
export interface ConfigProblem {
  /** `monitor.yaml:12:7` (or the flag, for a plan made from flags: `--target`). */
  readonly where: string;
  /** The setting: `targets[2].port`; "" for the file as a whole. */
  readonly path: string;
  /** What is wrong and how to fix it. */
  readonly message: string;
}

/**
 * The line a person reads for one problem.
 * @example formatProblem({ where: "m.yaml:12:7", path: "targets[2].port", message: "must be..." })
 * // "m.yaml:12:7 targets[2].port: must be..."
 */
export function formatProblem(p: ConfigProblem): string {
  return p.path === "" ? `${p.where} ${p.message}` : `${p.where} ${p.path}: ${p.message}`;
}

/** TELDOC_ERR_BAD_CONFIG with the list of problems; the message has one line per problem. */
export class ConfigError extends TeldocError {
  readonly problems: readonly ConfigProblem[];

  constructor(problems: readonly ConfigProblem[]) {
    super("TELDOC_ERR_BAD_CONFIG", problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/** A config path as people write it: `["targets", 2, "port"]` → `targets[2].port`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out;
}
