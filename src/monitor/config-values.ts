/**
 * @module Readers of single config values: each takes what YAML gave (any type) and returns the
 * value or a `Bad` whose message says what is wrong, what was given and the fix. The value of a
 * setting that may hold a secret (storage, webhook, *_env) is never echoed.
 */
import { isTeldocError } from "../errors.js";
import { parseDuration } from "../util/duration.js";
import { type HostPort, parsePort, parseTarget } from "../util/target.js";
import { DEFAULT_LISTEN, MAX_CONNECTS, MIN_INTERVAL_MS } from "./plan.js";
import { LEVELS, type Level } from "./sample.js";

/** A value that could not be read, with the message to show. */
export class Bad {
  constructor(readonly message: string) {}
}

/** A value as a message quotes it: `"23a"`, `70000`, `a list`. */
export function show(v: unknown): string {
  if (v === undefined || v === null) return "nothing";
  if (typeof v === "string") return JSON.stringify(v.length > 60 ? `${v.slice(0, 59)}…` : v);
  if (Array.isArray(v)) return v.length === 0 ? "an empty list" : "a list";
  if (typeof v === "object") return "a mapping";
  return String(v);
}

const missing = (what: string) => new Bad(`is missing: ${what}`);
const CONTROL = /[\x00-\x1f\x7f]/;

/** A name for people and labels: a target's, the vantage's. */
export function readName(v: unknown): string | Bad {
  if (typeof v !== "string" && typeof v !== "number")
    return new Bad(`must be text, like core-sw1 (got ${show(v)})`);
  const s = String(v).trim();
  if (s === "" || s.length > 100 || CONTROL.test(s))
    return new Bad(`must be 1-100 printable characters (got ${show(v)})`);
  return s;
}

/** A login name. */
export function readUser(v: unknown): string | Bad {
  if (typeof v !== "string" && typeof v !== "number")
    return new Bad(`must be text, like admin (got ${show(v)})`);
  const s = String(v);
  if (s === "" || CONTROL.test(s)) return new Bad(`must be a non-empty user name (got ${show(v)})`);
  return s;
}

/** HOST with, maybe, a port in it (`sw1:2323`, `[::1]:2323`): port 0 when none is. */
export function readHost(v: unknown): HostPort | Bad {
  if (v === undefined) return missing("every target needs host: a name, an IPv4 or IPv6 address");
  if (typeof v !== "string") return new Bad(`must be a name or an address (got ${show(v)})`);
  try {
    return parseTarget(v, undefined, 0);
  } catch (e) {
    if (!isTeldocError(e)) throw e;
    return new Bad(
      `${show(v)} is not a name, an IPv4 or an IPv6 address (a port goes in port:, or as [::1]:2323)`,
    );
  }
}

/** A TCP port, 1-65535 (or `telnet`, `ssh`, `http`). */
export function readPort(v: unknown): number | Bad {
  const bad = new Bad(`must be a whole number 1-65535 (got ${show(v)})`);
  if (typeof v === "number") return Number.isInteger(v) && v >= 1 && v <= 65535 ? v : bad;
  if (typeof v !== "string") return bad;
  try {
    return parsePort(v.trim());
  } catch (e) {
    if (!isTeldocError(e)) throw e;
    return bad;
  }
}

/** tcp, telnet or login. */
export function readLevel(v: unknown): Level | Bad {
  const found = LEVELS.find((l) => l === v);
  return found ?? new Bad(`must be tcp, telnet or login (got ${show(v)})`);
}

/** A duration (`500ms`, `10s`, `5m`, `2h`) in ms, at least `minMs`. */
export function readDuration(v: unknown, minMs = 1): number | Bad {
  if (typeof v === "number")
    return new Bad(`${v} has no unit: write ${v}s or ${v}ms (durations: 500ms, 10s, 5m, 2h)`);
  if (typeof v !== "string") return new Bad(`must be a duration like 10s (got ${show(v)})`);
  let ms: number;
  try {
    ms = parseDuration(v, "value");
  } catch (e) {
    if (!isTeldocError(e)) throw e;
    return new Bad(e.message.replace(/^value: /, ""));
  }
  if (ms < minMs) return new Bad(`must be ${minMs / 1000}s or more (got ${show(v)})`);
  return ms;
}

/** An interval between rounds: 1s or more. */
export const readInterval = (v: unknown) => readDuration(v, MIN_INTERVAL_MS);

/** A whole number in [min, max]. */
export function readCount(v: unknown, min: number, max: number): number | Bad {
  if (typeof v === "number" && Number.isInteger(v) && v >= min && v <= max) return v;
  return new Bad(`must be a whole number ${min}-${max} (got ${show(v)})`);
}

/** TCP connects per round. */
export const readConnects = (v: unknown) => readCount(v, 0, MAX_CONNECTS);

/** The NAME of an environment variable; its value is never written in the config. */
export function readEnvName(v: unknown, holds: "password" | "token"): string | Bad {
  if (typeof v === "string" && /^[A-Za-z_][A-Za-z0-9_]*$/.test(v)) return v;
  const example = holds === "password" ? "SW1_PW" : "TELDOC_TOKEN";
  return new Bad(
    `must be the name of an environment variable that holds the ${holds}, like ${example} (letters, digits, _), never the ${holds} itself`,
  );
}

const TAG = /^[A-Za-z0-9][A-Za-z0-9_.-]*(:[A-Za-z0-9_./-]+)?$/;

/** Tags: `key:value` or plain words; repeats dropped. */
export function readTags(v: unknown): string[] | Bad {
  if (!Array.isArray(v))
    return new Bad(`must be a list, like [site:paris, role:core] (got ${show(v)})`);
  const bad = v.find((t) => typeof t !== "string" || !TAG.test(t));
  if (bad !== undefined)
    return new Bad(
      `each tag is a word or key:value (letters, digits, _ . -; no space after the colon), got ${show(bad)}`,
    );
  return [...new Set(v as string[])];
}

/** A storage URL: `sqlite:PATH` or `postgres://...` (only the scheme is echoed: it may hold a password). */
export function readStorage(v: unknown): string | Bad {
  const scheme = typeof v === "string" ? /^[a-z][a-z0-9+.-]*:/i.exec(v)?.[0] : undefined;
  if (typeof v === "string" && /^sqlite:.+/.test(v)) return v;
  if (typeof v === "string" && /^postgres(ql)?:\/\/.+/.test(v)) return v;
  const given = typeof v === "string" ? (scheme ? `a ${scheme} URL` : "no URL") : show(v);
  return new Bad(`must be sqlite:PATH or postgres://USER@HOST/DB (got ${given})`);
}

/** Where the dashboard listens: `HOST:PORT`, `[v6]:PORT`, or a port alone (on loopback). */
export function readListen(v: unknown): HostPort | Bad {
  if (typeof v === "number") {
    const port = readPort(v);
    return port instanceof Bad ? port : { host: DEFAULT_LISTEN.host, port };
  }
  if (typeof v !== "string")
    return new Bad(`must be HOST:PORT, like 127.0.0.1:9323 (got ${show(v)})`);
  try {
    return parseTarget(v, undefined, DEFAULT_LISTEN.port);
  } catch (e) {
    if (!isTeldocError(e)) throw e;
    return new Bad(`must be HOST:PORT, like 127.0.0.1:9323 or [::1]:9323 (got ${show(v)})`);
  }
}

/** An http or https URL (echoed as its scheme only: webhook URLs often carry a secret). */
export function readWebhook(v: unknown): string | Bad {
  if (typeof v === "string" && URL.canParse(v)) {
    const url = new URL(v);
    if ((url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "") return v;
    return new Bad(`must be an http:// or https:// URL (got ${url.protocol})`);
  }
  return new Bad(
    `must be an http:// or https:// URL (got ${typeof v === "string" ? "text that is no URL" : show(v)})`,
  );
}

/** A command as an argv list; no shell reads it. */
export function readCommand(v: unknown): string[] | Bad {
  if (typeof v === "string")
    return new Bad(
      `must be a list of arguments, not one string: no shell splits it, so write [${v
        .trim()
        .split(/\s+/)
        .map((a) => JSON.stringify(a))
        .join(", ")}]`,
    );
  if (!Array.isArray(v) || v.length === 0)
    return new Bad(
      `must be a non-empty list, like ["/usr/local/bin/page", "--team", "net"] (got ${show(v)})`,
    );
  const bad = v.find((a) => typeof a !== "string" && typeof a !== "number");
  if (bad !== undefined) return new Bad(`each argument must be text (got ${show(bad)})`);
  const argv = v.map(String);
  if (argv[0] === "") return new Bad("the program (the first argument) must not be empty");
  return argv;
}
