/** @module Rules for sessions that died of idleness: idle-timeout (the server's policy), middlebox-timeout (NAT/firewall state). */
import { findClosingMessage } from "../closing.js";
import {
  at,
  connectCommand,
  diagnoseCommand,
  dur,
  idleTestFlag,
  isRound,
  keepaliveBelow,
  keepaliveBracket,
  said,
  serverCheckAdvice,
} from "../format.js";
import type { Rule, SessionSummary } from "../types.js";

/** A stretch without traffic at least this long can outlast a NAT or firewall's state. */
export const LONG_IDLE_MS = 30_000;
/** The shortest idle after which a forgotten connection is blamed on the path (with a working probe). */
const SHORT_IDLE_MS = 2_000;
/** A server closing after less idle time than this is not enforcing an idle policy. */
const MIN_IDLE_MS = 10_000;
/** An RST this soon after our write is the answer to that write. */
const RST_AFTER_WRITE_MS = 10_000;

const RST_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED"]);

function lastInput(s: SessionSummary): string {
  return s.lastOutAt !== undefined && s.lastOutAt >= (s.connectedAt ?? 0)
    ? "the last keystroke"
    : "connecting";
}

/**
 * In an established session, the server closed with FIN after a stretch without input.
 * @example idleTimeout(summarize(tmoutTrace), [])?.summary // "The server ended the session after 10.0 s without input."
 */
export const idleTimeout: Rule = (s) => {
  if (s.phase !== "session" || s.transport !== "fin" || s.finAt === undefined) return undefined;
  const idle = s.idleMs;
  const m = findClosingMessage(s, ["idle-timeout"]);
  if (!m && idle < MIN_IDLE_MS) return undefined;
  const round = isRound(idle);
  let confidence = m ? 0.93 : 0.6;
  if (!m && round) confidence = 0.7;
  return {
    cause: "idle-timeout",
    confidence,
    summary: `The server ended the session after ${dur(idle)} without input.`,
    evidence: [
      `FIN from the server ${dur(idle)} after ${lastInput(s)}`,
      ...(m ? [said(m.line)] : []),
      ...(!m && round ? [`${dur(idle)} is a round value: a configured timeout, not chance`] : []),
      ...(s.lastServerText && !m ? [`last server text: ${s.lastServerText}`] : []),
    ].slice(0, 4),
    advice: [
      ...(m?.message.advice ? [m.message.advice] : []),
      "A keepalive (--keepalive) does not help here: TCP keepalives and IAC NOP are not input; only keystrokes reset this timer.",
      `If policy allows it, \`--anti-idle TEXT --anti-idle-every ${keepaliveBelow(idle)}\` sends keystrokes (this defeats the server's idle policy).`,
      "Or ask the administrator to raise the limit (bash/ksh TMOUT, Cisco `exec-timeout` under `line vty`, Junos login class `idle-timeout`).",
      serverCheckAdvice(s),
    ],
  };
};

/** How the session died after the idle stretch: an RST to our write, or no answer at all. */
function deathAfterIdle(s: SessionSummary): { what: string; strength: number } | undefined {
  const u = s.unanswered;
  if (!u) return undefined;
  const err = s.socketError;
  const beforeFin = (t: number) => s.finAt === undefined || s.finAt > t;
  if (err && RST_CODES.has(err.code) && err.t >= u.since && beforeFin(err.t)) {
    if (err.t - u.since <= RST_AFTER_WRITE_MS)
      return { what: `RST (${err.code}) ${dur(err.t - u.since)} after that write`, strength: 0.9 };
  }
  if (s.deadPeerAt !== undefined && s.deadPeerAt >= u.since && beforeFin(s.deadPeerAt))
    return {
      what: `no answer for ${dur(s.deadPeerAt - u.since)} after it (dead-peer timer)`,
      strength: 0.88,
    };
  if (err?.code === "ETIMEDOUT" && err.t >= u.since && beforeFin(err.t))
    return { what: `retransmissions unanswered until ETIMEDOUT ${at(err.t)}`, strength: 0.7 };
  return undefined;
}

/**
 * After an idle stretch our write got an RST or no answer, while a fresh connection works:
 * a NAT or stateful firewall on the path forgot the connection.
 * @example middleboxTimeout(summarize(natTrace), [])?.advice[0] // "Use --keepalive 240s: the connection died after 5.0 min idle."
 */
export const middleboxTimeout: Rule = (s) => {
  const u = s.unanswered;
  const death = deathAfterIdle(s);
  if (!u || !death || s.probe?.ok === false) return undefined;
  const probe = s.probe;
  // A short idle (some conntrack timeouts are seconds) counts only when a fresh connection
  // was served at once: then the old one died on the path, not with the server.
  const shortIdle = u.idleBeforeMs < LONG_IDLE_MS;
  if (shortIdle && !(probe?.ok && probe.gotData && u.idleBeforeMs >= SHORT_IDLE_MS))
    return undefined;
  const confidence =
    (probe?.ok ? death.strength + (probe.gotData ? 0.02 : 0) : death.strength - 0.2) -
    (shortIdle ? 0.15 : 0);
  const idle = u.idleBeforeMs;
  return {
    cause: "middlebox-timeout",
    confidence,
    summary: `A NAT or firewall on the path forgot the connection after at most ${dur(idle)} idle${probe?.ok ? "; a new connection works" : ""}.`,
    evidence: [
      `no traffic for ${dur(idle)} before the data sent ${at(u.since)}`,
      death.what,
      probe?.ok
        ? `a fresh connection succeeded in ${dur(probe.durationMs)}${probe.gotData ? " and the server answered it" : ""}`
        : "no fresh connection was tried to confirm the path works",
      bracketEvidence(s.survivedQuietMs, idle),
    ],
    advice: keepaliveAdvice(s, idle),
  };
};

/** Where a middlebox's idle limit lies, as far as this session shows: "between A and B". */
function bracket(floorMs: number, ceilingMs: number): string {
  return `between ${floorMs >= 1000 && floorMs < ceilingMs ? dur(floorMs) : "0"} and ${dur(ceilingMs)}`;
}

/** The bracket as evidence: what each end of it rests on. */
function bracketEvidence(floorMs: number, ceilingMs: number): string {
  const floor =
    floorMs >= 1000 && floorMs < ceilingMs
      ? `${dur(floorMs)} (a quiet stretch the connection survived)`
      : "0 (no quiet stretch of a second or more came before)";
  return `the idle limit lies between ${floor} and ${dur(ceilingMs)}: the flow was gone after ${dur(ceilingMs)} quiet, perhaps long before`;
}

/**
 * Keepalive below what the session proves safe, with the bracket stated: the death gives only
 * an upper bound (the flow was forgotten at some point during that idle), a survived quiet
 * stretch a lower one. Without a useful lower bound, a third of the upper one and a measurement.
 */
function keepaliveAdvice(s: SessionSummary, idle: number): string[] {
  const k = keepaliveBracket(s.survivedQuietMs, idle);
  const every = `${k.ms / 1000} s`;
  const why = k.proven
    ? `it survived ${dur(s.survivedQuietMs)} quiet, so every ${every} is below the limit`
    : `keepalive every ${every} is below that bound, not below a measured limit`;
  return [
    `Use ${connectCommand(s.target, `--keepalive ${k.flag}`)}: the flow was forgotten after at most ${dur(idle)} idle (somewhere ${bracket(s.survivedQuietMs, idle)}); ${why}.`,
    `Measure the limit: ${diagnoseCommand(s.target, `--idle-test ${idleTestFlag(idle)}`)} holds a session idle, then retries with keepalive.`,
    "The state timeout is on a NAT or stateful firewall between you and the server (home router, cloud NAT gateway, corporate firewall); raising its TCP idle timeout is the other fix.",
  ];
}

export const IDLE_RULES = [idleTimeout, middleboxTimeout] as const;
