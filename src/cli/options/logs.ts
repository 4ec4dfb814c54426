/** @module `teldoc logs FILE...|--journal`: its options and help. */
import { type GlobalFlags, jsonOption } from "./common.js";
import type { CommandSpec, FlagsOf } from "./table.js";

const AFTER = `
Reads xinetd, tcpd, telnetd, login, PAM and sshd lines — classic syslog (/var/log/auth.log,
/var/log/secure, /var/log/messages), rsyslog's RFC 3339 format, RFC 5424, xinetd's own log file
(log_type FILE), gzip-rotated files (.gz), the journal (--journal) — groups them into sessions
per client and process, and names why each one ended (the causes of teldoc connect).
Lines without a zone are the machine's local time (set TZ to read another's); a year-less
syslog date takes its year from the file's modification time.

Examples (on the server):
  teldoc logs /var/log/auth.log --client 192.0.2.7        why this client's sessions ended
  teldoc logs /var/log/secure /var/log/xinetd.log --since 2h
  teldoc logs --journal --since 1d --json
  teldoc logs /var/log/auth.log --trace session.jsonl     the server's side of a client trace`;

export const LOGS_OPTIONS = {
  journal: { flags: "--journal", help: "read systemd's journal (journalctl -o json)" },
  since: { flags: "--since <dur>", help: "only lines from this long ago: 30m, 24h, 7d" },
  client: {
    flags: "--client <addr>",
    help: "only this client's sessions (IPv4, IPv6; ::ffff:a.b.c.d matches a.b.c.d)",
  },
  trace: {
    flags: "--trace <file>",
    help: "find the server's side of a client trace (written by connect --trace)",
  },
  json: jsonOption("print one JSON object: sessions, byCause, byClient, unparsed"),
} as const;

export type LogsFlags = FlagsOf<typeof LOGS_OPTIONS> & GlobalFlags;

export const LOGS = {
  name: "logs",
  description: "why sessions ended, from the server's logs (xinetd, tcpd, telnetd, login, sshd)",
  arguments: [{ name: "[files...]", help: "log files (plain or .gz); or give --journal" }],
  options: LOGS_OPTIONS,
  after: AFTER,
} as const satisfies CommandSpec;
