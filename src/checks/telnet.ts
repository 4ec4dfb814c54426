/**
 * @module The `telnet` check, on the connection the `tcp` check made (probeTelnet dials once
 * for both): what the service does — banner, the options it offers and how it answers ours, a
 * login prompt and the times to first byte and to prompt, or another protocol on the port. The
 * open session can be handed to the login check.
 */
import {
  type Candidate,
  cleanText,
  diagnose,
  summarize,
  tlsOnPort,
  wrongService,
} from "../diagnosis/index.js";
import { optionName } from "../protocol/constants.js";
import { type ClientOptions, ClientSession, type SessionEnd } from "../session/client.js";
import type { Inbox } from "../session/inbox.js";
import { textInbox, whenConnected } from "../session/text-inbox.js";
import type { ConnectedEvent, TraceEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import { tcpResult } from "./tcp.js";
import { watchForPrompt } from "./telnet-watch.js";
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
  sessionOptions: Pick<ClientOptions, "deadPeerMs" | "keepaliveMs"> = {},
): Promise<TelnetProbe> {
  const t0 = performance.now();
  const session = new ClientSession({
    host: options.host,
    port: options.port,
    connectTimeoutMs: options.connectTimeoutMs,
    rawIo: true,
    deadPeerMs: 0,
    terminalTypes: ["VT100"],
    signal: options.signal,
    ...sessionOptions,
  });
  const ended = session.run();
  const inbox = textInbox(session, ended);
  let isEnded = false;
  void ended.then(() => {
    isEnded = true;
  });
  const connected = await whenConnected(session, ended);
  const tcp = tcpResult(session.recorder.events(), performance.now() - t0);
  if (!connected) return { tcp };
  onNews?.("connected; waiting for the service");
  const open: OpenSession = {
    session,
    inbox,
    ended,
    isEnded: () => isEnded,
    nudged: false,
  };
  return { tcp, telnet: watchService(open, keep) };
}

async function watchService(
  open: OpenSession,
  keep: KeepOpen,
): Promise<{ result: CheckResult; open?: OpenSession }> {
  const { session } = open;
  const t0 = performance.now();
  const rec = session.recorder;
  const connectedAt = rec.elapsed();
  const seen = await watchForPrompt(open);
  const { text, firstByteAt, promptKind, promptAt, nudged } = seen;
  const events = rec.events();
  const offered = optionLines(events, "in");
  const answered = optionLines(events, "out");
  const clean = cleanText(text);
  const banner = clean
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
  const data = {
    inEffect,
    firstByteMs: firstByteAt !== undefined ? round(firstByteAt - connectedAt) : undefined,
    promptMs: promptAt !== undefined ? round(promptAt - connectedAt) : undefined,
    prompt: promptKind ?? null,
    loginPrompt: promptKind === "login" || promptKind === "password",
    banner,
    offered,
    answered,
    nudged,
    bytesIn: session.bytesIn,
  };
  const durationMs = performance.now() - t0;
  const fail = (finding: Candidate, summary: string) => ({
    result: { id: "telnet" as const, status: "fail" as const, summary, durationMs, data, finding },
  });

  const finding = wrongService(summarize(events), events);
  if (finding) {
    session.close("script");
    return fail(finding, `not Telnet: ${finding.summary}`);
  }
  // Silence, then a close as we pressed Enter (or silence to the end): perhaps TLS.
  const enterAt = events.find((e) => e.type === "data" && e.dir === "out")?.t;
  const closedAt = events.find((e) => e.type === "fin" || e.type === "socket-error")?.t;
  const closedOnEnter =
    enterAt !== undefined && closedAt !== undefined && closedAt - enterAt < 1000;
  if (firstByteAt === undefined && nudged && (closedOnEnter || !open.isEnded())) {
    const remote = events.find((e): e is ConnectedEvent => e.type === "connected")?.remote;
    const tls = remote ? await probeTls(remote.address, remote.port, 2000) : undefined;
    if (tls?.tls && remote) {
      session.close("script");
      const host = events.find((e) => e.type === "resolving")?.host ?? remote.address;
      const finding = tlsOnPort({ host, port: remote.port, closedOnEnter, ...tls });
      return fail(
        finding,
        `not Telnet: the port speaks TLS (${tls.protocol ?? "handshake answered"})`,
      );
    }
  }
  if (open.isEnded()) {
    const d = diagnose(events);
    const heard =
      firstByteAt === undefined
        ? "without sending a byte"
        : banner.length > 0
          ? `after saying "${banner.at(-1)}"`
          : "after negotiating only";
    return fail(d, `closed by the server ${heard} — ${d.cause}: ${d.summary}`);
  }
  const negotiation =
    offered.length > 0
      ? `options in effect: server ${inEffect.server.join(", ") || "none"}; ours ${inEffect.client.join(", ") || "none"} (${offered.length} message(s) from the server)`
      : "no option negotiation";
  let result: CheckResult;
  if (promptKind === "login" || promptKind === "password") {
    result = {
      id: "telnet",
      status: "pass",
      summary: `${promptKind} prompt after ${formatMs(data.promptMs ?? 0)}; ${negotiation}`,
      durationMs,
      data,
    };
  } else if (promptKind === "shell") {
    result = {
      id: "telnet",
      status: "pass",
      summary: `a prompt without login after ${formatMs(data.promptMs ?? 0)} ("${banner.at(-1) ?? ""}"); ${negotiation}`,
      durationMs,
      data,
    };
  } else if (text !== "") {
    result = {
      id: "telnet",
      status: "warn",
      summary: `text but no prompt seen (last: "${banner.at(-1) ?? ""}"); ${negotiation}`,
      durationMs,
      data,
    };
  } else if (offered.length > 0) {
    result = {
      id: "telnet",
      status: "warn",
      summary: `negotiation but no text in ${formatMs(durationMs)}${nudged ? " (Enter was pressed once)" : ""}; ${negotiation}`,
      durationMs,
      data,
    };
  } else {
    result = {
      id: "telnet",
      status: "warn",
      summary: `connected, but the server sent nothing in ${formatMs(durationMs)}${nudged ? ", even after Enter" : ""}: a service that waits for its client to speak first, or a held (denied) connection`,
      durationMs,
      data,
    };
  }
  const atLogin = promptKind === "login" || promptKind === "password";
  if (keep === "always" || (keep === "prompt" && atLogin)) return { result, open };
  session.close("script");
  return { result };
}
