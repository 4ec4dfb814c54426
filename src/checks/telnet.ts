/**
 * @module The `telnet` check, on the connection the `tcp` check made (probeTelnet dials once
 * for both): what the service does — banner, the options it offers and how it answers ours, a
 * login prompt and the times to first byte and to prompt, or another protocol on the port. The
 * open session can be handed to the login check.
 */
import {
  type Candidate,
  diagnose,
  stripControls,
  summarize,
  tlsOnPort,
  wrongService,
} from "../diagnosis/index.js";
import { optionName } from "../protocol/constants.js";
import { type ClientOptions, ClientSession, type SessionEnd } from "../session/client.js";
import { systemClock } from "../session/clock.js";
import type { Inbox } from "../session/inbox.js";
import { textInbox, whenConnected } from "../session/text-inbox.js";
import type { ConnectedEvent, TraceEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import { tcpResult } from "./tcp.js";
import { type ServiceSeen, watchForPrompt } from "./telnet-watch.js";
import { probeTls } from "./tls.js";
import type { CheckResult, DiagnoseOptions } from "./types.js";

/** An open session at its login prompt, for the login check to continue. */
export interface OpenSession {
  readonly session: ClientSession;
  /** The server's text, for the next check to wait on (the login dialogue). */
  readonly inbox: Inbox;
  readonly ended: Promise<SessionEnd>;
  isEnded(): boolean;
  /** True when the telnet check pressed Enter (the server may answer it with a prompt more). */
  nudged: boolean;
}

/** When the telnet check stops waiting (ms after connect), on a path of no delay. */
export const TELNET_WAIT = {
  /** Quiet time after a login or shell prompt. */
  afterPromptMs: 250,
  /** Quiet time after other text before giving up on a prompt. */
  afterTextMs: 1500,
  /** Quiet time after text without a prompt before pressing Enter (and after it, to answer). */
  nudgeQuietMs: 1000,
  /** No text this long after connect: press Enter once (many devices wait for it). */
  nudgeAfterMs: 1500,
  /** Total silence before calling the service silent (tcpd holds a denied connection 5 s). */
  silentMs: 8000,
  /** The whole check, whatever the server does. */
  maxMs: 10_000,
} as const;

export type TelnetWait = { -readonly [K in keyof typeof TELNET_WAIT]: number };

/**
 * The waits on a path whose round trip is `rttMs`: each grows with it, so a prompt still on its
 * way is not taken for silence (and answered with an Enter it did not ask for). Capped at 2 s.
 * @example telnetWait(200).nudgeQuietMs // 1800
 */
export function telnetWait(rttMs: number): TelnetWait {
  const r = Math.min(Math.max(0, rttMs), 2000);
  const w = TELNET_WAIT;
  return {
    afterPromptMs: w.afterPromptMs + r,
    afterTextMs: w.afterTextMs + 3 * r,
    nudgeQuietMs: w.nudgeQuietMs + 4 * r,
    nudgeAfterMs: w.nudgeAfterMs + 4 * r,
    silentMs: w.silentMs + 4 * r,
    maxMs: w.maxMs + 8 * r,
  };
}

/** How long a TLS handshake may take to say whether the port speaks TLS. */
const TLS_LOOK_MS = 2000;

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

function optionLines(events: readonly TraceEvent[], dir: "in" | "out"): string[] {
  const out: string[] = [];
  for (const e of events) {
    if (e.type === "option" && e.dir === dir) out.push(`${e.verb} ${e.option}`);
    else if (e.type === "subneg" && e.dir === dir) out.push(`SB ${e.option} ${e.text}`.trim());
  }
  return out;
}

/** Whether the telnet check leaves its session open: never, at a login prompt, or always. */
export type KeepOpen = "never" | "prompt" | "always";

export interface TelnetProbe {
  readonly tcp: CheckResult;
  /** The probe's session: its events are the round's trace (a monitor keeps a failure's). */
  readonly session: ClientSession;
  /** Undefined when the connection failed (the telnet check is then skipped). */
  readonly telnet?: Promise<{ result: CheckResult; open?: OpenSession }>;
}

/**
 * Connect (the tcp check), then watch the service (the telnet check). `keep` says whether a
 * session is returned open (for the login, limits and idle checks).
 */
export async function probeTelnet(
  options: DiagnoseOptions,
  keep: KeepOpen = "never",
  onNews?: (text: string) => void,
  sessionOptions: Pick<ClientOptions, "deadPeerMs" | "keepaliveMs" | "antiIdle"> = {},
): Promise<TelnetProbe> {
  const clock = options.clock ?? systemClock;
  const t0 = clock.now();
  const session = new ClientSession({
    host: options.host,
    port: options.port,
    connectTimeoutMs: options.connectTimeoutMs,
    rawIo: true,
    deadPeerMs: 0,
    terminalTypes: ["VT100"],
    signal: options.signal,
    clock,
    ...sessionOptions,
  });
  const ended = session.run();
  const inbox = textInbox(session, ended);
  let isEnded = false;
  void ended.then(() => {
    isEnded = true;
  });
  const connected = await whenConnected(session, ended);
  const tcp = tcpResult(session.recorder.events(), clock.now() - t0);
  if (!connected) return { tcp, session };
  onNews?.("connected; waiting for the service");
  const open: OpenSession = {
    session,
    inbox,
    ended,
    isEnded: () => isEnded,
    nudged: false,
  };
  return { tcp, session, telnet: watchService(open, keep) };
}

/** What the telnet check saw, as its JSON data. */
function serviceData(open: OpenSession, seen: ServiceSeen, connectedAt: number) {
  const { session } = open;
  const events = session.recorder.events();
  const banner = stripControls(seen.text)
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "")
    .slice(0, 8)
    .map((l) => l.slice(0, 160));
  // What the negotiation settled on: options in effect on each side.
  const codes = [...new Set(events.flatMap((e) => (e.type === "option" ? [e.code] : [])))];
  const inEffect = {
    server: codes.filter((c) => session.telnet.enabled("remote", c)).map(optionName),
    client: codes.filter((c) => session.telnet.enabled("local", c)).map(optionName),
  };
  const since = (t: number | undefined) => (t !== undefined ? round(t - connectedAt) : undefined);
  return {
    inEffect,
    firstByteMs: since(seen.firstByteAt),
    promptMs: since(seen.promptAt),
    prompt: seen.promptKind ?? null,
    loginPrompt: seen.promptKind === "login" || seen.promptKind === "password",
    banner,
    offered: optionLines(events, "in"),
    answered: optionLines(events, "out"),
    nudged: seen.nudged,
    bytesIn: session.bytesIn,
  };
}

type ServiceData = ReturnType<typeof serviceData>;

/** Silence, then a close as we pressed Enter (or silence to the end): perhaps TLS. */
async function tlsFinding(
  open: OpenSession,
  seen: ServiceSeen,
): Promise<{ finding: Candidate; protocol?: string } | undefined> {
  const events = open.session.recorder.events();
  const enterAt = events.find((e) => e.type === "data" && e.dir === "out")?.t;
  const closedAt = events.find((e) => e.type === "fin" || e.type === "socket-error")?.t;
  const closedOnEnter =
    enterAt !== undefined && closedAt !== undefined && closedAt - enterAt < 1000;
  if (seen.firstByteAt !== undefined || !seen.nudged || (!closedOnEnter && open.isEnded()))
    return undefined;
  // Stopped by its caller (Ctrl-C, a monitor round's deadline): no time left for a TLS look.
  if (events.some((e) => e.type === "local-close" && e.reason === "signal")) return undefined;
  const remote = events.find((e): e is ConnectedEvent => e.type === "connected")?.remote;
  if (!remote) return undefined;
  const tls = await probeTls(remote.address, remote.port, TLS_LOOK_MS, open.session.clock);
  if (!tls.tls) return undefined;
  const host = events.find((e) => e.type === "resolving")?.host ?? remote.address;
  return { finding: tlsOnPort({ host, port: remote.port, closedOnEnter, ...tls }), ...tls };
}

/** The check's status and line when the session is still open. */
function openSummary(seen: ServiceSeen, data: ServiceData, durationMs: number) {
  const { offered, inEffect, banner } = data;
  const negotiation =
    offered.length > 0
      ? `options in effect: server ${inEffect.server.join(", ") || "none"}; ours ${inEffect.client.join(", ") || "none"} (${offered.length} message(s) from the server)`
      : "no option negotiation";
  const kind = seen.promptKind;
  const last = banner.at(-1) ?? "";
  if (kind === "login" || kind === "password")
    return {
      status: "pass" as const,
      summary: `${kind} prompt after ${formatMs(data.promptMs ?? 0)}; ${negotiation}`,
    };
  if (kind === "shell")
    return {
      status: "pass" as const,
      summary: `a prompt without login after ${formatMs(data.promptMs ?? 0)} ("${last}"); ${negotiation}`,
    };
  if (seen.text !== "")
    return {
      status: "warn" as const,
      summary: `text but no prompt seen (last: "${last}"); ${negotiation}`,
    };
  if (offered.length > 0)
    return {
      status: "warn" as const,
      summary: `negotiation but no text in ${formatMs(durationMs)}${seen.nudged ? " (Enter was pressed once)" : ""}; ${negotiation}`,
    };
  return {
    status: "warn" as const,
    summary: `connected, but the server sent nothing in ${formatMs(durationMs)}${seen.nudged ? ", even after Enter" : ""}: a service that waits for its client to speak first, or a held (denied) connection`,
  };
}

async function watchService(
  open: OpenSession,
  keep: KeepOpen,
): Promise<{ result: CheckResult; open?: OpenSession }> {
  const { session } = open;
  const t0 = session.clock.now();
  const connectedAt = session.recorder.elapsed();
  const seen = await watchForPrompt(open);
  const data = serviceData(open, seen, connectedAt);
  const events = session.recorder.events();
  const durationMs = session.clock.now() - t0;
  const fail = (finding: Candidate, summary: string) => {
    session.close("script");
    return {
      result: {
        id: "telnet" as const,
        status: "fail" as const,
        summary,
        durationMs,
        data,
        finding,
      },
    };
  };
  const other = wrongService(summarize(events), events);
  if (other) return fail(other, `not Telnet: ${other.summary}`);
  const tls = await tlsFinding(open, seen);
  if (tls)
    return fail(
      tls.finding,
      `not Telnet: the port speaks TLS (${tls.protocol ?? "handshake answered"})`,
    );
  if (open.isEnded()) {
    const d = diagnose(events);
    const heard =
      seen.firstByteAt === undefined
        ? "without sending a byte"
        : data.banner.length > 0
          ? `after saying "${data.banner.at(-1)}"`
          : "after negotiating only";
    return fail(d, `closed by the server ${heard} — ${d.cause}: ${d.summary}`);
  }
  const result: CheckResult = {
    id: "telnet",
    ...openSummary(seen, data, durationMs),
    durationMs,
    data,
  };
  if (keep === "always" || (keep === "prompt" && data.loginPrompt)) return { result, open };
  session.close("script");
  return { result };
}
