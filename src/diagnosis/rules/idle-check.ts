/**
 * @module What the idle check's holds mean (--idle-test MAX): a pure rule over the facts the
 * check gathered — how the first idle session died, whether a session with keepalive at half
 * that time survived, a session held MAX/2 (bracketing a silent death), a session with Enter
 * pressed at half the time — into one finding: middlebox-timeout, idle-timeout, server-closed,
 * login-timeout, or what the first session's own diagnosis said. Tested with fixtures, no sockets.
 */
import type { Diagnosis } from "../../trace/events.js";
import { formatDurationFlag, formatMs } from "../../util/duration.js";
import type { Candidate } from "../types.js";

/** How one idle hold ended. */
export type IdleOutcome =
  | "alive"
  | "fin-message"
  | "fin-silent"
  | "rst"
  | "rst-on-keystroke"
  | "black-hole"
  | "no-session";

/** One idle hold. */
export interface IdleRun {
  readonly keepaliveMs?: number;
  /** Enter was pressed at this interval during the hold. */
  readonly keystrokeMs?: number;
  readonly outcome: IdleOutcome;
  /** How long the session had been idle when it died (known when the server closed it). */
  readonly diedAfterMs?: number;
  /** How long the session was held idle before the test keystroke. */
  readonly heldMs: number;
  /** True when the session waited at the login prompt (no --user). */
  readonly atLogin: boolean;
  readonly serverSaid?: string;
  /** For a black hole: did a new connection work meanwhile? */
  readonly newConnection?: { readonly ok: boolean; readonly gotData: boolean };
  readonly diagnosis?: Diagnosis;
  /** Why there was no session to hold. */
  readonly why?: string;
}

const HOW: Readonly<Record<IdleOutcome, string>> = {
  alive: "still alive (a keystroke was answered)",
  "fin-message": "closed by the server with a message",
  "fin-silent": "closed by the server without a word (FIN)",
  rst: "reset (RST) while idle",
  "rst-on-keystroke": "reset (RST) on the first keystroke after the idle time",
  "black-hole": "dead: the first keystroke after the idle time was never answered",
  "no-session": "no session to hold",
};

/** One hold, in words. */
export function describe(r: IdleRun): string {
  const when =
    r.diedAfterMs !== undefined
      ? ` after ${formatMs(r.diedAfterMs)} idle`
      : ` within ${formatMs(r.heldMs)} idle`;
  if (r.outcome === "alive")
    return r.keystrokeMs
      ? `stayed open ${formatMs(r.heldMs)}`
      : `survived ${formatMs(r.heldMs)} idle`;
  if (r.outcome === "no-session") return `no session (${r.why ?? "?"})`;
  return `${HOW[r.outcome]}${when}${r.serverSaid ? `: "${r.serverSaid}"` : ""}`;
}

/** The idle check's facts. */
export interface IdleFacts {
  /** `HOST [PORT]` for advice that shows a command line. */
  readonly target: string;
  readonly maxMs: number;
  readonly first: IdleRun;
  /** The hold with keepalive every keepaliveMs. */
  readonly second: IdleRun;
  readonly keepaliveMs: number;
  /** The plain session held MAX/2 (after a silent death). */
  readonly half?: IdleRun;
  /** The session with Enter pressed every keepaliveMs (after a close by the server). */
  readonly keys?: IdleRun;
  /** Where a silent death falls, from the half hold. */
  readonly bracket?: { readonly fromMs: number; readonly toMs: number };
}

/** What the holds add up to, computed once for every branch. */
interface Seen {
  readonly f: IdleFacts;
  readonly measured: number | undefined;
  readonly keysTried: boolean;
  readonly keysHelp: boolean;
  /** The keepalive hold survived. */
  readonly helps: boolean;
  /** The first session died without a word from the server (RST or a black hole). */
  readonly silent: boolean;
  /** When a silent death happened, as far as it is known ("within 1.0 min"). */
  readonly within: string;
}

function seen(f: IdleFacts): Seen {
  const { first, keys, bracket } = f;
  const measured = first.diedAfterMs;
  const keysTried = keys !== undefined && keys.outcome !== "no-session";
  const within = bracket
    ? `${bracket.fromMs > 0 ? `after ${formatMs(bracket.fromMs)} and ` : ""}within ${formatMs(bracket.toMs)}`
    : `within ${formatMs(measured ?? first.heldMs)}`;
  return {
    f,
    measured,
    keysTried,
    keysHelp: keysTried && keys?.outcome === "alive",
    helps: f.second.outcome === "alive",
    silent: ["black-hole", "rst-on-keystroke", "rst"].includes(first.outcome),
    within,
  };
}

const withKeepalive = (f: IdleFacts) =>
  `with TCP keepalive and IAC NOP every ${formatMs(f.keepaliveMs)}: ${describe(f.second)}`;

/** Without --user the session waited at the login prompt: its death is the login timeout. */
function atLoginPrompt(d: Diagnosis): Candidate {
  return {
    ...d,
    evidence: [
      ...d.evidence.slice(0, 3),
      "without --user the session waited at the login prompt: this is the login timeout, not the idle timeout after login",
    ],
  };
}

/** A silent death that keepalive or a new connection shows to be the path's state. */
function middlebox(k: Seen): Candidate {
  const { f, helps, within, measured } = k;
  const { first, half, bracket, keepaliveMs, target } = f;
  const when = measured !== undefined ? `after ${formatMs(measured)}` : within;
  return {
    cause: "middlebox-timeout",
    confidence: helps ? 0.92 : 0.7,
    summary: `A NAT or firewall on the path forgets an idle connection ${when}${helps ? `; keepalive every ${formatMs(keepaliveMs)} keeps it open` : ""}.`,
    evidence: [
      `idle session ${describe(first)}`,
      ...(first.newConnection
        ? [`a new connection ${first.newConnection.ok ? "worked" : "failed"} at the same time`]
        : []),
      ...(half && bracket
        ? [
            `a second session held ${formatMs(half.heldMs)} idle was ${half.outcome === "alive" ? "still alive" : "dead too"}: the state is forgotten ${within} idle`,
          ]
        : []),
      withKeepalive(f),
      "the server never said goodbye: no FIN or message came from it",
    ],
    advice: [
      helps
        ? `Use \`teldoc connect ${target} --keepalive ${formatDurationFlag(keepaliveMs)}\`: measured, a session with keepalive every ${formatMs(keepaliveMs)} stayed open ${formatMs(f.second.heldMs)} (in PuTTY "Seconds between keepalives", or ssh's ServerAliveInterval if you switch).`
        : `Keepalive every ${formatMs(keepaliveMs)} did not keep a session open: the state is forgotten sooner (it dies ${within} idle) or the middlebox does not count keepalives; try \`teldoc connect ${target} --keepalive 1s\`, and if that dies too, only the middlebox's timeout can change.`,
      "Or ask the network team to raise the idle (established) TCP timeout of the NAT or firewall between you and the host.",
    ],
  };
}

/** Input did not keep it open either: not an idle policy. */
function fixedTime(k: Seen): Candidate {
  const { first, keys, keepaliveMs } = k.f;
  const d = first.diagnosis;
  if (d && d.cause !== "idle-timeout" && d.cause !== "server-closed") return d;
  return {
    cause: "server-closed",
    confidence: 0.75,
    summary: `The server ends the session about ${formatMs(k.measured ?? first.heldMs)} in, with or without input: not an idle timeout.`,
    evidence: [
      `idle session ${describe(first)}`,
      `with Enter pressed every ${formatMs(keepaliveMs)}: ${keys ? describe(keys) : "not tried"}`,
      withKeepalive(k.f),
    ],
    advice: [
      "Something on the server ends sessions after a fixed time (a session time limit, a wrapper script, a crashing shell): the server's log at those times says which.",
      "Neither keepalive nor keystrokes will keep it open; ask the administrator.",
    ],
  };
}

/** The server closed an idle session and keepalive did not change that: its idle policy. */
function idlePolicy(k: Seen): Candidate {
  const { first, keys, keepaliveMs } = k.f;
  return {
    cause: "idle-timeout",
    confidence: k.keysHelp ? 0.95 : 0.92,
    summary: `The server ends a session after ${formatMs(k.measured ?? first.heldMs)} without input; keepalive does not change that${k.keysHelp ? ", keystrokes do" : ""}.`,
    evidence: [
      `idle session ${describe(first)}`,
      withKeepalive(k.f),
      k.keysHelp && keys
        ? `with Enter pressed every ${formatMs(keepaliveMs)}: ${describe(keys)}`
        : "keepalive traffic is not input: the server's idle policy counts keystrokes",
    ],
    advice: [
      "This is the server's idle policy (bash/ksh TMOUT, Cisco `exec-timeout`, Junos `idle-timeout`, login.defs): keepalive cannot beat it because it needs keystrokes.",
      "Ask the administrator to raise it for your account or line, or use `--anti-idle` if your policy allows (it defeats the server's policy on purpose).",
    ],
  };
}

/** The server closed an idle session, but keepalive traffic counts as activity for it. */
function keepaliveCounts(k: Seen): Candidate {
  const { first, keepaliveMs, target } = k.f;
  return {
    cause: "idle-timeout",
    confidence: 0.75,
    summary: `The server ends an idle session after ${formatMs(k.measured ?? first.heldMs)}, but keepalive every ${formatMs(keepaliveMs)} keeps it open.`,
    evidence: [`idle session ${describe(first)}`, withKeepalive(k.f)],
    advice: [
      `Use \`teldoc connect ${target} --keepalive ${formatDurationFlag(keepaliveMs)}\`: this server counts keepalive traffic as activity.`,
    ],
  };
}

/** A silent death nothing saved, and the session's own diagnosis named nothing better. */
function deadPath(f: IdleFacts): Candidate {
  return {
    cause: "network-failure",
    confidence: 0.6,
    summary: "An idle session died silently and keepalive did not save it.",
    evidence: [`idle session ${describe(f.first)}`, `with keepalive: ${describe(f.second)}`],
    advice: [`Run \`teldoc diagnose ${f.target}\` again to see whether the path works at all.`],
  };
}

/**
 * The idle check's finding (the first session died: an alive first session is a pass).
 * @example idleFinding(facts).cause // "middlebox-timeout" when keepalive saved a silent death
 */
export function idleFinding(f: IdleFacts): Candidate {
  const k = seen(f);
  const d = f.first.diagnosis;
  if (f.first.atLogin && d?.cause === "login-timeout") return atLoginPrompt(d);
  if (k.silent && (k.helps || f.first.newConnection?.ok)) return middlebox(k);
  if (!k.silent && k.keysTried && !k.keysHelp) return fixedTime(k);
  if (!k.silent) return k.helps ? keepaliveCounts(k) : idlePolicy(k);
  return d ?? deadPath(f);
}
