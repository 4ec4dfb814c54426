/**
 * @module Rules for how an established (or at least accepted) session ended, from the server's
 * side. What the server sees of the client going away: telnetd reads EOF (`peer died`) or RST
 * (`Connection reset by peer`) — the client's side closed, so the cause a client would name is
 * `local-close` (the user, the script or the client program ended it; a middlebox's RST looks the
 * same and is named as the other possibility). A read that times out (`Connection timed out`,
 * `No route to host`) means the path stopped carrying packets: `network-failure`.
 */
import { eventAt, first, last, lasted, loggedIn } from "./lines.js";
import type { LogRule } from "./types.js";

const PATH_ERRORS = /timed out|no route|unreachable|network is down/i;

/** telnetd saw the client go away: EOF or an error on its read. */
export const clientWentAway: LogRule = (f) => {
  const i = first(f, "telnetd-peer-died", "telnetd-read-error");
  if (i < 0) return undefined;
  const read = eventAt(f, i, "telnetd-read-error");
  const inSession = loggedIn(f) >= 0 ? ` after ${lasted(f)}, logged in` : ` after ${lasted(f)}`;
  if (read && PATH_ERRORS.test(read.error))
    return {
      cause: "network-failure",
      confidence: 0.75,
      summary: `telnetd's read failed (${read.error})${inSession}: the path to the client stopped carrying packets`,
      decisive: [i],
    };
  if (read && /reset/i.test(read.error))
    return {
      cause: "local-close",
      confidence: 0.6,
      summary: `the client reset the connection (RST)${inSession}: the client was killed or aborted, or a firewall on the way reset it`,
      decisive: [i],
    };
  return {
    cause: "local-close",
    confidence: 0.7,
    summary: `the client closed the connection (telnetd: peer died)${inSession}`,
    decisive: [i],
  };
};

/**
 * The user's shell ended in order: PAM closed the session (and telnetd's child exited 0). The
 * log cannot tell `exit` from a shell's TMOUT auto-logout: both end the shell the same way.
 */
export const shellEnded: LogRule = (f) => {
  const i = last(f, "pam-session-close");
  if (i < 0 || loggedIn(f) < 0) return undefined;
  return {
    cause: "logout",
    confidence: 0.6,
    summary: `the user's shell ended in order after ${lasted(f)} (exit or logout; a shell's TMOUT auto-logout looks the same in the log)`,
    decisive: [i],
  };
};

/** sshd: the client disconnected (after logging in: a logout; before: it gave up). */
export const sshClosed: LogRule = (f) => {
  const i = first(f, "ssh-closed");
  const e = eventAt(f, i, "ssh-closed");
  if (!e) return undefined;
  const inside = first(f, "ssh-accepted") >= 0 && !e.preauth;
  return {
    cause: inside ? "logout" : "local-close",
    confidence: inside ? 0.8 : 0.7,
    summary: inside
      ? `the SSH client disconnected after ${lasted(f)}`
      : "the SSH client closed before authenticating",
    decisive: [i],
  };
};

/** telnetd was killed by a signal (xinetd: `EXIT: svc signal=N`). */
export const killed: LogRule = (f) => {
  const i = last(f, "xinetd-exit");
  const e = eventAt(f, i, "xinetd-exit");
  if (e?.signal === undefined) return undefined;
  return {
    cause: "server-closed",
    confidence: 0.6,
    summary: `the server's process was killed by signal ${e.signal} after ${lasted(f)}`,
    decisive: [i],
  };
};

/** What is left: say what the log shows and what it does not. */
export const notTold: LogRule = (f) => {
  const exit = last(f, "xinetd-exit");
  const e = eventAt(f, exit, "xinetd-exit");
  const inside = loggedIn(f);
  let summary: string;
  if (!f.ended) summary = "its end is not in the log (still open, or the log stops)";
  else if (e && f.lines.length <= 2)
    summary = `telnetd exited with status ${e.status ?? "?"} after ${lasted(f)}; xinetd's log alone does not say why (add the auth log or syslog: inetutils telnetd exits 1 when the client goes away)`;
  else if (inside >= 0)
    summary = `logged in; the session ended after ${lasted(f)} with no line saying why`;
  else summary = `the session ended after ${lasted(f)} with no line saying why`;
  return {
    cause: "unknown",
    confidence: 0.3,
    summary,
    decisive: [exit >= 0 ? exit : f.lines.length - 1],
  };
};
