/**
 * @module The `idle` check (--idle-test MAX): hold a session idle up to MAX and record when and
 * how it dies — FIN with a message, a silent FIN, RST, RST on the next keystroke, or a black hole
 * (the keystroke is never answered) — then, if it died, hold another with TCP keepalive and
 * IAC NOP at about half that time. A server's idle policy ignores keepalive (it needs
 * keystrokes); a middlebox timeout does not.
 */
import {
  describeIdleRun as describe,
  diagnose,
  type IdleRun,
  idleFinding,
  stripControls,
  summarize,
} from "../diagnosis/index.js";
import { sleep, systemClock } from "../session/clock.js";
import type { TraceEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import { logIn } from "./login.js";
import { type OpenSession, probeTelnet } from "./telnet.js";
import type { CheckResult, DiagnoseOptions } from "./types.js";

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

/** How often the hold says how far it has come. */
const NEWS_EVERY_MS = 1000;

/**
 * Wait on the session's clock until `holdMs` have passed or the session ends, with news every
 * second; returns how long it held. (The session's socket keeps the process alive meanwhile.)
 */
async function hold(
  open: OpenSession,
  holdMs: number,
  label: string,
  news: (text: string) => void,
): Promise<number> {
  const clock = open.session.clock;
  const t0 = clock.now();
  const ended = new AbortController();
  void open.ended.then(() => ended.abort());
  while (!open.isEnded() && clock.now() - t0 < holdMs) {
    const held = clock.now() - t0;
    news(
      `holding a session idle${label}: ${Math.round(held / 1000)} s of ${Math.round(holdMs / 1000)} s`,
    );
    await sleep(clock, Math.min(NEWS_EVERY_MS, holdMs - held), ended.signal);
  }
  return clock.now() - t0;
}

/** What every hold's run starts from: how it was held, and whether at the login prompt. */
type RunBase = Pick<IdleRun, "keepaliveMs" | "keystrokeMs" | "heldMs" | "atLogin">;

/** The server's text in `events` from `from` on, without control characters. */
function textSince(events: readonly TraceEvent[], from: number): string {
  return stripControls(
    events
      .filter((e) => e.type === "data" && e.dir === "in" && e.t >= from)
      .map((e) => (e.type === "data" ? e.text : ""))
      .join(""),
  ).trim();
}

/**
 * Hold one session idle for `holdMs`, then press Enter once and see what answers (the monitor
 * holds sessions with it too).
 */
export async function holdIdle(
  o: DiagnoseOptions,
  holdMs: number,
  keepaliveMs: number | undefined,
  news: (text: string) => void,
  /** Press Enter at this interval instead of staying idle (real input, unlike keepalive). */
  keystrokeMs?: number,
): Promise<IdleRun> {
  const base: RunBase = {
    ...(keepaliveMs ? { keepaliveMs } : {}),
    ...(keystrokeMs ? { keystrokeMs } : {}),
    heldMs: 0,
    atLogin: o.user === undefined,
  };
  const opened = await openToHold(o, keepaliveMs, keystrokeMs);
  if ("why" in opened) return { ...base, outcome: "no-session", why: opened.why };
  const { open } = opened;
  const rec = open.session.recorder;
  // The server's idle clock starts at our last keystroke (the login's last line, if any).
  const lastOut = rec.events().findLast((e) => e.type === "data" && e.dir === "out");
  const holdFrom = rec.elapsed();
  const idleFrom = lastOut?.t ?? holdFrom;
  const label = keepaliveMs ? ` with keepalive every ${formatMs(keepaliveMs)}` : "";
  const heldMs = await hold(open, holdMs, label, news);
  if (o.signal?.aborted) return { ...base, heldMs, outcome: "no-session", why: "interrupted" };
  if (open.isEnded()) return diedWhileHeld({ ...base, heldMs }, open, holdFrom, idleFrom);
  // Still open as far as we know: a keystroke tells a live session from a forgotten one.
  const keyAt = rec.elapsed();
  if (await answersEnter(open, news)) {
    open.session.close("script");
    return { ...base, heldMs, outcome: "alive" };
  }
  if (!open.isEnded()) open.session.close("dead-peer");
  await open.ended;
  return diedOnKeystroke({ ...base, heldMs }, open, keyAt);
}

/** A session to hold (logged in when there is a user), or why there is none. */
async function openToHold(
  o: DiagnoseOptions,
  keepaliveMs: number | undefined,
  keystrokeMs: number | undefined,
): Promise<{ open: OpenSession } | { why: string }> {
  const probe = await probeTelnet(o, "always", undefined, {
    deadPeerMs: ANSWER_MS,
    ...(keepaliveMs ? { keepaliveMs } : {}),
    ...(keystrokeMs ? { antiIdle: { text: "\r\n", everyMs: keystrokeMs } } : {}),
  });
  if (!probe.telnet) return { why: probe.tcp.summary };
  const { result, open } = await probe.telnet;
  if (!open) return { why: result.summary };
  if (o.user !== undefined) {
    const login = await logIn(open, o.user, o.password, 10_000);
    if (!login.loggedIn) {
      open.session.close("script");
      return { why: `login: ${login.result.summary}` };
    }
  }
  return { open };
}

/** The session ended while held: how, after how long idle, and what the server said. */
function diedWhileHeld(
  base: RunBase,
  open: OpenSession,
  holdFrom: number,
  idleFrom: number,
): IdleRun {
  const rec = open.session.recorder;
  const events = rec.events();
  const d = diagnose(events);
  const s = summarize(events);
  const said = textSince(events, holdFrom);
  const diedAt = endT(events, idleFrom) ?? rec.elapsed();
  return {
    ...base,
    outcome: s.transport === "rst" ? "rst" : said !== "" ? "fin-message" : "fin-silent",
    diedAfterMs: Math.max(0, diedAt - idleFrom),
    ...(said !== "" ? { serverSaid: s.lastServerText || said.slice(-200) } : {}),
    diagnosis: d,
  };
}

/** Press Enter once: true when the server answers anything in time. */
async function answersEnter(open: OpenSession, news: (text: string) => void): Promise<boolean> {
  news("idle time is up: pressing Enter to see whether the session is still there");
  const before = open.inbox.end;
  open.session.send("\r");
  // The dead-peer timer fires at ANSWER_MS, then its probe may take 5 s to connect and 1.5 s to hear.
  const heard = await open.inbox.wait(
    () => (open.inbox.end > before ? { value: true } : undefined),
    ANSWER_MS + 8000,
  );
  return heard.ok;
}

/** The keystroke went unanswered and the session has ended: RST, FIN, or a black hole. */
function diedOnKeystroke(base: RunBase, open: OpenSession, keyAt: number): IdleRun {
  const events = open.session.recorder.events();
  const s = summarize(events);
  const d = diagnose(events);
  if (s.transport === "rst") return { ...base, outcome: "rst-on-keystroke", diagnosis: d };
  if (s.transport === "fin") {
    const said = textSince(events, keyAt);
    return {
      ...base,
      outcome: said !== "" ? "fin-message" : "fin-silent",
      ...(said !== "" ? { serverSaid: s.lastServerText } : {}),
      diagnosis: d,
    };
  }
  return {
    ...base,
    outcome: "black-hole",
    ...(s.probe ? { newConnection: { ok: s.probe.ok, gotData: s.probe.gotData === true } } : {}),
    diagnosis: d,
  };
}

/** The holds after a first death, run at once. */
interface Retries {
  /** Keepalive (and Enter, for `keys`) at about half the time the first session lasted. */
  readonly keepaliveMs: number;
  /** Held with keepalive. */
  readonly second: IdleRun;
  /** Held MAX/2 with nothing, when the first death gave no time. */
  readonly half?: IdleRun;
  /** Held with Enter pressed, when the server closed the first in order. */
  readonly keys?: IdleRun;
}

/**
 * Run the idle check.
 * @example (await checkIdle({ ...options, idleTestMs: 60_000 }, () => {})).data.keepaliveHelps
 */
export async function checkIdle(
  o: DiagnoseOptions,
  news: (text: string) => void,
): Promise<CheckResult> {
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const maxMs = o.idleTestMs ?? 60_000;
  const first = await holdIdle(o, maxMs, undefined, news);
  const done = (r: Omit<CheckResult, "id" | "durationMs">): CheckResult => ({
    id: "idle",
    durationMs: clock.now() - t0,
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
  const retries = await holdAgain(o, maxMs, first, news);
  if (o.signal?.aborted)
    return done({
      status: "skip",
      summary: `interrupted; before that the session ${describe(first)}`,
      data: { maxMs, first },
    });
  return done(idleFailed(o, maxMs, first, retries));
}

/**
 * The first session died: again, with keepalive at about half the time it lasted. A silent
 * death gives no time: meanwhile, a plain session held half as long brackets it. A server that
 * closed in order: does real input (Enter every half the time) keep it open? Yes is an idle
 * policy; no is a server that ends sessions whatever the user does.
 */
async function holdAgain(
  o: DiagnoseOptions,
  maxMs: number,
  first: IdleRun,
  news: (text: string) => void,
): Promise<Retries> {
  const measured = first.diedAfterMs;
  const keepaliveMs = Math.max(1000, Math.round((measured ?? maxMs / 2) / 2));
  const hold2 =
    measured !== undefined ? Math.min(maxMs, measured + Math.max(3000, measured / 2)) : maxMs;
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
  return { keepaliveMs, second, ...(half ? { half } : {}), ...(keys ? { keys } : {}) };
}

/** Where a silent death falls, from the session held MAX/2 (undefined without one). */
function bracketOf(
  half: IdleRun | undefined,
  maxMs: number,
): { fromMs: number; toMs: number } | undefined {
  if (half === undefined || half.outcome === "no-session") return undefined;
  return half.outcome === "alive"
    ? { fromMs: Math.round(maxMs / 2), toMs: maxMs }
    : { fromMs: 0, toMs: Math.round(maxMs / 2) };
}

/** The result when the first session died: every hold in the data and the summary; the finding. */
function idleFailed(
  o: DiagnoseOptions,
  maxMs: number,
  first: IdleRun,
  { keepaliveMs, second, half, keys }: Retries,
): Omit<CheckResult, "id" | "durationMs"> {
  const keysTried = keys !== undefined && keys.outcome !== "no-session";
  const keysHelp = keysTried && keys.outcome === "alive";
  const bracket = bracketOf(half, maxMs);
  const helps = second.outcome === "alive";
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
  const within = bracket
    ? `${bracket.fromMs > 0 ? `after ${formatMs(bracket.fromMs)} and ` : ""}within ${formatMs(bracket.toMs)}`
    : `within ${formatMs(first.diedAfterMs ?? first.heldMs)}`;
  const halfSaid =
    half && bracket
      ? `; a second session held ${formatMs(half.heldMs)} was ${half.outcome === "alive" ? "still alive" : "dead too"} (so it dies ${within} idle)`
      : "";
  const keysSaid = keysTried
    ? `; with Enter every ${formatMs(keepaliveMs)}: ${describe(keys)} — keystrokes ${keysHelp ? "help" : "do not help"}`
    : "";
  const summary = `${describe(first)}${halfSaid}; with keepalive every ${formatMs(keepaliveMs)}: ${describe(second)} — keepalive ${helps ? "helps" : "does not help"}${keysSaid}`;
  const finding = idleFinding({
    target: target(o),
    maxMs,
    first,
    second,
    keepaliveMs,
    ...(half ? { half } : {}),
    ...(keys ? { keys } : {}),
    ...(bracket ? { bracket } : {}),
  });
  return { status: "fail", summary, data, finding };
}
