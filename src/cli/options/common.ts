/**
 * @module What several commands take, declared once: the program's own switches (-q, -v,
 * --no-color), HOST [PORT] with --connect-timeout, and the login (--user, --password-env).
 */
import { SESSION_DEFAULTS } from "../../session/options.js";
import {
  type ArgumentSpec,
  type CommandSpec,
  durationFlag,
  type FlagsOf,
  type OptionSpec,
} from "./table.js";

/** On the program, so every command has them. */
const GLOBAL_OPTIONS = {
  color: { flags: "--no-color", help: "plain output, no colour" },
  quiet: { flags: "-q, --quiet", help: "print less" },
  verbose: { flags: "-v, --verbose", help: "print more" },
} as const;

export type GlobalFlags = FlagsOf<typeof GLOBAL_OPTIONS>;

/** The program: `teldoc --help`. */
export const PROGRAM = {
  name: "teldoc",
  description:
    "A Telnet client and troubleshooter that tells you why a session ended, with the evidence.",
  options: GLOBAL_OPTIONS,
  after: `
Exit codes: 0 success, 1 the connection ended abnormally or a check failed, 2 usage error.
Durations are written with a unit: 500ms, 10s, 5m, 2h (a bare 10 is an error); a timeout
must be more than 0. PORT defaults to ${SESSION_DEFAULTS.port}.`,
} as const satisfies CommandSpec;

/** HOST [PORT]: what every command that connects takes first. */
export const TARGET_ARGUMENTS: readonly ArgumentSpec[] = [
  { name: "<host>", help: "a name, an IPv4 or IPv6 address ([::1]:2323 carries the port)" },
  { name: "[port]", help: "TCP port", default: String(SESSION_DEFAULTS.port) },
];

/** How long a connect may take, for every command that connects. */
export const TARGET_OPTIONS = {
  connectTimeout: {
    flags: "--connect-timeout <dur>",
    help: "give up connecting after this long",
    default: durationFlag(SESSION_DEFAULTS.connectTimeoutMs),
  },
} as const;

/** The login: connect answers the prompts with them, diagnose adds its login check. */
export const LOGIN_OPTIONS = {
  user: { flags: "--user <name>", help: "log in with this name (answers the login prompt)" },
  passwordEnv: {
    flags: "--password-env <var>",
    help: "the password is in this environment variable (never printed)",
  },
} as const;

/** `--json`: the same switch on every command; what it prints is the command's. */
export function jsonOption(help: string) {
  return { flags: "--json", help } as const satisfies OptionSpec;
}
