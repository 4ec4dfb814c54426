/** @module Rules for how an established session ended on the wire: logout, local-close, network-failure, peer-reset, server-closed. */
import type { LocalCloseEvent } from "../../trace/events.js";
import { stageOf } from "../closing.js";
import { at, closeWord, diagnoseCommand, dur, hostOf } from "../format.js";
import { statedReason } from "../reason.js";
import type { Rule, SessionSummary } from "../types.js";
import { silentDenyHold } from "./access.js";
import { LONG_IDLE_MS } from "./idle.js";

const TIMEOUT_CODES = new Set([
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EHOSTDOWN",
  "ENETDOWN",
]);
const RST_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);
const LOGOUT = /^(?:exit|logout|log out|logoff|quit|bye|disconnect|\^D)$/i;

function before(t: number, s: SessionSummary): boolean {
  return s.finAt === undefined || s.finAt > t;
}

/**
 * The user or script sent exit/logout/quit and the server then closed in order.
 * @example logout(summarize(exitTrace), [])?.cause // "logout"
 */
export const logout: Rule = (s) => {
  const c = s.lastCommand;
  if (!c || !LOGOUT.test(c.text) || s.transport !== "fin" || s.finAt === undefined)
    return undefined;
  if (s.finAt < c.t) return undefined;
  const gap = s.finAt - c.t;
  return {
    cause: "logout",
    confidence: gap <= 5000 ? 0.95 : gap <= 30_000 ? 0.8 : 0.45,
    summary: `The session ended in order: "${c.text}" was sent ${at(c.t)} and the server closed ${dur(gap)} later.`,
    evidence: [`"${c.text}" sent ${at(c.t)}`, `FIN from the server ${dur(gap)} later`],
    advice: ["Nothing to fix."],
  };
};

const LOCAL_REASONS: Readonly<
  Partial<Record<LocalCloseEvent["reason"], { what: string; confidence: number }>>
> = {
  user: { what: "you closed the connection", confidence: 0.95 },
  script: { what: "the script closed the connection", confidence: 0.95 },
  "stdin-eof": { what: "standard input ended, so teldoc closed the connection", confidence: 0.9 },
  signal: {
    what: "teldoc was interrupted by a signal and closed the connection",
    confidence: 0.95,
  },
  "login-timeout": {
    what: "teldoc's --login-timeout gave up: the login did not complete",
    confidence: 0.85,
  },
  error: { what: "teldoc closed the connection after a local error", confidence: 0.6 },
};

/**
 * We closed first (user, script, end of input, signal, our login timer).
 * @example localClose(summarize(userQuitTrace), [])?.cause // "local-close"
 */
export const localClose: Rule = (s) => {
  const lc = s.localClose;
  const r = lc && LOCAL_REASONS[lc.reason];
  if (!lc || !r || !before(lc.t, s)) return undefined;
  const step = s.failedStep;
  const prompt =
    lc.reason === "login-timeout"
      ? s.lastPromptAt !== undefined
        ? `last login prompt ${at(s.lastPromptAt)}`
        : "no login prompt was ever seen"
      : undefined;
  return {
    cause: "local-close",
    confidence: step ? Math.min(r.confidence, 0.7) : r.confidence,
    summary: `Closed here ${at(lc.t)}: ${r.what}${step ? ` (the step "${step.what}" failed)` : ""}.`,
    evidence: [
      `local-close (${lc.reason}) ${at(lc.t)}, before any FIN from the server`,
      ...(step ? [`step failed ${at(step.t)}: ${step.what}`] : []),
      ...(prompt ? [prompt] : []),
      ...(s.lastServerText ? [`last server text: ${s.lastServerText}`] : []),
    ].slice(0, 4),
    advice: step
      ? [`Check the failed step "${step.what}" against the server text above.`]
      : lc.reason === "login-timeout"
        ? [
            "Raise --login-timeout, or check that the prompts are the ones teldoc answers (login:, Username:, Password:).",
          ]
        : ["Nothing to fix."],
  };
};

/** The session stopped answering: the dead-peer timer fired, or retransmissions timed out. */
function stalled(s: SessionSummary): { t: number; what: string } | undefined {
  if (s.deadPeerAt !== undefined && before(s.deadPeerAt, s)) {
    const since = s.unanswered?.since;
    const wait = since !== undefined ? ` ${dur(s.deadPeerAt - since)} after sending` : "";
    return {
      t: s.deadPeerAt,
      what: `no answer${wait}: the dead-peer timer fired ${at(s.deadPeerAt)}`,
    };
  }
  const e = s.socketError;
  if (e && TIMEOUT_CODES.has(e.code) && before(e.t, s))
    return { t: e.t, what: `socket error ${e.code} ${at(e.t)}: retransmissions went unanswered` };
  return undefined;
}

/**
 * The path stopped carrying packets while the session was in use (not after a long idle),
 * or a fresh connection failed too.
 * @example networkFailure(summarize(pathDownTrace), [])?.cause // "network-failure"
 */
export const networkFailure: Rule = (s) => {
  const st = stalled(s);
  if (!st || s.connectedAt === undefined) return undefined;
  const idle = s.unanswered?.idleBeforeMs ?? 0;
  const longIdle = idle >= LONG_IDLE_MS;
  const probe = s.probe;
  let confidence = longIdle ? 0.5 : 0.72;
  if (probe?.ok === false) confidence = 0.88;
  else if (probe?.ok) confidence = longIdle ? 0.3 : 0.55;
  return {
    cause: "network-failure",
    confidence,
    summary: `The path stopped carrying packets while the session was in use${probe?.ok === false ? `; a fresh connection failed too (${probe.outcome})` : ""}.`,
    evidence: [
      st.what,
      ...(probe
        ? [
            `a fresh connection ${probe.ok ? "succeeded" : `failed (${probe.outcome})`} after ${dur(probe.durationMs)}`,
          ]
        : []),
      `the line had been quiet only ${dur(idle)} before that`,
      ...(s.lastInAt !== undefined ? [`last data from the server ${at(s.lastInAt)}`] : []),
    ].slice(0, 4),
    advice: [
      `Check the path: ${diagnoseCommand(s.target)} (ping, tracepath, TCP connect); \`mtr -n ${s.target.address ?? hostOf(s.target)}\` shows where packets stop.`,
      "Look for a link, Wi-Fi or VPN drop on this side at that time, or for the host going down (crash, reboot, power).",
    ],
  };
};

/**
 * The far end aborted the established session with RST while it was in use.
 * @example peerReset(summarize(rstTrace), [])?.cause // "peer-reset"
 */
export const peerReset: Rule = (s) => {
  const e = s.socketError;
  if (!e || !RST_CODES.has(e.code) || s.connectedAt === undefined || !before(e.t, s))
    return undefined;
  const idle = s.unanswered?.idleBeforeMs ?? 0;
  // Before the server said anything (or, within tcpd's hold, sent any byte): an access rule.
  const early =
    (s.firstServerDataAt === undefined && e.t - s.connectedAt <= 1500) || silentDenyHold(s);
  let confidence = 0.8;
  if (idle >= LONG_IDLE_MS) confidence = 0.45;
  // The RST answered our first data after a quiet stretch while a fresh connection is served:
  // the server is up and nothing told the old session to end — state on the path was lost.
  else if (idle >= 2000 && s.probe?.ok && s.probe.gotData) confidence = 0.6;
  if (early) confidence = 0.4;
  return {
    cause: "peer-reset",
    confidence,
    summary: `The far end aborted the session with ${closeWord(s)} ${at(e.t)}, while it was in use.`,
    evidence: [
      `${e.code} ${at(e.t)}${s.lastInAt !== undefined ? `, ${dur(e.t - s.lastInAt)} after the last data from the server` : ""}`,
      ...(s.lastServerText ? [`last server text: ${s.lastServerText}`] : []),
      ...(s.lastOutAt !== undefined ? [`last data sent ${at(s.lastOutAt)}`] : []),
    ],
    advice: [
      "The server process was killed or crashed, or a firewall/IPS injected a reset: check the server's logs around that time (journalctl, /var/log/syslog).",
      "If it follows a particular command, that command may be what ends the session.",
    ],
  };
};

/**
 * The server closed in order (FIN) and nothing better explains why.
 * @example serverClosed(summarize(finTrace), [])?.cause // "server-closed"
 */
export const serverClosed: Rule = (s) => {
  if (s.transport !== "fin" || s.finAt === undefined) return undefined;
  const words = statedReason(s);
  // Words before the login are the server's reason, even when teldoc cannot classify them;
  // in a session they may be output, so they are only quoted.
  const why = !words
    ? " without saying why"
    : stageOf(s) === "session"
      ? `; its last words were "${words.line}"`
      : `, giving as its reason: "${words.line}"`;
  return {
    cause: "server-closed",
    confidence: s.phase === "session" ? 0.5 : 0.4,
    summary: `The server closed the session in order ${at(s.finAt)} (${s.phase} phase)${why}.`,
    evidence: [
      `FIN from the server ${at(s.finAt)}, ${dur(s.idleMs)} after the last input`,
      words
        ? `server said right before closing: "${words.line}"${words.cause ? "" : " (no known message or family of wording matches it)"}`
        : s.lastServerText
          ? `last server text: ${s.lastServerText}`
          : "the server sent no text",
    ],
    advice: [
      "The server's logs for that time say why (journalctl, /var/log/auth.log, the device's log).",
      `${diagnoseCommand(s.target)} re-runs the session step by step.`,
    ],
  };
};

export const TRANSPORT_RULES = [
  logout,
  localClose,
  networkFailure,
  peerReset,
  serverClosed,
] as const;
