/**
 * @module OpenSSH's sshd (for comparison with Telnet: the same client may use both):
 * `Accepted password for bob from 10.0.0.9 port 50000 ssh2`, `Failed password for (invalid user)
 * bob from ...`, `Connection closed by (authenticating user bob) 10.0.0.9 port 50000 [preauth]`,
 * `Received disconnect from 10.0.0.9 port 50000:11: disconnected by user`, `Disconnected from
 * user bob 10.0.0.9 port 50000`, `Timeout before authentication for 10.0.0.9 port 50000`,
 * `maximum authentication attempts exceeded for bob from 10.0.0.9 port 50000 ssh2 [preauth]`.
 */
import type { LogEvent } from "../types.js";
import { int } from "./fields.js";

const ACCEPTED = /^Accepted \S+ for (\S+) from (\S+) port (\d+)/;
const FAILED = /^Failed \S+ for (?:invalid user )?(\S+) from (\S+) port (\d+)/;
const CLOSED =
  /^(?:Connection closed|Disconnected|Received disconnect|Connection reset) (?:by|from) (?:(?:authenticating |invalid )?user \S+ )?(\S+?) port (\d+)(.*)$/;
const TIMEOUT = /Timeout before authentication for (?:connection from )?(\S+)/;
const TOO_MANY =
  /maximum authentication attempts exceeded for (?:invalid user )?(\S+) from (\S+)|Too many authentication failures/;
const KNOWN =
  /^(?:Server listening|Received signal|Connection from|Invalid user|Starting session|User child|Postponed|error:|fatal:|Disconnecting|banner exchange|Unable to negotiate|kex_exchange_identification|Did not receive identification)/;

/**
 * An sshd message → its event; null for sshd lines that carry no session end.
 * @example parseSshd("Accepted password for bob from 10.0.0.9 port 50000 ssh2")?.kind // "ssh-accepted"
 */
export function parseSshd(message: string): LogEvent | null | undefined {
  const a = ACCEPTED.exec(message);
  if (a) return { kind: "ssh-accepted", user: a[1]!, from: a[2]!, port: int(a[3]) };
  const f = FAILED.exec(message);
  if (f) return { kind: "ssh-failed", user: f[1]!, from: f[2]!, port: int(f[3]) };
  const many = TOO_MANY.exec(message);
  if (many) return { kind: "ssh-too-many", user: many[1], from: many[2] };
  const t = TIMEOUT.exec(message);
  if (t) return { kind: "ssh-timeout", from: t[1] };
  const c = CLOSED.exec(message);
  if (c)
    return { kind: "ssh-closed", from: c[1]!, preauth: /\[preauth\]/.test(c[3]!), by: "client" };
  return KNOWN.test(message) ? null : undefined;
}
