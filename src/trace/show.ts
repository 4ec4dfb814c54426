/**
 * @module `trace show`: a trace as a timeline for people — both directions, negotiation
 * decoded, silences marked with their length. Pure: events in, lines out.
 */

import { formatMs, formatRtt } from "../util/duration.js";
import type { EndEvent, TraceEvent } from "./events.js";

/** Silences at least this long are marked unless told otherwise (`trace show --gap`). */
export const DEFAULT_GAP_MS = 1000;

export interface ShowOptions {
  /** Mark silences at least this long (default 1000 ms). */
  readonly gapMs?: number;
  /** Show raw read/write events too. */
  readonly raw?: boolean;
  /** Longest text shown per data event (default 200 characters). */
  readonly maxText?: number;
}

const ARROW = { in: "<-", out: "->" } as const;

/** Visible text: control characters as escapes, long text cut. */
function visible(text: string, max: number): string {
  const shown = text.replace(/[\u0000-\u001f\u007f-\u00ff]/g, (c) => {
    if (c === "\r") return "\\r";
    if (c === "\n") return "\\n";
    if (c === "\t") return "\\t";
    if (c === "\u001b") return "\\e";
    return `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`;
  });
  return shown.length > max ? `${shown.slice(0, max)}… (${text.length} chars)` : shown;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(3).padStart(9)}s`;
}

function describe(e: TraceEvent, maxText: number): string | undefined {
  switch (e.type) {
    case "resolving":
      return `resolving ${e.host}`;
    case "resolved":
      return `resolved ${e.host} -> ${e.addresses.map((a) => a.address).join(", ")} (${formatRtt(e.durationMs)})`;
    case "resolve-failed":
      return `could not resolve ${e.host}: ${e.code}`;
    case "connecting":
      return `connecting to ${e.address} port ${e.port} (attempt ${e.attempt})`;
    case "connected":
      return `connected ${e.local.address}:${e.local.port} -> ${e.remote.address}:${e.remote.port} (${formatRtt(e.durationMs)})`;
    case "connect-failed":
      return `connect to ${e.address} port ${e.port} failed: ${e.outcome} (${e.code}) after ${formatMs(e.durationMs)}`;
    case "read":
    case "write":
      return `${e.type === "read" ? "<=" : "=>"} ${e.bytes} bytes ${e.hex.length > 64 ? `${e.hex.slice(0, 64)}…` : e.hex}`;
    case "data":
      if (e.bytes !== undefined && e.bytes > e.text.length) {
        return `${ARROW[e.dir]} ${e.bytes} bytes, ending "${visible(e.text.slice(-maxText), maxText)}"`;
      }
      return `${ARROW[e.dir]} "${visible(e.text, maxText)}"${e.masked ? " (masked)" : ""}`;
    case "option":
      return `${ARROW[e.dir]} IAC ${e.verb} ${e.option}`;
    case "subneg":
      return `${ARROW[e.dir]} IAC SB ${e.option} ${e.text}`;
    case "command":
      return `${ARROW[e.dir]} IAC ${e.command}`;
    case "protocol-error":
      return `!! peer protocol error ${e.code}: ${e.message}`;
    case "timer":
      return `timer ${e.name} fired${e.detail ? `: ${e.detail}` : ""}`;
    case "fin":
      return "<- FIN: the server closed its side";
    case "socket-error":
      return `!! socket error ${e.code}${e.code === "ECONNRESET" ? " (RST from the far end)" : ""}`;
    case "local-close":
      return `-> we close (${e.reason})`;
    case "step":
      return `step ${e.what}: ${e.ok ? "ok" : "failed"}`;
    case "probe":
      return `probe: a fresh connection ${e.ok ? `works (${formatMs(e.durationMs)}${e.gotData ? ", server answered" : ""})` : `fails (${e.outcome})`}`;
    case "closed":
      return `closed by ${e.by} (${e.transport})`;
    default:
      return undefined;
  }
}

/** Render a trace as timeline lines. */
export function showTrace(
  events: readonly TraceEvent[],
  end?: EndEvent,
  options: ShowOptions = {},
): string[] {
  const gap = options.gapMs ?? DEFAULT_GAP_MS;
  const maxText = options.maxText ?? 200;
  const lines: string[] = [];
  let last: number | undefined;
  for (const e of events) {
    if (!options.raw && (e.type === "read" || e.type === "write")) continue;
    if (last !== undefined && e.t - last >= gap) {
      lines.push(`${" ".repeat(10)}   ... ${((e.t - last) / 1000).toFixed(1)} s of silence ...`);
    }
    last = e.t;
    const text = describe(e, maxText);
    if (text !== undefined) lines.push(`${seconds(e.t)}  ${text}`);
  }
  if (end) {
    const d = end.diagnosis;
    lines.push("");
    lines.push(`cause: ${d.cause} (confidence ${Math.round(d.confidence * 100)}%): ${d.summary}`);
    for (const ev of d.evidence) lines.push(`  evidence: ${ev}`);
    for (const a of d.advice) lines.push(`  advice: ${a}`);
  }
  return lines;
}
