/** @module Durations as the contract writes them: `500ms`, `10s`, `5m`, `2h` (and bare ms). */
import { TeldocError } from "../errors.js";

const UNITS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * Parse a duration into milliseconds.
 * @example parseDuration("1.5s") // 1500
 */
export function parseDuration(text: string, what = "duration"): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/i.exec(text);
  if (!m) {
    throw new TeldocError(
      "TELDOC_ERR_BAD_DURATION",
      `${what} "${text}" is not a duration: write it like 500ms, 10s, 5m or 2h`,
    );
  }
  const ms = Number(m[1]) * UNITS[(m[2] ?? "ms").toLowerCase()];
  if (!Number.isFinite(ms) || ms > 2_147_483_647) {
    throw new TeldocError(
      "TELDOC_ERR_BAD_DURATION",
      `${what} "${text}" is too long: at most 24 days`,
    );
  }
  return Math.round(ms);
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
