/**
 * @module login's lines, in the wordings of the logins that run behind telnetd:
 * - shadow (Debian, Ubuntu, SUSE; measured in logs.e2e.test.ts with shadow 4.13):
 *   `FAILED LOGIN (1) on '/dev/pts/0' from 'host' FOR 'user', Authentication failure`,
 *   `TOO MANY LOGIN TRIES (3) on '/dev/pts/0' from 'host' FOR 'user'`,
 *   `ILLEGAL ROOT LOGIN on '/dev/pts/0' from 'host'`;
 * - util-linux (RHEL, Fedora, Arch; login-utils/login.c):
 *   `FAILED LOGIN 1 FROM host FOR user, Authentication failure`, `TOO MANY LOGIN TRIES (3) FROM
 *   host FOR user, ...`, `LOGIN ON pts/0 BY user FROM host`, `ROOT LOGIN ON pts/0 FROM host`;
 * - BSD login (FreeBSD, OpenBSD, inetutils): `2 LOGIN FAILURES FROM host, user`,
 *   `ROOT LOGIN (root) ON ttyp0 FROM host`, `LOGIN root REFUSED FROM host ON TTY ttyp0`;
 * - BusyBox: `invalid password for 'user' on 'pts/0' from 'host'`, `root login on 'pts/0'`;
 * - any of them: `timed out after 60 seconds` (shadow prints it on the terminal only).
 */
import type { LogEvent } from "../types.js";
import { int, value } from "./fields.js";

/** ` on 'TTY'`, ` from 'HOST'` (shadow), ` ON TTY`, ` FROM HOST` (util-linux): in any order. */
function where(text: string): { tty: string | undefined; from: string | undefined } {
  const tty = /\bon '([^']*)'|\bON (?:TTY )?(\S+)/i.exec(text);
  const from = /\bfrom '([^']*)'|\bFROM (\S+?)(?:,|$|\s)/i.exec(text);
  return {
    tty: value(tty?.[1] ?? tty?.[2]),
    from: value(from?.[1] ?? from?.[2]),
  };
}

const FAILED = /^FAILED LOGIN \(?(\d+)\)?(.*?)\bFOR '?([^',]*)'?,\s*(.*)$/;
const TOO_MANY = /^TOO MANY LOGIN TRIES \((\d+)\)(.*?)(?:\bFOR '?([^',]*)'?)?(?:,\s*(.*))?$/;
const BSD_FAILURES = /^(\d+) LOGIN FAILURES? (?:FROM|ON) (\S+?), (\S+)$/;
const BUSYBOX_FAILED = /^invalid password for '([^']*)'(.*)$/;
const TIMEOUT = /timed out after (\d+) seconds/i;
const ROOT_REFUSED = /^(?:ROOT LOGIN REFUSED|ILLEGAL ROOT LOGIN|LOGIN root REFUSED)(.*)$/;
const LOGIN_OK = /^LOGIN ON (\S+) BY (\S+)(?: FROM (\S+))?/;
const ROOT_OK = /^ROOT LOGIN(?: \(\S+\))?(.*)$/i;

/** The ways a login failed or was refused. */
function failure(message: string): LogEvent | undefined {
  const f = FAILED.exec(message);
  if (f) {
    const w = where(f[2]!);
    return { kind: "login-failed", count: int(f[1]), ...w, user: value(f[3]), reason: value(f[4]) };
  }
  const t = TOO_MANY.exec(message);
  if (t) return { kind: "login-too-many", count: int(t[1]), ...where(t[2]!), user: value(t[3]) };
  const b = BSD_FAILURES.exec(message);
  if (b) {
    const onTty = / ON /.test(message.slice(0, message.indexOf(",")));
    return {
      kind: "login-failed",
      count: int(b[1]),
      tty: onTty ? b[2] : undefined,
      from: onTty ? undefined : b[2],
      user: value(b[3]),
      reason: undefined,
    };
  }
  const bb = BUSYBOX_FAILED.exec(message);
  if (bb)
    return {
      kind: "login-failed",
      count: undefined,
      ...where(bb[2]!),
      user: value(bb[1]),
      reason: "invalid password",
    };
  const r = ROOT_REFUSED.exec(message);
  if (r) return { kind: "login-root-refused", ...where(r[1]!) };
  return undefined;
}

/**
 * A login message → its event; undefined when it is no line login writes about a session.
 * @example parseLogin("TOO MANY LOGIN TRIES (3) on '/dev/pts/1' from '10.0.0.9' FOR 'bob'")?.kind
 * // "login-too-many"
 */
export function parseLogin(message: string): LogEvent | undefined {
  const failed = failure(message);
  if (failed) return failed;
  const timeout = TIMEOUT.exec(message);
  if (timeout) return { kind: "login-timeout", seconds: int(timeout[1]) };
  const ok = LOGIN_OK.exec(message);
  if (ok) return { kind: "login-ok", tty: ok[1], user: ok[2], from: value(ok[3]) };
  const root = ROOT_OK.exec(message);
  if (root) return { kind: "login-ok", ...where(root[1]!), user: "root" };
  return undefined;
}
