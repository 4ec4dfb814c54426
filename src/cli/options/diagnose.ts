/** @module `teldoc diagnose HOST [PORT]`: its options and help, the checks listed from CHECK_IDS. */
import { CHECK_IDS, type CheckId } from "../../checks/types.js";
import {
  type GlobalFlags,
  jsonOption,
  LOGIN_OPTIONS,
  TARGET_ARGUMENTS,
  TARGET_OPTIONS,
} from "./common.js";
import type { CommandSpec, FlagsOf } from "./table.js";

/** What each check looks at, one line each (a new check id does not compile without one). */
const CHECK_HELP: Readonly<Record<CheckId, string>> = {
  dns: "does the name resolve, and to what",
  route: "TCP connect times; ping and tracepath/mtr/traceroute when present",
  tcp: "open, refused, filtered, unreachable, local-firewall",
  telnet: "banner, options, login prompt, or another protocol",
  ssh: "does SSH answer (--port-ssh), so you can switch",
  login: "with --user and --password-env: does the login work",
  idle: "with --idle-test MAX: how an idle session dies, and whether keepalive helps",
  limits: "with --concurrency N: where the server starts refusing sessions",
};

const CHECKS = CHECK_IDS.map((id) => `  ${id.padEnd(8)}${CHECK_HELP[id]}`).join("\n");

const AFTER = `
Checks, in the order they are reported:
${CHECKS}

Examples:
  teldoc diagnose switch1                       the quick checklist (a healthy host: ~1 s)
  teldoc diagnose 10.0.0.5 2323 --markdown      paste the result into a ticket
  PW=secret teldoc diagnose r1 --user admin --password-env PW --idle-test 15m
                                                why does my session drop after a while?`;

export const DIAGNOSE_OPTIONS = {
  ...TARGET_OPTIONS,
  ...LOGIN_OPTIONS,
  idleTest: {
    flags: "--idle-test <max>",
    help: "hold a session idle up to MAX and measure how it dies, then retry with keepalive",
  },
  concurrency: {
    flags: "--concurrency <n>",
    help: "open up to N sessions at once to find the session limit",
  },
  portSsh: {
    flags: "--port-ssh <port>",
    help: "where to look for SSH as an alternative",
    default: "22",
  },
  json: jsonOption("print the report as one JSON object"),
  markdown: { flags: "--markdown", help: "print the report as Markdown, for a ticket" },
} as const;

export type DiagnoseFlags = FlagsOf<typeof DIAGNOSE_OPTIONS> & GlobalFlags;

export const DIAGNOSE = {
  name: "diagnose",
  description: "run the troubleshooting checklist and end with a verdict (exit 0 when healthy)",
  arguments: TARGET_ARGUMENTS,
  options: DIAGNOSE_OPTIONS,
  after: AFTER,
} as const satisfies CommandSpec;
