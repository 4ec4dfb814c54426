/**
 * @module The event fold behind summarize(): one handler per event type (a table, not a switch),
 * updating a mutable accumulator of facts in event order.
 */
import type { DataEvent, TraceEvent, Transport } from "../trace/events.js";
import { findMessage } from "./match.js";
import {
  endsWithShellPrompt,
  hasCompleteLine,
  hasPrintable,
  promptAtEnd,
  stripControls,
  tail,
} from "./text.js";
import type { ConnectFailure, SessionSummary, TimedLine } from "./types.js";

/** How much cleaned server text is kept (the contract's "last ~2 KB"). */
const TEXT_KEPT = 2048;
const FIRST_KEPT = 256;
/** How many lines of the server's last words are kept (their text is bounded by TEXT_KEPT). */
const CLOSING_LINES_KEPT = 64;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Facts gathered so far; summarize() turns them into a SessionSummary. */
export interface Acc
  extends Mutable<
    Omit<
      SessionSummary,
      | "target"
      | "phase"
      | "transport"
      | "startAt"
      | "endAt"
      | "durationMs"
      | "idleMs"
      | "bytesIn"
      | "bytesOut"
      | "lastServerText"
      | "unanswered"
      | "connectFailures"
      | "closingLines"
    >
  > {
  closingLines: TimedLine[];
  firstT?: number;
  lastT?: number;
  host?: string;
  port?: number;
  address?: string;
  family?: 4 | 6;
  resolved: boolean;
  connecting: boolean;
  connectFailures: ConnectFailure[];
  rawIn: number;
  rawOut: number;
  sawRead: boolean;
  sawWrite: boolean;
  estIn: number;
  estOut: number;
  awaiting?: "login" | "password";
  outLine: string;
  lastActivity?: number;
  unansweredSince?: number;
  idleBeforeMs?: number;
  terminal?: { t: number; transport: Transport };
}

/** A fresh accumulator. */
export function newAcc(): Acc {
  return {
    resolved: false,
    connecting: false,
    connectFailures: [],
    rawIn: 0,
    rawOut: 0,
    sawRead: false,
    sawWrite: false,
    estIn: 0,
    estOut: 0,
    outLine: "",
    serverText: "",
    closingLines: [],
    firstServerText: "",
    optionsSeen: 0,
    textAfterCredentials: "",
    shellPromptAfterLogin: false,
    promptPending: false,
    survivedQuietMs: 0,
  };
}

/** Socket error codes after connect, as the transport they mean. */
const SOCKET_ERROR_TRANSPORT: Readonly<Record<string, Transport>> = {
  ECONNRESET: "rst",
  EPIPE: "rst",
  ECONNABORTED: "rst",
  ETIMEDOUT: "timeout",
  EHOSTUNREACH: "timeout",
  ENETUNREACH: "timeout",
  EHOSTDOWN: "timeout",
  ENETDOWN: "timeout",
};

/** Server messages that mean the login did not succeed. */
const LOGIN_FAILURES = [
  "auth-failed",
  "login-timeout",
  "acl-rejected",
  "service-unavailable",
] as const;

function terminal(a: Acc, t: number, transport: Transport): void {
  a.terminal ??= { t, transport };
}

function incoming(a: Acc, t: number): void {
  // Data came through after this quiet stretch (and after the one before our answered write).
  const quiet = Math.max(
    t - (a.lastActivity ?? t),
    a.unansweredSince !== undefined ? (a.idleBeforeMs ?? 0) : 0,
  );
  a.survivedQuietMs = Math.max(a.survivedQuietMs, quiet);
  a.lastInAt = t;
  a.lastActivity = t;
  a.unansweredSince = undefined;
}

function outgoing(a: Acc, t: number, bytes: number): void {
  a.estOut += bytes;
  a.lastActivity = t;
}

function wire(a: Acc, e: { t: number; dir: "in" | "out" }, bytes: number, option = false): void {
  if (e.dir === "out") {
    outgoing(a, e.t, bytes);
    return;
  }
  a.estIn += bytes;
  if (option) a.optionsSeen++;
  incoming(a, e.t);
}

function loginSucceeded(a: Acc): boolean {
  const text = a.textAfterCredentials;
  if (promptAtEnd(text)) return false;
  // A shell prompt after a MOTD that mentions maintenance or access is a login all the same.
  if (endsWithShellPrompt(text)) return true;
  if (findMessage(text, LOGIN_FAILURES)) return false;
  const passwordLast =
    a.passwordSentAt !== undefined && (a.usernameSentAt ?? -1) <= a.passwordSentAt;
  return passwordLast && hasCompleteLine(text);
}

function watchLogin(a: Acc, t: number, clean: string): void {
  if (a.usernameSentAt !== undefined || a.passwordSentAt !== undefined) {
    a.textAfterCredentials = tail(a.textAfterCredentials + clean, TEXT_KEPT);
    if (loginSucceeded(a)) {
      a.loginSucceededAt = t;
      a.shellPromptAfterLogin = endsWithShellPrompt(a.textAfterCredentials);
      return;
    }
  }
  const prompt = promptAtEnd(a.serverText);
  if (!prompt) return;
  a.closingLines = [];
  a.awaiting = prompt;
  a.promptPending = true;
  a.lastPromptAt = t;
  if (prompt === "login") a.loginPromptAt ??= t;
  else a.passwordPromptAt ??= t;
}

/**
 * Add server text to its last words, line by line; a line is dated by its last visible
 * character. A shell prompt at the end means the server went on serving: forget them.
 */
function keepClosing(a: Acc, t: number, clean: string): void {
  const lines = a.closingLines;
  const parts = clean.split("\n");
  for (let i = 0; i < parts.length; i++) {
    const text = i < parts.length - 1 ? `${parts[i]}\n` : parts[i];
    if (text === "") continue;
    const open = lines.at(-1);
    if (open && !open.text.endsWith("\n")) {
      const at = hasPrintable(parts[i]) ? t : open.t;
      lines[lines.length - 1] = { t: at, text: tail(open.text + text, TEXT_KEPT) };
    } else lines.push({ t, text });
  }
  let kept = lines.reduce((n, l) => n + l.text.length, 0);
  while (lines.length > CLOSING_LINES_KEPT || kept > TEXT_KEPT)
    kept -= lines.shift()?.text.length ?? 0;
  const last = lines.at(-1);
  if (last && !last.text.endsWith("\n") && endsWithShellPrompt(last.text)) a.closingLines = [];
}

function dataIn(a: Acc, e: DataEvent): void {
  a.estIn += e.bytes ?? e.text.length;
  incoming(a, e.t);
  if (a.firstServerText.length < FIRST_KEPT)
    a.firstServerText += e.text.slice(0, FIRST_KEPT - a.firstServerText.length);
  // Only the tail can matter to what is kept; cleaning all of a bulk transfer would cost.
  const clean = stripControls(e.text.length > TEXT_KEPT ? e.text.slice(-TEXT_KEPT) : e.text);
  a.serverText = tail(a.serverText + clean, TEXT_KEPT);
  keepClosing(a, e.t, clean);
  if (!hasPrintable(clean)) return;
  a.firstServerDataAt ??= e.t;
  if (a.loginSucceededAt === undefined) watchLogin(a, e.t, clean);
  else if (endsWithShellPrompt(a.serverText)) a.shellPromptAfterLogin = true;
}

function credential(a: Acc, t: number, kind: "login" | "password"): void {
  if (kind === "password") a.passwordSentAt = t;
  else a.usernameSentAt = t;
  a.awaiting = undefined;
  a.promptPending = false;
  a.textAfterCredentials = "";
}

function dataOut(a: Acc, e: DataEvent): void {
  a.closingLines = [];
  if (a.unansweredSince === undefined) {
    a.unansweredSince = e.t;
    a.idleBeforeMs = e.t - (a.lastActivity ?? a.connectedAt ?? e.t);
  }
  outgoing(a, e.t, e.text.length);
  a.lastOutAt = e.t;
  if (e.masked) {
    credential(a, e.t, "password");
    return;
  }
  const parts = (a.outLine + e.text).split(/[\r\n]/);
  a.outLine = tail(parts.pop() ?? "", 256);
  for (const line of parts) {
    if (a.loginSucceededAt === undefined && a.awaiting) credential(a, e.t, a.awaiting);
    else if (line.trim() !== "") a.lastCommand = { t: e.t, text: line.trim().slice(0, 80) };
  }
  if (e.text.includes("\x04") && a.outLine.replace("\x04", "").trim() === "")
    a.lastCommand = { t: e.t, text: "^D" };
}

/** The event(s) whose `type` can be K (IoEvent's type is "read" | "write"). */
type EventOf<K, E = TraceEvent> = E extends TraceEvent ? (K extends E["type"] ? E : never) : never;

type Handlers = { readonly [K in TraceEvent["type"]]: (a: Acc, e: EventOf<K>) => void };

/** One handler per event type. */
export const HANDLERS: Handlers = {
  resolving: (a, e) => {
    a.host ??= e.host;
    a.port ??= e.port;
  },
  resolved: (a, e) => {
    a.host ??= e.host;
    a.resolved = true;
  },
  "resolve-failed": (a, e) => {
    a.host ??= e.host;
    a.resolveFailed ??= {
      t: e.t,
      host: e.host,
      code: e.code,
      message: e.message,
      durationMs: e.durationMs,
    };
    terminal(a, e.t, "dns");
  },
  connecting: (a, e) => {
    a.connecting = true;
    a.address = e.address;
    a.family = e.family;
    a.port = e.port;
  },
  connected: (a, e) => {
    a.connectedAt ??= e.t;
    a.address = e.remote.address;
    a.port = e.remote.port;
    a.family = e.family;
    a.localAddress = e.local.address.replace(/^::ffff:(?=\d+\.)/, "");
    a.lastActivity = e.t;
  },
  "connect-failed": (a, e) => {
    const { type: _type, ...failure } = e;
    a.connectFailures.push(failure);
    a.address = e.address;
    a.port = e.port;
  },
  read: (a, e) => {
    a.sawRead = true;
    a.rawIn += e.bytes;
    a.firstReadHex ??= e.hex;
    incoming(a, e.t);
  },
  write: (a, e) => {
    a.sawWrite = true;
    a.rawOut += e.bytes;
    a.lastActivity = e.t;
  },
  data: (a, e) => (e.dir === "in" ? dataIn(a, e) : dataOut(a, e)),
  option: (a, e) => wire(a, e, 3, true),
  subneg: (a, e) => wire(a, e, e.bytes + 5, true),
  command: (a, e) => wire(a, e, 2),
  "protocol-error": () => {},
  timer: (a, e) => {
    if (e.name === "dead-peer") {
      a.deadPeerAt ??= e.t;
      terminal(a, e.t, "timeout");
    } else if (e.name === "login") a.loginTimerAt ??= e.t;
  },
  fin: (a, e) => {
    a.finAt ??= e.t;
    terminal(a, e.t, "fin");
  },
  "socket-error": (a, e) => {
    a.socketError ??= { t: e.t, code: e.code, message: e.message };
    terminal(a, e.t, SOCKET_ERROR_TRANSPORT[e.code] ?? "local-error");
  },
  "local-close": (a, e) => {
    a.localClose ??= { t: e.t, reason: e.reason };
    terminal(a, e.t, e.reason === "dead-peer" ? "timeout" : "local-close");
  },
  step: (a, e) => {
    if (!e.ok) a.failedStep ??= { t: e.t, what: e.what };
  },
  probe: (a, e) => {
    a.probe ??= {
      t: e.t,
      ok: e.ok,
      outcome: e.outcome,
      durationMs: e.durationMs,
      gotData: e.gotData,
    };
  },
  closed: (a, e) => {
    a.closed = { t: e.t, by: e.by, transport: e.transport };
  },
};
