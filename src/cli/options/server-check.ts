/** @module `teldoc server-check`: its options and help. */
import { SESSION_DEFAULTS } from "../../session/options.js";
import { type GlobalFlags, jsonOption } from "./common.js";
import type { CommandSpec, FlagsOf } from "./table.js";

const AFTER = `
Run it on the server. It reads (never changes) how Telnet is started (inetd.conf, xinetd,
systemd telnet.socket), who listens on the port (/proc), tcp wrappers (hosts.allow,
hosts.deny), xinetd only_from/no_access and limits, firewall rules for the port, and the
login policy (login.defs, TMOUT, /etc/nologin, securetty, PAM fail delay). Each finding names
the file and line that decide it and the cause a client would see.

Examples:
  teldoc server-check --client 192.0.2.7          may 192.0.2.7 log in here, and if not, why?
  teldoc server-check --root /srv/copy --json     a copy of a server's /etc, as JSON`;

export const SERVER_CHECK_OPTIONS = {
  client: { flags: "--client <addr>", help: "the client's IP address as this server sees it" },
  port: { flags: "--port <port>", help: "the Telnet port", default: String(SESSION_DEFAULTS.port) },
  root: {
    flags: "--root <dir>",
    help: "read the configuration under DIR instead of / (no sockets, processes or firewall)",
  },
  json: jsonOption("print the report as one JSON object"),
  markdown: { flags: "--markdown", help: "print the report as Markdown, for a ticket" },
} as const;

export type ServerCheckFlags = FlagsOf<typeof SERVER_CHECK_OPTIONS> & GlobalFlags;

export const SERVER_CHECK = {
  name: "server-check",
  description:
    "on the server: is Telnet listening, who may connect, what closes sessions (exit 0 when nothing fails)",
  options: SERVER_CHECK_OPTIONS,
  after: AFTER,
} as const satisfies CommandSpec;
