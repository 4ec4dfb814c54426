/**
 * @module The `idle` check (--idle-test MAX): hold a session idle up to MAX and record when and
 * how it dies — FIN with a message, a silent FIN, RST, RST on the next keystroke, or a black hole
 * (the keystroke is never answered) — then, if it died, hold another with TCP keepalive and
 * IAC NOP at about half that time. A server's idle policy ignores keepalive (it needs
 * keystrokes); a middlebox timeout does not.
 */
import { type Candidate, cleanText, diagnose, summarize } from "../diagnosis/index.js";
import type { Diagnosis, TraceEvent } from "../trace/events.js";
import { formatDurationFlag, formatMs } from "../util/duration.js";
import { logIn } from "./login.js";
import { probeTelnet } from "./telnet.js";
import type { CheckResult, DiagnoseOptions } from "./types.js";

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

/** HOST [PORT] for advice that shows a command line (the port only when it is not 23). */
function target(o: DiagnoseOptions): string {
  return `${o.host}${o.port !== 23 ? ` ${o.port}` : ""}`;
}

/** After the test keystroke, how long an answer may take before the path is called dead. */
const ANSWER_MS = 5000;

/** When the session ended: the first FIN or socket error after `from`, else its close. */
function endT(events: readonly TraceEvent[], from: number): number | undefined {
  const end =
    events.find((e) => e.t >= from && (e.type === "fin" || e.type === "socket-error")) ??
    events.find((e) => e.type === "closed");
  return end?.t;
}

/** Hold one session idle for `holdMs`, then press Enter once and see what answers. */
export async function holdIdle(
  o: DiagnoseOptions,
  holdMs: number,
  keepaliveMs: number | undefined,
  news: (text: string) => void,
  /** Press Enter at this interval instead of staying idle (real input, unlike keepalive). */
  keystrokeMs?: number,
): Promise<IdleRun> {
  const probe = await probeTelnet(o, "always", undefined, {
    deadPeerMs: ANSWER_MS,
    ...(keepaliveMs ? { keepaliveMs } : {}),
    ...(keystrokeMs ? { antiIdle: { text: "\r\n", everyMs: keystrokeMs } } : {}),
  });
  const base = {
    ...(keepaliveMs ? { keepaliveMs } : {}),
    ...(keystrokeMs ? { keystrokeMs } : {}),
    heldMs: 0,
    atLogin: o.user === undefined,
  };
  if (!probe.telnet) return { ...base, outcome: "no-session", why: probe.tcp.summary };
  const { result, open } = await probe.telnet;
  if (!open) return { ...base, outcome: "no-session", why: result.summary };
  if (o.user !== undefined) {
    const login = await logIn(open, o.user, o.password, 10_000);
    if (!login.loggedIn) {
      open.session.close("script");
      return { ...base, outcome: "no-session", why: `login: ${login.result.summary}` };
    }
  }
  const rec = open.session.recorder;
  // The server's idle clock starts at our last keystroke (the login's last line, if any).
  const lastOut = rec.events().findLast((e) => e.type === "data" && e.dir === "out");
  const holdFrom = rec.elapsed();
  const idleFrom = lastOut?.t ?? holdFrom;
  const t0 = performance.now();
  const label = keepaliveMs ? ` with keepalive every ${formatMs(keepaliveMs)}` : "";
  while (!open.isEnded() && performance.now() - t0 < holdMs) {
    news(
      `holding a session idle${label}: ${Math.round((performance.now() - t0) / 1000)} s of ${Math.round(holdMs / 1000)} s`,
    );
    await Promise.race([
      new Promise((r) => setTimeout(r, Math.min(1000, holdMs - (performance.now() - t0)))),
      open.ended,
    ]);
  }
  const heldMs = performance.now() - t0;
  if (o.signal?.aborted) return { ...base, heldMs, outcome: "no-session", why: "interrupted" };
  const textSince = (events: readonly TraceEvent[], from: number) =>
    cleanText(
      events
        .filter((e) => e.type === "data" && e.dir === "in" && e.t >= from)
        .map((e) => (e.type === "data" ? e.text : ""))
        .join(""),
    ).trim();
  if (open.isEnded()) {
    const events = rec.events();
    const d = diagnose(events);
    const s = summarize(events);
    const said = textSince(events, holdFrom);
    const diedAt = endT(events, idleFrom) ?? rec.elapsed();
    return {
      ...base,
      heldMs,
      outcome: s.transport === "rst" ? "rst" : said !== "" ? "fin-message" : "fin-silent",
      diedAfterMs: Math.max(0, diedAt - idleFrom),
      ...(said !== "" ? { serverSaid: s.lastServerText || said.slice(-200) } : {}),
      diagnosis: d,
    };
  }
  // Still open as far as we know: a keystroke tells a live session from a forgotten one.
  const keyAt = rec.elapsed();
  news("idle time is up: pressing Enter to see whether the session is still there");
  const before = open.inbox.end;
  open.session.send("\r");
  // The dead-peer timer fires at ANSWER_MS, then its probe may take 5 s to connect and 1.5 s to hear.
  const heard = await open.inbox.wait(
    () => (open.inbox.end > before ? { value: true } : undefined),
    ANSWER_MS + 8000,
  );
  if (heard.ok) {
    open.session.close("script");
    return { ...base, heldMs, outcome: "alive" };
  }
  if (!open.isEnded()) open.session.close("dead-peer");
  await open.ended;
  const events = rec.events();
  const s = summarize(events);
  const d = diagnose(events);
  if (s.transport === "rst") return { ...base, heldMs, outcome: "rst-on-keystroke", diagnosis: d };
  if (s.transport === "fin") {
    const said = textSince(events, keyAt);
    return {
      ...base,
      heldMs,
      outcome: said !== "" ? "fin-message" : "fin-silent",
      ...(said !== "" ? { serverSaid: s.lastServerText } : {}),
      diagnosis: d,
    };
  }
  return {
    ...base,
    heldMs,
    outcome: "black-hole",
    ...(s.probe ? { newConnection: { ok: s.probe.ok, gotData: s.probe.gotData === true } } : {}),
    diagnosis: d,
  };
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

function describe(r: IdleRun): string {
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

/**
 * Run the idle check.
 * @example (await checkIdle({ ...options, idleTestMs: 60_000 }, () => {})).data.keepaliveHelps
 */
export async function checkIdle(
  o: DiagnoseOptions,
  news: (text: string) => void,
): Promise<CheckResult> {
  const t0 = performance.now();
  const maxMs = o.idleTestMs ?? 60_000;
  const first = await holdIdle(o, maxMs, undefined, news);
  const done = (r: Omit<CheckResult, "id" | "durationMs">): CheckResult => ({
    id: "idle",
    durationMs: performance.now() - t0,
    ...r,
  });
  if (first.outcome === "no-session")
    return done({
      status: "skip",
      summary: `could not hold a session: ${first.why}`,
      data: { first },
    });
  if (first.outcome === "alive")
    return done({
      status: "pass",
      summary: `no idle timeout up to ${formatMs(maxMs)}: the session ${describe(first)} and answered a keystroke`,
      data: { maxMs, first },
    });
  // It died. Again, with keepalive at about half the time it lasted.
  const measured = first.diedAfterMs;
  const keepaliveMs = Math.max(1000, Math.round((measured ?? maxMs / 2) / 2));
  const hold2 =
    measured !== undefined ? Math.min(maxMs, measured + Math.max(3000, measured / 2)) : maxMs;
  // A silent death gives no time: meanwhile, a plain session held half as long brackets it.
  // A server that closed in order: does real input (Enter every half the time) keep it open?
  // Yes is an idle policy; no is a server that ends sessions whatever the user does.
  const finDeath = first.outcome === "fin-message" || first.outcome === "fin-silent";
  const [second, half, keys] = await Promise.all([
    holdIdle(o, hold2, keepaliveMs, news),
    measured === undefined && maxMs >= 2000
      ? holdIdle(o, Math.round(maxMs / 2), undefined, () => {})
      : Promise.resolve(undefined),
    finDeath && !first.atLogin && measured !== undefined
      ? holdIdle(o, hold2, undefined, () => {}, keepaliveMs)
      : Promise.resolve(undefined),
  ]);
  const keysTried = keys !== undefined && keys.outcome !== "no-session";
  const keysHelp = keysTried && keys.outcome === "alive";
  const bracket =
    half === undefined || half.outcome === "no-session"
      ? undefined
      : half.outcome === "alive"
        ? { fromMs: Math.round(maxMs / 2), toMs: maxMs }
        : { fromMs: 0, toMs: Math.round(maxMs / 2) };
  const within = bracket
    ? `${bracket.fromMs > 0 ? `after ${formatMs(bracket.fromMs)} and ` : ""}within ${formatMs(bracket.toMs)}`
    : `within ${formatMs(measured ?? first.heldMs)}`;
  if (o.signal?.aborted)
    return done({
      status: "skip",
      summary: `interrupted; before that the session ${describe(first)}`,
      data: { maxMs, first },
    });
  const helps = second.outcome === "alive";
  const silent =
    first.outcome === "black-hole" ||
    first.outcome === "rst-on-keystroke" ||
    first.outcome === "rst";
  const data = {
    maxMs,
    first,
    second,
    keepaliveMs,
    keepaliveHelps: helps,
    ...(half ? { half } : {}),
    ...(keys ? { keystrokes: keys, keystrokesHelp: keysHelp } : {}),
    ...(bracket ? { diedBetweenMs: bracket } : {}),
  };
  const halfSaid =
    half && bracket
      ? `; a second session held ${formatMs(half.heldMs)} was ${half.outcome === "alive" ? "still alive" : "dead too"} (so it dies ${within} idle)`
      : "";
  const keysSaid = keysTried
    ? `; with Enter every ${formatMs(keepaliveMs)}: ${describe(keys)} — keystrokes ${keysHelp ? "help" : "do not help"}`
    : "";
  const summary = `${describe(first)}${halfSaid}; with keepalive every ${formatMs(keepaliveMs)}: ${describe(second)} — keepalive ${helps ? "helps" : "does not help"}${keysSaid}`;
  const atLogin = first.atLogin && first.diagnosis?.cause === "login-timeout";
  let finding: Candidate;
  if (atLogin && first.diagnosis) {
    finding = {
      ...first.diagnosis,
      evidence: [
        ...first.diagnosis.evidence.slice(0, 3),
        "without --user the session waited at the login prompt: this is the login timeout, not the idle timeout after login",
      ],
    };
  } else if (silent && (helps || first.newConnection?.ok)) {
    finding = {
      cause: "middlebox-timeout",
      confidence: helps ? 0.92 : 0.7,
      summary: `A NAT or firewall on the path forgets an idle connection ${measured !== undefined ? `after ${formatMs(measured)}` : within}${helps ? `; keepalive every ${formatMs(keepaliveMs)} keeps it open` : ""}.`,
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
        `with TCP keepalive and IAC NOP every ${formatMs(keepaliveMs)}: ${describe(second)}`,
        "the server never said goodbye: no FIN or message came from it",
      ],
      advice: [
        helps
          ? `Use \`teldoc connect ${target(o)} --keepalive ${formatDurationFlag(keepaliveMs)}\`: measured, a session with keepalive every ${formatMs(keepaliveMs)} stayed open ${formatMs(second.heldMs)} (in PuTTY "Seconds between keepalives", or ssh's ServerAliveInterval if you switch).`
          : `Keepalive every ${formatMs(keepaliveMs)} did not keep a session open: the state is forgotten sooner (it dies ${within} idle) or the middlebox does not count keepalives; try \`teldoc connect ${target(o)} --keepalive 1s\`, and if that dies too, only the middlebox's timeout can change.`,
        "Or ask the network team to raise the idle (established) TCP timeout of the NAT or firewall between you and the host.",
      ],
    };
  } else if (!silent && keysTried && !keysHelp) {
    // Input did not keep it open either: not an idle policy.
    const specific =
      first.diagnosis &&
      first.diagnosis.cause !== "idle-timeout" &&
      first.diagnosis.cause !== "server-closed"
        ? first.diagnosis
        : undefined;
    finding = specific ?? {
      cause: "server-closed",
      confidence: 0.75,
      summary: `The server ends the session about ${formatMs(measured ?? first.heldMs)} in, with or without input: not an idle timeout.`,
      evidence: [
        `idle session ${describe(first)}`,
        `with Enter pressed every ${formatMs(keepaliveMs)}: ${describe(keys)}`,
        `with TCP keepalive and IAC NOP every ${formatMs(keepaliveMs)}: ${describe(second)}`,
      ],
      advice: [
        "Something on the server ends sessions after a fixed time (a session time limit, a wrapper script, a crashing shell): the server's log at those times says which.",
        "Neither keepalive nor keystrokes will keep it open; ask the administrator.",
      ],
    };
  } else if (!silent && !helps) {
    finding = {
      cause: "idle-timeout",
      confidence: keysHelp ? 0.95 : 0.92,
      summary: `The server ends a session after ${formatMs(measured ?? first.heldMs)} without input; keepalive does not change that${keysHelp ? ", keystrokes do" : ""}.`,
      evidence: [
        `idle session ${describe(first)}`,
        `with TCP keepalive and IAC NOP every ${formatMs(keepaliveMs)}: ${describe(second)}`,
        keysHelp && keys
          ? `with Enter pressed every ${formatMs(keepaliveMs)}: ${describe(keys)}`
          : "keepalive traffic is not input: the server's idle policy counts keystrokes",
      ],
      advice: [
        "This is the server's idle policy (bash/ksh TMOUT, Cisco `exec-timeout`, Junos `idle-timeout`, login.defs): keepalive cannot beat it because it needs keystrokes.",
        "Ask the administrator to raise it for your account or line, or use `--anti-idle` if your policy allows (it defeats the server's policy on purpose).",
      ],
    };
  } else if (!silent && helps) {
    finding = {
      cause: "idle-timeout",
      confidence: 0.75,
      summary: `The server ends an idle session after ${formatMs(measured ?? first.heldMs)}, but keepalive every ${formatMs(keepaliveMs)} keeps it open.`,
      evidence: [
        `idle session ${describe(first)}`,
        `with TCP keepalive and IAC NOP every ${formatMs(keepaliveMs)}: ${describe(second)}`,
      ],
      advice: [
        `Use \`teldoc connect ${target(o)} --keepalive ${formatDurationFlag(keepaliveMs)}\`: this server counts keepalive traffic as activity.`,
      ],
    };
  } else {
    finding = first.diagnosis ?? {
      cause: "network-failure",
      confidence: 0.6,
      summary: "An idle session died silently and keepalive did not save it.",
      evidence: [`idle session ${describe(first)}`, `with keepalive: ${describe(second)}`],
      advice: [`Run \`teldoc diagnose ${target(o)}\` again to see whether the path works at all.`],
    };
  }
  return done({ status: "fail", summary, data, finding });
}
