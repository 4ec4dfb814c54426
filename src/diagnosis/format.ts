/** @module Wording helpers shared by the rules: durations, times, quotes, suggested flags. */
import { formatDurationFlag, formatMs } from "../util/duration.js";
import type { SessionSummary, Target } from "./types.js";

/**
 * A duration for people.
 * @example dur(10002) // "10.0 s"
 */
export function dur(ms: number): string {
  return formatMs(Math.max(0, ms));
}

/**
 * A point in the session, counted from its start.
 * @example at(1500) // "at 1.5 s"
 */
export function at(t: number): string {
  return `at ${dur(t)}`;
}

/** "server said: ..." evidence. */
export function said(line: string): string {
  return `server said: ${line}`;
}

/** The wire word for how the server closed. */
export function closeWord(s: SessionSummary): string {
  if (s.transport === "rst") return "RST";
  return s.transport === "fin" ? "FIN" : s.transport;
}

/** True when the server closed the connection (FIN or RST). */
export function closedByServer(s: SessionSummary): boolean {
  return s.transport === "fin" || s.transport === "rst";
}

/**
 * A keepalive interval safely below a measured idle limit, as a flag value.
 * @example keepaliveBelow(300_000) // "240s"
 */
export function keepaliveBelow(ms: number): string {
  const step = ms >= 60_000 ? 10_000 : 1000;
  // Past five minutes a keepalive costs nothing more at 300 s, and the real limit may be lower.
  const value = Math.min(300_000, Math.max(step, Math.floor((ms * 0.8) / step) * step));
  return formatDurationFlag(Math.max(1000, Math.round(value / 1000) * 1000));
}

/**
 * A keepalive for a flow a middlebox forgot after at most `ceilingMs` idle, having survived
 * `floorMs` quiet: below the floor when the floor is a fair part of the ceiling (`proven`: the
 * flow outlived that much), else a third of the ceiling (below the bound, not proven).
 * @example keepaliveBracket(0, 6000) // { flag: "2s", proven: false }
 * @example keepaliveBracket(120_000, 300_000) // { flag: "90s", proven: true }
 */
export function keepaliveBracket(
  floorMs: number,
  ceilingMs: number,
): { flag: string; ms: number; proven: boolean } {
  if (floorMs >= 1000 && floorMs >= ceilingMs / 3 && floorMs < ceilingMs) {
    const flag = keepaliveBelow(floorMs);
    return { flag, ms: flagMs(flag), proven: true };
  }
  const third = ceilingMs / 3;
  const step = third >= 60_000 ? 10_000 : 1000;
  const ms = Math.min(300_000, Math.max(1000, Math.floor(third / step) * step));
  return { flag: formatDurationFlag(ms), ms, proven: false };
}

/** The milliseconds of a flag keepaliveBelow() wrote ("240s", "1500ms"). */
function flagMs(flag: string): number {
  return flag.endsWith("ms") ? Number(flag.slice(0, -2)) : Number(flag.slice(0, -1)) * 1000;
}

/**
 * An `--idle-test` value that outlasts an idle limit of at most `ms` by half.
 * @example idleTestFlag(6000) // "9s"
 */
export function idleTestFlag(ms: number): string {
  const want = ms * 1.5;
  return want < 120_000
    ? `${Math.max(1, Math.ceil(want / 1000))}s`
    : `${Math.ceil(want / 60_000)}m`;
}

/** True when a duration sits close to a round value (a configured timeout, not chance). */
export function isRound(ms: number): boolean {
  const unit = ms < 120_000 ? 10_000 : 60_000;
  const nearest = Math.round(ms / unit) * unit;
  return nearest > 0 && Math.abs(ms - nearest) <= Math.max(1500, ms * 0.02);
}

/** The first line of a text, cut to `max`, with control bytes shown as \xHH. */
export function firstLine(text: string, max = 80): string {
  const line = text.split(/\r?\n|\r/)[0] ?? "";
  const shown = line.replace(
    /[\x00-\x1f\x7f-\xff]/g,
    (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`,
  );
  return shown.length > max ? `${shown.slice(0, max - 1)}…` : shown;
}

/** Hex bytes spaced for people: "15 03 03 00 02". */
export function spacedHex(hex: string, maxBytes = 12): string {
  return (hex.slice(0, maxBytes * 2).match(/../g) ?? []).join(" ");
}

/**
 * The host as the user wrote it (the address when no name is known; `HOST` when nothing is).
 * @example hostOf({ host: "sw1", port: 23 }) // "sw1"
 */
export function hostOf(t: Pick<Target, "host" | "address">): string {
  return t.host || t.address || "HOST";
}

/**
 * `host:port` as URLs and `openssl s_client -connect` want it (IPv6 in brackets).
 * @example hostPort("::1", 992) // "[::1]:992"
 */
export function hostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** HOST [PORT] as teldoc's command line takes them (the port only when it is not 23). */
function targetArgs(t: Pick<Target, "host" | "address" | "port">): string {
  return `${hostOf(t)}${t.port !== 23 ? ` ${t.port}` : ""}`;
}

/**
 * The `teldoc diagnose` command for this target, with flags, in backticks.
 * @example diagnoseCommand({ host: "sw1", port: 2323 }, "--idle-test 9s") // "`teldoc diagnose sw1 2323 --idle-test 9s`"
 */
export function diagnoseCommand(t: Pick<Target, "host" | "address" | "port">, flags = ""): string {
  return `\`teldoc diagnose ${targetArgs(t)}${flags ? ` ${flags}` : ""}\``;
}

/**
 * Where the administrator finds the rule or setting behind a server-side cause: the
 * `teldoc server-check` command to run on the server, with this client's address when known.
 * @example serverCheckAdvice({ target: { host: "sw1", port: 23 }, localAddress: "10.0.0.5" })
 */
export function serverCheckAdvice(s: {
  readonly target: Pick<Target, "port">;
  readonly localAddress?: string;
}): string {
  const port = s.target.port !== 23 ? ` --port ${s.target.port}` : "";
  return s.localAddress
    ? `On the server (Linux), \`teldoc server-check --client ${s.localAddress}${port}\` names the file and line that decide this (tcp wrappers, xinetd, limits, login policy).`
    : `On the server (Linux), \`teldoc server-check${port}\` with --client and this machine's address names the file and line that decide this.`;
}

/**
 * The `teldoc connect` command for this target, with flags, in backticks.
 * @example connectCommand({ host: "sw1", port: 23 }, "--keepalive 2s") // "`teldoc connect sw1 --keepalive 2s`"
 */
export function connectCommand(t: Pick<Target, "host" | "address" | "port">, flags = ""): string {
  return `\`teldoc connect ${targetArgs(t)}${flags ? ` ${flags}` : ""}\``;
}
