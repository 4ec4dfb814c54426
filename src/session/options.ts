/**
 * @module The library's connect options: one typed table, defaults in one place, durations as
 * milliseconds or the contract's strings (`500ms`, `10s`, `5m`). Unknown keys and bad values are
 * errors that name the key, the value and the fix.
 */
import { TeldocError } from "../errors.js";
import type { WindowSize } from "../protocol/options/naws.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import { type DurationRules, MAX_DURATION_MS, parseDuration } from "../util/duration.js";
import { type Clock, systemClock } from "./clock.js";
import { DEFAULT_PAGER, DEFAULT_PROMPT } from "./output.js";
import type { ReconnectPolicy } from "./reconnect.js";

/**
 * Milliseconds (a number), or a string with its unit: `"500ms"`, `"10s"`, `"5m"`, `"2h"`; `"off"`
 * for the settings that can be turned off (idleTimeout, keepalive, deadPeer).
 */
export type Duration = number | string;

export interface ConnectOptions {
  /** Name, IPv4 or IPv6 literal. */
  readonly host: string;
  /** Default 23. */
  readonly port?: number;
  /** Resolve and TCP connect, per address tried (default 10s). */
  readonly connectTimeout?: Duration;
  /** How long `login()` may take, from its call to the shell prompt (default 30s). */
  readonly loginTimeout?: Duration;
  /** Default wait for `exec()` and `expect()` (default 10s). */
  readonly commandTimeout?: Duration;
  /** Close the session when nothing has moved either way for this long (default: `"off"`, never). */
  readonly idleTimeout?: Duration;
  /** TCP keepalive and IAC NOP at this interval (default: `"off"`). */
  readonly keepalive?: Duration;
  /** After sending, how long without any answer before the path is called dead (default 30s; `"off"`: never). */
  readonly deadPeer?: Duration;
  /** The shell or device prompt, at the end of the last line (default `/[$#>%\]][ \t]?$/`). */
  readonly prompt?: RegExp | string;
  /** Pager prompts to answer with a space, or `false` (default: `--More--` and friends). */
  readonly pager?: RegExp | false;
  /** Without GA/EOR, how long a prompt must stay last before exec trusts it when no output preceded it (default 30ms). */
  readonly quietTime?: Duration;
  /**
   * The line end sent after a command or a credential. Default: CR LF (RFC 854's end of line),
   * or a bare CR while we send in BINARY mode, where a server passes CR LF on as two keys.
   */
  readonly ors?: string;
  /** How server bytes become text (default `"utf8"`). */
  readonly encoding?: "utf8" | "latin1";
  /** Text kept for expect (default 1 MiB); older text is dropped. */
  readonly maxBuffer?: number;
  /** Longest output of one command (default 16 MiB; past it: TELDOC_ERR_OUTPUT_LIMIT). */
  readonly maxOutput?: number;
  /** Terminal type(s) offered when the server asks (default `["xterm", "vt100"]`, as the client does). */
  readonly terminalTypes?: readonly string[];
  readonly windowSize?: WindowSize;
  /**
   * Record every event: a file path (JSON Lines with raw bytes, as `--trace` writes) or a
   * function called with each event and, last, the `end` object.
   */
  readonly trace?: string | ((event: TraceEvent | EndEvent) => void);
  /** Aborting closes the session (or stops the connect). */
  readonly signal?: AbortSignal;
  /** Retry the connect when the diagnosis says a retry can help (see reconnect.ts). */
  readonly reconnect?: ReconnectPolicy | boolean;
  /**
   * Advanced: where the session's time comes from — every timer (timeouts, keepalive, idle,
   * dead peer, the pause between reconnect attempts) and every timestamp of its trace. Default:
   * the system's clock. Tests give a clock they move by hand, so timer logic runs in
   * milliseconds; I/O still happens in real time.
   */
  readonly clock?: Clock;
}

/** The options with defaults applied and durations in ms. */
export interface ResolvedOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly loginTimeoutMs: number;
  readonly commandTimeoutMs: number;
  readonly idleTimeoutMs: number | undefined;
  readonly keepaliveMs: number | undefined;
  readonly deadPeerMs: number;
  readonly prompt: RegExp;
  readonly pager: RegExp | false;
  readonly quietMs: number;
  /** undefined: automatic (CR LF, or CR in BINARY mode). */
  readonly ors: string | undefined;
  readonly encoding: "utf8" | "latin1";
  readonly maxBuffer: number;
  readonly maxOutput: number;
  readonly clock: Clock;
}

const KEYS: ReadonlySet<string> = new Set([
  "host",
  "port",
  "connectTimeout",
  "loginTimeout",
  "commandTimeout",
  "idleTimeout",
  "keepalive",
  "deadPeer",
  "prompt",
  "pager",
  "quietTime",
  "ors",
  "encoding",
  "maxBuffer",
  "maxOutput",
  "terminalTypes",
  "windowSize",
  "trace",
  "signal",
  "reconnect",
  "clock",
]);

function bad(why: string): never {
  throw new TeldocError("TELDOC_ERR_INVALID_ARGUMENT", why);
}

/**
 * A duration option in ms (undefined stays undefined). A number is milliseconds; a string needs
 * its unit (`"10s"`). Zero or less is an error unless `rules` allow 0 or `"off"` (returned as 0).
 * @example durationMs("5s", "commandTimeout") // 5000
 */
export function durationMs(
  value: Duration | undefined,
  key: string,
  rules: DurationRules = {},
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") {
    if (!Number.isFinite(value) || value < 0 || (value === 0 && !rules.zero)) {
      const fix = rules.off ? `, or "off"` : "";
      bad(
        `${key} = ${value} is not a duration: give milliseconds (${rules.zero ? ">= 0" : "> 0"}) or a string like "10s"${fix}`,
      );
    }
    if (value > MAX_DURATION_MS) bad(`${key} = ${value} is too long: at most 24 days`);
    return value;
  }
  if (typeof value === "string") return parseDuration(value, key, rules);
  return bad(`${key} must be milliseconds or a string like "10s", not ${typeof value}`);
}

/** A regular expression without the g and y flags (they make exec() stateful). */
export function toRegExp(p: RegExp | string): RegExp {
  if (typeof p === "string") return new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return p.global || p.sticky ? new RegExp(p.source, p.flags.replace(/[gy]/g, "")) : p;
}

/**
 * Check the options and apply the defaults.
 * @example resolveOptions({ host: "r1", commandTimeout: "5s" }).commandTimeoutMs // 5000
 */
export function resolveOptions(o: ConnectOptions): ResolvedOptions {
  if (o === null || typeof o !== "object") bad("connect() needs an options object: { host, port }");
  for (const k of Object.keys(o))
    if (!KEYS.has(k)) bad(`unknown option "${k}": the options are ${[...KEYS].join(", ")}`);
  if (typeof o.host !== "string" || o.host.trim() === "")
    bad(`host must be a name or an address, not ${JSON.stringify(o.host)}`);
  const port = o.port ?? 23;
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    bad(`port = ${String(port)} is not a TCP port: give 1 to 65535`);
  if (o.encoding !== undefined && o.encoding !== "utf8" && o.encoding !== "latin1")
    bad(`encoding = ${String(o.encoding)}: use "utf8" or "latin1"`);
  if (o.clock !== undefined && !isClock(o.clock))
    bad("clock must be an object with now() and after(ms, fn): leave it out for the system clock");
  return {
    host: o.host.replace(/^\[(.*)\]$/, "$1"),
    port,
    connectTimeoutMs: durationMs(o.connectTimeout, "connectTimeout") ?? 10_000,
    loginTimeoutMs: durationMs(o.loginTimeout, "loginTimeout") ?? 30_000,
    commandTimeoutMs: durationMs(o.commandTimeout, "commandTimeout") ?? 10_000,
    // "off" is 0: no idle close, no keepalive, no dead-peer timer.
    idleTimeoutMs: durationMs(o.idleTimeout, "idleTimeout", { off: true }) || undefined,
    keepaliveMs: durationMs(o.keepalive, "keepalive", { off: true }) || undefined,
    deadPeerMs: durationMs(o.deadPeer, "deadPeer", { off: true }) ?? 30_000,
    prompt: o.prompt === undefined ? DEFAULT_PROMPT : toRegExp(o.prompt),
    pager: o.pager === undefined ? DEFAULT_PAGER : o.pager === false ? false : toRegExp(o.pager),
    quietMs: durationMs(o.quietTime, "quietTime", { zero: true }) ?? 30,
    ors: o.ors,
    encoding: o.encoding ?? "utf8",
    maxBuffer: o.maxBuffer ?? 1 << 20,
    maxOutput: o.maxOutput ?? 16 << 20,
    clock: o.clock ?? systemClock,
  };
}

function isClock(c: unknown): c is Clock {
  const k = c as Partial<Clock> | null;
  return (
    typeof k === "object" &&
    k !== null &&
    typeof k.now === "function" &&
    typeof k.after === "function"
  );
}
