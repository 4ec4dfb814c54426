/**
 * @module inetd (FreeBSD inetd(8) with `-l`, and OpenBSD/NetBSD): `connection from 192.0.2.7,
 * service telnet (tcp)` (FreeBSD 13 wording; older ones say `telnet from 192.0.2.7`), and its
 * rate limits: `telnet from 192.0.2.7 exceeded counts/min (limit 256/min)`,
 * `telnet/tcp server failing (looping), service terminated`,
 * `telnet from 192.0.2.7 exceeded counts (limit 10)` (`-c`/`-C` per-source limits).
 */
import type { LogEvent } from "../types.js";

const CONNECTION = /^connection from (\S+?), service (\S+)/;
const OLD_CONNECTION = /^(\S+) from (\S+)$/;
const LIMIT = /^(\S+?)(?:\/\S+)? from (\S+) exceeded counts(.*)$/;
const LOOPING = /^(\S+?)\/\S+ server failing \(looping\)(.*)$/;

/**
 * An inetd message → its event; null for inetd's other lines.
 * @example parseInetd("connection from 192.0.2.7, service telnet (tcp)")?.kind // "inetd-connection"
 */
export function parseInetd(message: string): LogEvent | null | undefined {
  const c = CONNECTION.exec(message);
  if (c) return { kind: "inetd-connection", service: c[2]!, from: c[1]! };
  const l = LIMIT.exec(message);
  if (l)
    return {
      kind: "inetd-rate-limit",
      service: l[1]!,
      from: l[2],
      detail: `exceeded counts${l[3]!}`,
    };
  const loop = LOOPING.exec(message);
  if (loop)
    return {
      kind: "inetd-rate-limit",
      service: loop[1]!,
      from: undefined,
      detail: `server failing (looping)${loop[2]!}`,
    };
  const old = OLD_CONNECTION.exec(message);
  if (old) return { kind: "inetd-connection", service: old[1]!, from: old[2]! };
  return null;
}
