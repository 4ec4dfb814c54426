/**
 * @module Durations as the contract writes them: `500ms`, `10s`, `5m`, `2h`. A number without a
 * unit is an error (is `10` ten seconds or ten milliseconds?), and so is a duration of zero or
 * less, unless the setting says otherwise (a delay may be 0; a setting that can be turned off
 * takes `off`).
 */
import { TeldocError } from "../errors.js";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** The longest duration a Node timer takes (2^31 - 1 ms, about 24.8 days). */
export const MAX_DURATION_MS = 2_147_483_647;

/** What a setting accepts besides a positive duration. */
export interface DurationRules {
  /** Accept 0 (a delay that may be none: `--linger 0s`, `sleep 0s`); bare `0` needs no unit. */
  readonly zero?: boolean;
  /** Accept `off` (returned as 0) for a setting that can be turned off (`--keepalive off`). */
  readonly off?: boolean;
}

function bad(what: string, text: string, why: string): never {
  throw new TeldocError("TELDOC_ERR_BAD_DURATION", `${what}: "${text}" ${why}`);
}

/** The fix for a duration that is too small: its smallest value, or `off`. */
function tooSmall(what: string, text: string, rules: DurationRules): never {
  if (rules.zero) return bad(what, text, "is negative: write 0s or more (e.g. 500ms)");
  return bad(
    what,
    text,
    rules.off ? "must be more than 0: write off to turn it off" : "must be more than 0 (e.g. 10s)",
  );
}

/**
 * Parse a duration into milliseconds. Throws TELDOC_ERR_BAD_DURATION, its message naming
 * `what`, the text and the fix.
 * @example parseDuration("1.5s") // 1500
 * @example parseDuration("off", "--keepalive", { off: true }) // 0
 * @example parseDuration("10", "--connect-timeout") // throws: "10" has no unit: write 10s or 10000ms ...
 */
export function parseDuration(text: string, what = "duration", rules: DurationRules = {}): number {
  const trimmed = text.trim();
  if (rules.off && trimmed.toLowerCase() === "off") return 0;
  const m = /^([+-]?)(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/i.exec(trimmed);
  if (!m) {
    const forms = rules.off ? "500ms, 10s, 5m, 2h or off" : "500ms, 10s, 5m or 2h";
    return bad(what, text, `is not a duration: write it like ${forms}`);
  }
  const [, sign, number, unit] = m;
  const value = Number(number);
  if (sign === "-" && value !== 0) return tooSmall(what, text, rules);
  if (value === 0) {
    if (rules.zero) return 0;
    return tooSmall(what, text, rules);
  }
  if (unit === undefined)
    return bad(
      what,
      text,
      `has no unit: write ${number}s or ${formatPlain(value * 1000)}ms (units: ms, s, m, h)`,
    );
  const ms = value * UNITS[unit.toLowerCase()];
  if (ms > MAX_DURATION_MS) return bad(what, text, "is too long: at most 24 days");
  return Math.round(ms);
}

const PERIOD_UNITS: Readonly<Record<string, number>> = {
  ...UNITS,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

/**
 * A period to look back over (`--since`, a page's `since`): the contract's durations plus days
 * and weeks, more than 0, and — unlike a timer's duration — not capped at 24 days. Throws
 * TELDOC_ERR_BAD_DURATION naming `what`.
 * @example parsePeriod("7d", "--since") // 604800000
 */
export function parsePeriod(text: string, what = "period"): number {
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h|d|w)\s*$/i.exec(text);
  // Anything else gets parseDuration's message (no unit, negative, not a duration...).
  if (!m) return parseDuration(text, what);
  const ms = Math.round(Number(m[1]) * PERIOD_UNITS[m[2]!.toLowerCase()]!);
  if (ms <= 0) return bad(what, text, "must be more than 0 (e.g. 24h or 7d)");
  return ms;
}

/** A number without float noise or exponent (1.5 * 1000 = 1500). */
function formatPlain(n: number): string {
  return String(Math.round(n * 1000) / 1000);
}

/** Milliseconds for people: `850 ms`, `10.0 s`, `5.0 min`, `2.0 h`. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${(ms / 60_000).toFixed(1)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

/**
 * A round-trip time for people: below 10 ms the decimals matter.
 * @example formatRtt(0.123) // "0.12 ms"
 */
export function formatRtt(ms: number): string {
  return ms < 10 ? `${ms.toFixed(ms < 1 ? 2 : 1)} ms` : formatMs(ms);
}

/**
 * An ISO time as people read it in a report: `2026-11-24 10:07:32 UTC`.
 * @example formatUtc("2026-11-24T10:07:32.314Z") // "2026-11-24 10:07:32 UTC"
 */
export function formatUtc(iso: string): string {
  return iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/**
 * A duration as parseDuration reads it back, exactly (for advice that shows a flag).
 * @example formatDurationFlag(2000) // "2s"; formatDurationFlag(1500) // "1500ms"
 */
export function formatDurationFlag(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${Math.round(ms)}ms`;
}
