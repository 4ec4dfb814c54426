/** @module `teldoc lab [SCENARIO]`: its options and help, scenarios and faults listed from the lab. */
import { LAB_DEFAULTS } from "../../lab/config.js";
import { PATH_ADDRESSES, PATH_FAULTS, PATH_SERVER_PORT } from "../../lab/path-faults.js";
import { SCENARIO_NAMES, type ScenarioName } from "../../lab/types.js";
import type { GlobalFlags } from "./common.js";
import { type ArgumentSpec, type CommandSpec, durationFlag, type FlagsOf } from "./table.js";

export const SCENARIO_ARGUMENT = {
  name: "[scenario]",
  help: SCENARIO_NAMES.join(", "),
  default: "healthy",
} as const satisfies ArgumentSpec & { default: ScenarioName };

/** What the scenario does: the flags `lab --netns` hands on to the server in its namespace. */
export const LAB_SCENARIO_OPTIONS = {
  variant: { flags: "--variant <name>", help: "a scenario's variant (see --list)" },
  user: {
    flags: "--user <name>",
    help: "the login that works (healthy, limit)",
    default: LAB_DEFAULTS.user,
  },
  password: { flags: "--password <text>", help: "its password", default: LAB_DEFAULTS.password },
  tries: {
    flags: "--tries <n>",
    help: "failed logins before the server gives up",
    default: String(LAB_DEFAULTS.tries),
  },
  loginTimeout: {
    flags: "--login-timeout <dur>",
    help: "how long the login prompt waits",
    default: durationFlag(LAB_DEFAULTS.loginTimeoutMs),
  },
  idleTimeout: {
    flags: "--idle-timeout <dur>",
    help: "idle time before idle-timeout logs out",
    default: durationFlag(LAB_DEFAULTS.idleTimeoutMs),
  },
  message: {
    flags: "--message <text>",
    help: "what the server says before it closes (\\n for newlines)",
  },
  limit: {
    flags: "--limit <n>",
    help: "sessions served at once by service-unavailable --variant limit",
    default: String(LAB_DEFAULTS.limit),
  },
  after: {
    flags: "--after <dur>",
    help: "how long peer-reset and server-closed serve before ending (0s: at once)",
    default: durationFlag(LAB_DEFAULTS.afterMs),
  },
} as const;

export const LAB_OPTIONS = {
  list: { flags: "--list", help: "describe every scenario and the cause it produces" },
  port: { flags: "--port <port>", help: "TCP port to listen on", default: "2323" },
  host: { flags: "--host <address>", help: "address to listen on", default: "127.0.0.1" },
  ...LAB_SCENARIO_OPTIONS,
  netns: {
    flags: "--netns",
    help: `root: build client/middlebox/server network namespaces, serve on ${PATH_ADDRESSES.server} port ${PATH_SERVER_PORT} in the server one`,
  },
  fault: {
    flags: "--fault <kind>",
    help: `with --netns: ${Object.keys(PATH_FAULTS).join(", ")}`,
  },
} as const;

export type LabFlags = FlagsOf<typeof LAB_OPTIONS> & GlobalFlags;

export const LAB = {
  name: "lab",
  description: "run a Telnet server that ends sessions in one of the ways teldoc diagnoses",
  arguments: [SCENARIO_ARGUMENT],
  options: LAB_OPTIONS,
} as const satisfies CommandSpec;
