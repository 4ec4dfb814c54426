/**
 * @module Rules for sessions that ended at the login: too many tries, failed logins, root
 * refused, the login timer → auth-failed, login-timeout.
 */
import { all, eventAt, first, lasted, loggedIn, seconds } from "./lines.js";
import type { LogRule } from "./types.js";

/** login ran out of tries (LOGIN_RETRIES), or sshd of MaxAuthTries. */
export const tooManyTries: LogRule = (f) => {
  const i = first(f, "login-too-many", "ssh-too-many");
  if (i < 0) return undefined;
  const failed = all(f, "login-failed", "pam-auth-failure", "ssh-failed");
  return {
    cause: "auth-failed",
    confidence: 0.95,
    summary: `the server closed after too many failed logins (${failed.length} failure line(s))`,
    decisive: [i, ...failed.slice(-2)],
  };
};

/** login refused root on this terminal (securetty, pam_securetty). */
export const rootRefused: LogRule = (f) => {
  const i = first(f, "login-root-refused");
  if (i < 0) return undefined;
  return {
    cause: "auth-failed",
    confidence: 0.9,
    summary: "root may not log in over this terminal (securetty / pam_securetty)",
    decisive: [i],
  };
};

/** login (or sshd) logged its timer: `timed out after N seconds`, `Timeout before authentication`. */
export const loginTimer: LogRule = (f) => {
  const i = first(f, "login-timeout", "ssh-timeout");
  if (i < 0) return undefined;
  const e = eventAt(f, i, "login-timeout");
  return {
    cause: "login-timeout",
    confidence: 0.95,
    summary: `the login was not completed in time${e?.seconds !== undefined ? ` (${e.seconds} s)` : ""}`,
    decisive: [i],
  };
};

/**
 * Logins failed and none succeeded. When the server ended it, auth-failed is sure; when the
 * client went away after the failures, auth-failed is still what the client ran into, less sure.
 */
export const failedLogins: LogRule = (f) => {
  const failed = all(f, "login-failed", "pam-auth-failure", "ssh-failed");
  if (failed.length === 0 || loggedIn(f) >= 0) return undefined;
  const left = first(f, "telnetd-peer-died", "telnetd-read-error", "ssh-closed");
  const count = all(f, "login-failed", "ssh-failed").length || failed.length;
  const key =
    failed.filter((i) => f.lines[i]!.event.kind !== "pam-auth-failure").at(-1) ?? failed.at(-1)!;
  return {
    cause: "auth-failed",
    confidence: left >= 0 ? 0.6 : 0.85,
    summary:
      left >= 0
        ? `${count} failed login(s), then the client went away without logging in`
        : `${count} failed login(s), then the session ended without a login`,
    decisive: left >= 0 ? [key, left] : [key],
  };
};

/**
 * Long enough at the prompt for login's timer (LOGIN_TIMEOUT: 60 s by default, often lowered);
 * a client that leaves sooner shows as `peer died`, not as login exiting by itself.
 */
const SILENT_TIMEOUT_S = 5;

/**
 * login exited on its own (telnetd: `child process L exited: 0`) with no login line at all
 * after a long wait: shadow's login logs nothing when LOGIN_TIMEOUT fires, so this is the trace
 * it leaves (measured in logs.e2e.test.ts).
 */
export const silentLoginTimeout: LogRule = (f) => {
  const i = first(f, "telnetd-child-exit");
  const e = eventAt(f, i, "telnetd-child-exit");
  if (e?.status !== 0) return undefined;
  if (first(f, "login-failed", "pam-auth-failure", "pam-session-open", "login-ok") >= 0)
    return undefined;
  if (first(f, "telnetd-peer-died", "telnetd-read-error") >= 0) return undefined;
  if (seconds(f) < SILENT_TIMEOUT_S) return undefined;
  return {
    cause: "login-timeout",
    confidence: 0.6,
    summary: `login ended by itself after ${lasted(f)} with no login attempt logged: the login timer (LOGIN_TIMEOUT) fired`,
    decisive: [i],
  };
};
