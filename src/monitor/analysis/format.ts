/** @module Wording helpers shared by the findings and renderers: UTC times, week hours, numbers with units. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: epoch days are shifted by this to count weeks from Sunday. */
export const EPOCH_WEEKDAY = 4;

export const WEEKDAYS = [
  "Sunday",
  "Monday",
  "Tuesday",
  "Wednesday",
  "Thursday",
  "Friday",
  "Saturday",
];
export const WEEKDAYS_SHORT = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** The weekday of an epoch-ms time, 0 = Sunday (UTC). */
export function weekdayOf(t: number): number {
  return (Math.floor(t / DAY_MS) + EPOCH_WEEKDAY) % 7;
}

/**
 * The hour of the week, 0 = Sunday 00:00-01:00 UTC ... 167.
 * @example hourOfWeek(Date.parse("2026-11-08T02:30:00Z")) // 2 (a Sunday)
 */
export function hourOfWeek(t: number): number {
  return (Math.floor(t / HOUR_MS) + EPOCH_WEEKDAY * 24) % 168;
}

/** The start (epoch ms) of the UTC week (Sunday 00:00) that holds t. */
export function weekStart(t: number): number {
  const day = Math.floor(t / DAY_MS);
  return (day - ((day + EPOCH_WEEKDAY) % 7)) * DAY_MS;
}

const two = (n: number) => String(n).padStart(2, "0");

/**
 * "HH:MM" of a minute of the day (wraps at 24 h).
 * @example hhmm(125) // "02:05"
 */
export function hhmm(minuteOfDay: number): string {
  const m = ((Math.round(minuteOfDay) % 1440) + 1440) % 1440;
  return `${two(Math.floor(m / 60))}:${two(m % 60)}`;
}

/** "HH:MM" of an epoch-ms time (UTC). */
export function clock(t: number): string {
  return hhmm(Math.floor((t % DAY_MS) / MINUTE_MS));
}

/**
 * The ISO date of an epoch-ms time (UTC).
 * @example isoDate(0) // "1970-01-01"
 */
export function isoDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/**
 * A time for people: "2026-11-12 14:05 UTC".
 * @example when(0) // "1970-01-01 00:00 UTC"
 */
export function when(t: number): string {
  return `${isoDate(t)} ${clock(t)} UTC`;
}

/** The ISO time the JSON carries. */
export function iso(t: number): string {
  return new Date(t).toISOString();
}

/**
 * A count with thousands separators.
 * @example count(43180) // "43,180"
 */
export function count(n: number): string {
  const s = String(Math.round(n));
  return s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * A share as a percentage, with as many decimals as it needs to show what is not 100 %.
 * @example pct(0.97213) // "97.21 %"
 * @example pct(0.0004) // "0.04 %"
 */
export function pct(x: number): string {
  const v = x * 100;
  if (v === 0 || v === 100) return `${v} %`;
  const places = v >= 99.99 || v < 0.1 ? 3 : 2;
  return `${Number(v.toFixed(places))} %`;
}

/**
 * Milliseconds for people: 3 significant digits.
 * @example msText(2.134) // "2.13 ms"
 * @example msText(40.2) // "40.2 ms"
 */
export function msText(x: number): string {
  if (x >= 100) return `${Math.round(x)} ms`;
  return `${Number(x.toPrecision(3))} ms`;
}

/** "12 minutes", "2 hours", "1 hour 30 minutes". */
export function minutesText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  const hs = h ? `${h} hour${h === 1 ? "" : "s"}` : "";
  const ms = m ? `${m} minute${m === 1 ? "" : "s"}` : "";
  return [hs, ms].filter(Boolean).join(" ") || "0 minutes";
}

/** "refused 12, filtered 3": the causes of a count map, most first. */
export function causesText(byCause: Readonly<Record<string, number | undefined>>, max = 3): string {
  const entries = Object.entries(byCause)
    .filter((e): e is [string, number] => (e[1] ?? 0) > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const shown = entries.slice(0, max).map(([c, n]) => `${c} ${count(n)}`);
  if (entries.length > max) shown.push(`${entries.length - max} more`);
  return shown.join(", ");
}

/** A list of names for a sentence, cut after `max`: "a, b, c and 4 more". */
export function namesText(names: readonly string[], max = 5): string {
  if (names.length <= max) {
    if (names.length <= 1) return names.join("");
    return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
  }
  return `${names.slice(0, max).join(", ")} and ${names.length - max} more`;
}
