/**
 * @module The commands of the `teldoc>` prompt. As in the classic client (inetutils telnet), a
 * command that did its job returns to the session; `help` and a mistyped command keep the
 * prompt open so the user can try again; an empty line returns at once.
 */
import { Opt, optionName } from "../protocol/constants.js";
import type { ClientSession } from "../session/client.js";
import { formatMs, parseDuration } from "../util/duration.js";
import { promptHelp } from "./escape-help.js";
import { liveEvents } from "./live-events.js";

/** What a prompt command printed, and whether the prompt stays open (`again`). */
export interface PromptReply {
  readonly text?: string;
  readonly again: boolean;
}

const SENDABLE = ["AYT", "NOP", "BRK", "IP", "AO", "EC", "EL", "GA"] as const;
type Sendable = (typeof SENDABLE)[number];

/**
 * Run one command typed at the `teldoc>` prompt.
 * @example promptCommand(session, "send ayt") // { again: false }: back to the session
 */
export function promptCommand(session: ClientSession, line: string): PromptReply {
  const [word, arg = ""] = line.trim().split(/\s+/, 2);
  switch ((word ?? "").toLowerCase()) {
    case "":
      return { again: false };
    case "close":
    case "quit":
    case "q":
      session.close("user");
      return { again: false };
    case "status":
      return { text: statusText(session), again: false };
    case "send":
      return sendCommand(session, arg);
    case "keepalive":
      return keepalive(session, arg);
    case "toggle":
      if (arg.toLowerCase() !== "trace") return { text: "toggle what? trace", again: true };
      return { text: toggleTrace(session), again: false };
    case "help":
    case "?":
      return { text: promptHelp(), again: true };
    default:
      return { text: `unknown command "${word}"; type help`, again: true };
  }
}

function sendCommand(session: ClientSession, arg: string): PromptReply {
  const cmd = arg.toUpperCase();
  if (!(SENDABLE as readonly string[]).includes(cmd))
    return { text: "send what? ayt, nop, brk, ip, ao, ec, el or ga", again: true };
  session.sendCommand(cmd as Sendable);
  return { text: `sent IAC ${cmd}`, again: false };
}

function keepalive(session: ClientSession, arg: string): PromptReply {
  try {
    // 0 was documented as off before `off` was: both turn it off.
    const ms = parseDuration(arg, "keepalive", { off: true, zero: true });
    session.setKeepalive(ms);
    return { text: ms > 0 ? `keepalive every ${formatMs(ms)}` : "keepalive off", again: false };
  } catch (err) {
    return { text: (err as Error).message, again: true };
  }
}

const liveTraces = new WeakMap<ClientSession, () => void>();

/** Live trace on the terminal: one line per event, as `trace show` renders it. */
function toggleTrace(session: ClientSession): string {
  const stop = liveTraces.get(session);
  if (stop) {
    stop();
    liveTraces.delete(session);
    return "trace off";
  }
  liveTraces.set(session, liveEvents(session, { data: true }));
  return "trace on: events are printed as they happen";
}

/** `status`: where we are connected, the bytes, the idle time and the options in effect. */
function statusText(session: ClientSession): string {
  const o = session.options;
  const on: string[] = [];
  for (const side of ["local", "remote"] as const) {
    for (let opt = 0; opt < 256; opt++) {
      if (session.telnet.enabled(side, opt))
        on.push(`${side === "local" ? "we" : "they"} ${optionName(opt)}`);
    }
  }
  const now = session.recorder.elapsed();
  const mode = session.telnet.enabled("remote", Opt.ECHO)
    ? "character at a time (the server echoes)"
    : "line by line (local echo)";
  return [
    `Connected to ${o.host} port ${o.port}; ${session.bytesIn} bytes in, ${session.bytesOut} out`,
    `Idle for ${formatMs(now - Math.max(session.lastInAt, session.lastOutAt))}; options: ${on.join(", ") || "none"}`,
    `Mode: ${mode}; escape character is '^]'.`,
  ].join("\n");
}
