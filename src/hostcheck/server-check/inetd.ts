/**
 * @module Reader of /etc/inetd.conf (inetd(8); Debian's openbsd-inetd and inetutils-inetd,
 * FreeBSD's inetd): one service a line, `service socket-type protocol wait user server
 * [argv0 args...]`, `[address:]service` for a bound address. A line commented out (`#`, or
 * Debian update-inetd's `#<off>#`) is kept as disabled, so the report can say "turned off at
 * line N". Pure: (text, file) → entries with their lines.
 */
import type { Parsed, Problem } from "./types.js";

export interface InetdEntry {
  readonly file: string;
  readonly line: number;
  /** The service field without its address: a name from /etc/services or a port number. */
  readonly service: string;
  /** The address it binds, when the line says `address:service`. */
  readonly address?: string;
  readonly socketType: string;
  readonly protocol: string;
  readonly user: string;
  /** The program inetd runs (e.g. /usr/sbin/tcpd), and its argv (argv[0] first). */
  readonly server: string;
  readonly argv: readonly string[];
  /** False when the line is commented out. */
  readonly enabled: boolean;
}

const FIELDS = /^(\S+)\s+(stream|dgram|raw|rdm|seqpacket)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*(.*)$/;

/** One line as an entry, or undefined when it is no service line. */
function entry(text: string, file: string, line: number, enabled: boolean): InetdEntry | undefined {
  const m = FIELDS.exec(text.trim());
  if (!m) return undefined;
  const [, svc = "", socketType = "", protocol = "", , user = "", server = "", rest = ""] = m;
  const at = svc.lastIndexOf(":");
  return {
    file,
    line,
    service: at >= 0 ? svc.slice(at + 1) : svc,
    ...(at >= 0 ? { address: svc.slice(0, at).replace(/^\[|\]$/g, "") } : {}),
    socketType,
    protocol,
    user,
    server,
    argv: rest.split(/\s+/).filter((w) => w !== ""),
    enabled,
  };
}

/**
 * The service lines of an inetd.conf, commented-out ones included as disabled.
 * @example parseInetd("telnet stream tcp nowait root /usr/sbin/tcpd /usr/sbin/in.telnetd\n", "/etc/inetd.conf").value[0]?.server // "/usr/sbin/tcpd"
 */
export function parseInetd(text: string, file: string): Parsed<readonly InetdEntry[]> {
  const entries: InetdEntry[] = [];
  const problems: Problem[] = [];
  text.split("\n").forEach((raw, i) => {
    const l = raw.trim();
    if (l === "") return;
    if (l.startsWith("#")) {
      const e = entry(l.replace(/^#(<off>#)?\s*/, ""), file, i + 1, false);
      if (e) entries.push(e);
      return;
    }
    const e = entry(l, file, i + 1, true);
    if (e) entries.push(e);
    else problems.push({ file, line: i + 1, message: `not an inetd service line: ${l}` });
  });
  return { value: entries, problems };
}
