/**
 * @module The JSON of `--json` and `--trace` files: numbers without float noise.
 * Measures (milliseconds, times since the start) keep 3 decimals at most — a microsecond —
 * and confidences 2; whole numbers are untouched.
 */

/** Places kept for a non-integer number under `key`. */
const PLACES: Readonly<Record<string, number>> = { confidence: 2 };
const DEFAULT_PLACES = 3;

/**
 * A JSON.stringify replacer that rounds every non-integer number (see the module).
 * @example JSON.stringify({ durationMs: 2.9850000000000003 }, roundNumbers) // '{"durationMs":2.985}'
 */
function roundNumbers(key: string, value: unknown): unknown {
  if (typeof value !== "number" || Number.isInteger(value) || !Number.isFinite(value)) return value;
  const f = 10 ** (PLACES[key] ?? DEFAULT_PLACES);
  return Math.round(value * f) / f;
}

/**
 * JSON.stringify with the numbers rounded: how every JSON output is written.
 * @example toJson({ t: 12.0000001, confidence: 0.8333 }) // '{"t":12,"confidence":0.83}'
 */
export function toJson(value: unknown): string {
  return JSON.stringify(value, roundNumbers);
}
