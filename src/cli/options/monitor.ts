/** @module `teldoc monitor [CONFIG]` and its subcommands check, report, export, import. */
import { type GlobalFlags, jsonOption } from "./common.js";
import type { CommandSpec, FlagsOf } from "./table.js";

/** Where samples go when neither --db nor the config's `storage` says. */
export const DEFAULT_DB = "sqlite:teldoc-monitor.db";

const DB_OPTION = {
  db: {
    flags: "--db <url>",
    help: "the store: sqlite:PATH or postgres://USER@HOST/DB (the password from PGPASSWORD)",
    default: `the config's storage, else ${DEFAULT_DB}`,
  },
} as const;

const AFTER = `
A config file (YAML; unknown keys are errors; see docs/monitor.md):
  vantage: office-lan
  storage: sqlite:teldoc-monitor.db
  defaults: {interval: 60s, timeout: 10s, level: telnet, connects: 3}
  targets:
    - {name: core-sw1, host: 192.0.2.10, level: login, user: admin, password_env: SW1_PW}
  alerts:
    - {webhook: "https://hooks.example/teldoc", after: 3, within: 5}

Levels: tcp (connects only), telnet (up to the login prompt), login (logs in).
One line is printed when a target changes state, not per probe. SIGHUP reloads the config
(a bad one keeps the old running); Ctrl-C or SIGTERM stops with every sample written.

Examples:
  teldoc monitor --target 192.0.2.10 --target sw2:2323     probe two hosts every 60 s
  teldoc monitor monitor.yaml                               run a config
  teldoc monitor check monitor.yaml                         validate it and print the plan
  teldoc monitor report --since 7d                          patterns found, in words
  teldoc monitor export --since 24h > samples.jsonl         a backup, or a move to PostgreSQL
  teldoc monitor import samples.jsonl --db postgres://teldoc@db/teldoc`;

export const MONITOR_OPTIONS = {
  target: {
    flags: "--target <host...>",
    help: "probe these hosts (HOST or HOST:PORT) with no config; repeat it or list them",
  },
  ...DB_OPTION,
  vantage: { flags: "--vantage <name>", help: "this monitor's name", default: "the host name" },
  interval: { flags: "--interval <dur>", help: "with --target: probe every", default: "60s" },
  timeout: {
    flags: "--timeout <dur>",
    help: "with --target: the longest a round may take",
    default: "10s, or 90% of a shorter interval",
  },
  level: {
    flags: "--level <level>",
    help: "with --target: tcp, telnet or login",
    default: "telnet",
  },
  listen: {
    flags: "--listen <addr>",
    help: "where the dashboard, /metrics and /probe listen (HOST:PORT, PORT, or off); another address than loopback needs the config's token_env",
    default: "the config's listen, else 127.0.0.1:9323",
  },
  concurrency: {
    flags: "--concurrency <n>",
    help: "probe rounds running at once",
    default: "256",
  },
  once: {
    flags: "--once",
    help: "probe every target once, store the results, print them and exit (1 if any failed)",
  },
  json: jsonOption("--once: print each round's sample as a JSON line"),
} as const;

export type MonitorFlags = Omit<FlagsOf<typeof MONITOR_OPTIONS>, "target"> &
  GlobalFlags & { readonly target?: readonly string[] };

export const MONITOR = {
  name: "monitor",
  description: "probe many targets over time, keep each failure's cause, find the patterns",
  arguments: [{ name: "[config]", help: "a YAML config (or give --target)" }],
  options: MONITOR_OPTIONS,
  after: AFTER,
} as const satisfies CommandSpec;

export const MONITOR_CHECK = {
  name: "check",
  description: "validate a config and print the plan (exit 0 valid, 2 not)",
  arguments: [{ name: "<config>", help: "the YAML config" }],
  options: {},
} as const satisfies CommandSpec;

const SINCE_OPTION = {
  since: {
    flags: "--since <dur>",
    help: "how far back: 30m, 24h, 7d, 4w",
  },
} as const;

export const MONITOR_REPORT_OPTIONS = {
  ...DB_OPTION,
  ...SINCE_OPTION,
  target: { flags: "--target <name>", help: "only this target" },
  vantage: { flags: "--vantage <name>", help: "only what this vantage point saw" },
  json: jsonOption("print the report as one JSON object"),
  markdown: { flags: "--markdown", help: "print the report as Markdown, for a ticket" },
} as const;

export type MonitorReportFlags = FlagsOf<typeof MONITOR_REPORT_OPTIONS> & GlobalFlags;

export const MONITOR_REPORT = {
  name: "report",
  description: "availability, failures by cause and the patterns found (exit 0)",
  options: MONITOR_REPORT_OPTIONS,
  after: "\nThe default period is the last 7 days. Times are UTC.",
} as const satisfies CommandSpec;

export const MONITOR_EXPORT_OPTIONS = { ...DB_OPTION, ...SINCE_OPTION } as const;
export type MonitorExportFlags = FlagsOf<typeof MONITOR_EXPORT_OPTIONS> & GlobalFlags;

export const MONITOR_EXPORT = {
  name: "export",
  description: "write the stored samples as JSON Lines on stdout",
  options: MONITOR_EXPORT_OPTIONS,
} as const satisfies CommandSpec;

export const MONITOR_IMPORT_OPTIONS = { ...DB_OPTION } as const;
export type MonitorImportFlags = FlagsOf<typeof MONITOR_IMPORT_OPTIONS> & GlobalFlags;

export const MONITOR_IMPORT = {
  name: "import",
  description: "read JSON Lines samples into a store",
  arguments: [{ name: "<file>", help: 'a file written by monitor export ("-" reads stdin)' }],
  options: MONITOR_IMPORT_OPTIONS,
} as const satisfies CommandSpec;
