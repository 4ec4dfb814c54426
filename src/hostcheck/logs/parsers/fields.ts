/** @module Small readers the family parsers share: `key=value` fields, numbers, quoted names. */

/**
 * `key=value` pairs separated by white space (values have no spaces; an empty value is "").
 * @example keyValues("pid=12 from=::ffff:10.0.0.1") // { pid: "12", from: "::ffff:10.0.0.1" }
 */
export function keyValues(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/([A-Za-z_]+)=(\S*)/g)) out[m[1]!] = m[2]!;
  return out;
}

/** A decimal integer, or undefined. */
export function int(text: string | undefined): number | undefined {
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}

/** A value written empty, `UNKNOWN` or `?` is no value. */
export function value(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  return t === "" || t === "?" || t.toUpperCase() === "UNKNOWN" ? undefined : t;
}
