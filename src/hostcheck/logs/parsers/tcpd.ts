/**
 * @module tcp wrappers (tcpd(8), and libwrap in daemons that link it): logged under the
 * daemon's own name, `in.telnetd[123]: refused connect from 192.0.2.7` when hosts.allow/deny
 * deny, `connect from 192.0.2.7` when they allow and logging is on. The client is written as
 * tcpd's eval_client() gives it: an address, a name, `user@host`, or `name[address]`.
 */
import type { LogEvent } from "../types.js";

const LINE = /^(refused )?connect from (\S+)(?: \(([^)]+)\))?\s*$/;

/** The client's address out of tcpd's forms: `a.b.c.d`, `name[addr]`, `user@host`, `name (addr)`. */
function clientOf(text: string, paren: string | undefined): string {
  if (paren !== undefined && /[.:]/.test(paren)) return paren;
  const bracket = /\[([^\]]+)\]$/.exec(text);
  if (bracket) return bracket[1]!;
  const at = text.lastIndexOf("@");
  return at >= 0 ? text.slice(at + 1) : text;
}

/**
 * A tcp wrappers line → its event; undefined when it is not one.
 * @example parseTcpd("refused connect from 192.0.2.7") // { kind: "tcpd-refused", from: "192.0.2.7" }
 */
export function parseTcpd(message: string): LogEvent | undefined {
  const m = LINE.exec(message);
  if (!m) return undefined;
  const from = clientOf(m[2]!, m[3]);
  return m[1] ? { kind: "tcpd-refused", from } : { kind: "tcpd-connect", from };
}
