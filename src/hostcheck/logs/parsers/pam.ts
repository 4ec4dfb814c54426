/**
 * @module Linux-PAM modules' lines, under whichever program ran them (login, sshd, remote):
 * `pam_unix(login:auth): authentication failure; logname= uid=0 euid=0 tty=/dev/pts/0
 * ruser= rhost=10.0.0.9  user=bob`, `pam_unix(login:session): session opened for user bob(uid=1001)
 * by LOGIN(uid=0)`, `... session closed for user bob`; pam_nologin and pam_securetty refusals;
 * pam_faillock's lock. Other modules' lines (pam_limits, pam_systemd, pam_mail) are known and
 * say nothing about the session's end.
 */
import type { LogEvent } from "../types.js";
import { keyValues, value } from "./fields.js";

const MODULE = /^pam_([a-z_]+)\(([^)]*)\):\s*(.*)$/;
const SESSION = /^session (opened|closed) for user ([^\s(]+)/;

/**
 * A PAM line → its event; null for PAM lines that bear on no session's end; undefined when the
 * message is not from PAM.
 * @example parsePam("pam_unix(login:session): session closed for user bob")
 * // { kind: "pam-session-close", user: "bob" }
 */
export function parsePam(message: string): LogEvent | null | undefined {
  const m = MODULE.exec(message);
  if (!m)
    return /^PAM (?:\d+ more )?authentication failures?;|^PAM service\(/.test(message)
      ? null
      : undefined;
  const [, module, , text] = m as unknown as [string, string, string, string];
  if (module === "unix") {
    if (text.startsWith("authentication failure;")) {
      const kv = keyValues(text);
      return {
        kind: "pam-auth-failure",
        user: value(kv["user"]),
        rhost: value(kv["rhost"]),
        tty: value(kv["tty"]),
      };
    }
    const s = SESSION.exec(text);
    if (s)
      return s[1] === "opened"
        ? { kind: "pam-session-open", user: s[2] }
        : { kind: "pam-session-close", user: s[2] };
    return null;
  }
  if (module === "nologin") return { kind: "nologin", detail: text };
  if (module === "securetty" && /denied|not secure/i.test(text))
    return { kind: "login-root-refused", tty: /tty '([^']*)'/.exec(text)?.[1], from: undefined };
  if (module === "faillock" && /locked/i.test(text))
    return {
      kind: "login-failed",
      count: undefined,
      tty: undefined,
      from: undefined,
      user: /user (\S+)/.exec(text)?.[1],
      reason: text,
    };
  return null;
}
