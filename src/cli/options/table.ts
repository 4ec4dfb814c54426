/**
 * @module Commands as typed tables, in the manner of vitest's CLI: each option is declared once,
 * with its flags, its help line and its default, and the table builds both commander's
 * definition (`defineCommand`) and the type of the flags the command receives (`FlagsOf`).
 */
import type { Command, CommandOptions } from "commander";
import { Option } from "commander";

/** One option: commander's flags (`-q, --quiet`, `--gap <dur>`), its help line, its default. */
export interface OptionSpec {
  readonly flags: string;
  readonly help: string;
  /**
   * The default as it is typed on the command line, shown as `(default: 10s)`. It is shown,
   * not given to commander: a flag left out arrives as undefined and the command applies the
   * default from the layer that owns it (or, for the CLI's own settings, from this table).
   */
  readonly default?: string;
}

/** A command's options; each key is the name commander gives the flag (`--dead-peer`: deadPeer). */
export type OptionTable = Readonly<Record<string, OptionSpec>>;

/** A positional argument: `<host>` (required) or `[port]` (optional). */
export interface ArgumentSpec {
  readonly name: string;
  readonly help: string;
  readonly default?: string;
}

/** A command: its name, one line on what it does, its arguments and options, help after them. */
export interface CommandSpec {
  readonly name: string;
  readonly description: string;
  readonly arguments?: readonly ArgumentSpec[];
  readonly options: OptionTable;
  /** Printed under the options by `--help` (examples, lists). */
  readonly after?: string;
}

/**
 * The flags a command receives from a table: a string for an option that takes a value, a
 * boolean for a switch (`--no-color` gives `color`), undefined when left out.
 */
export type FlagsOf<T extends OptionTable> = {
  readonly [K in keyof T]?: T[K]["flags"] extends `${string}<${string}>` ? string : boolean;
};

const withDefault = (help: string, value: string | undefined) =>
  value === undefined ? help : `${help} (default: ${value})`;

/**
 * Add a table's options to `cmd`. A key that is not commander's name for its flag is a
 * programming error, thrown when the program is built (every CLI test builds it).
 */
export function addOptions(cmd: Command, table: OptionTable): Command {
  for (const [key, spec] of Object.entries(table)) {
    const option = new Option(spec.flags, withDefault(spec.help, spec.default));
    if (option.attributeName() !== key)
      throw new Error(
        `option table: ${spec.flags} arrives as ${option.attributeName()}, not ${key}`,
      );
    cmd.addOption(option);
  }
  return cmd;
}

/**
 * The long flag of an option, as typed: `--dead-peer` for `--dead-peer <dur>`.
 * @example longFlag({ flags: "-q, --quiet", help: "print less" }) // "--quiet"
 */
export function longFlag(spec: OptionSpec): string {
  const option = new Option(spec.flags);
  return option.long ?? option.flags;
}

/**
 * Add the command `spec` describes under `parent`; the caller adds the action.
 * @example defineCommand(program, DEMO).action(...)
 */
export function defineCommand(parent: Command, spec: CommandSpec, opts?: CommandOptions): Command {
  const cmd = parent.command(spec.name, opts).description(spec.description);
  for (const a of spec.arguments ?? []) cmd.argument(a.name, withDefault(a.help, a.default));
  addOptions(cmd, spec.options);
  if (spec.after !== undefined) cmd.addHelpText("after", spec.after);
  return cmd;
}

/**
 * A duration as people type it, for a default in help: the largest whole unit, with the
 * thresholds of formatMs (seconds up to 2 minutes, minutes up to 2 hours).
 * @example durationFlag(30_000) // "30s"; durationFlag(300_000) // "5m"
 */
export function durationFlag(ms: number): string {
  if (ms >= 7_200_000 && ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms >= 120_000 && ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
