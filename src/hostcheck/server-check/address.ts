/**
 * @module IP addresses as tcp wrappers and xinetd read them: IPv4 the way inet_aton does
 * (decimal, 0x hex, leading-zero octal parts), IPv6 as 128-bit numbers, prefix masks. Pure.
 */

/** A client address: its family, its value, and its text (the form tcpd compares strings with). */
export type Address =
  | { readonly family: 4; readonly value: number; readonly text: string }
  | { readonly family: 6; readonly value: bigint; readonly text: string };

function part(s: string): number | undefined {
  if (/^0x[0-9a-f]+$/i.test(s)) return Number.parseInt(s.slice(2), 16);
  if (/^0[0-7]*$/.test(s)) return Number.parseInt(s, 8);
  if (/^[1-9][0-9]*$/.test(s)) return Number.parseInt(s, 10);
  return undefined;
}

/**
 * A dotted quad as tcpd's dot_quad_addr reads it: exactly four parts, each as inet_aton reads
 * it (so `010` is 8); 255.255.255.255 is inet_addr's error value and reads as undefined.
 * @example dottedQuad("192.0.2.7") // 3221225991
 */
export function dottedQuad(s: string): number | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const p of parts) {
    const n = part(p);
    if (n === undefined || n > 255) return undefined;
    value = value * 256 + n;
  }
  return value === 0xffffffff ? undefined : value;
}

/** An IPv4 address in plain dotted decimal, as a client address is given. */
function ipv4(s: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return undefined;
  const parts = m.slice(1).map(Number);
  if (parts.some((n) => n > 255)) return undefined;
  return parts.reduce((a, n) => a * 256 + n, 0);
}

/** An IPv6 address (with `::` and an embedded IPv4 tail) as a 128-bit number. */
export function ipv6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.split("::").length > 2) return undefined;
  let text = s;
  const tail = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail?.[1]) {
    const v4 = ipv4(tail[1]);
    if (v4 === undefined) return undefined;
    text = `${text.slice(0, text.length - tail[1].length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const groups = (x: string) => (x === "" ? [] : x.split(":"));
  const h = groups(head);
  const r = rest === undefined ? [] : groups(rest);
  const missing = 8 - h.length - r.length;
  if (rest === undefined ? missing !== 0 : missing < 1) return undefined;
  const all = [...h, ...Array<string>(rest === undefined ? 0 : missing).fill("0"), ...r];
  let value = 0n;
  for (const g of all) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
    value = (value << 16n) | BigInt(Number.parseInt(g, 16));
  }
  return value;
}

/** IPv6 in its short form (RFC 5952: lower case, the longest run of zero groups as `::`). */
function formatIpv6(v: bigint): string {
  const g = Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(112 - 16 * i)) & 0xffffn));
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best.at < 0) return hex.join(":");
  return `${hex.slice(0, best.at).join(":")}::${hex.slice(best.at + best.len).join(":")}`;
}

const fromV4 = (v: number): string =>
  [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join(".");

/**
 * A client address as given on the command line; an IPv4-mapped IPv6 address is its IPv4
 * address (as the kernel hands it to tcpd on a dual-stack socket). Undefined when it is none.
 * @example parseAddress("::ffff:192.0.2.7") // { family: 4, text: "192.0.2.7", ... }
 */
export function parseAddress(s: string): Address | undefined {
  const text = s.startsWith("[") && s.endsWith("]") ? s.slice(1, -1) : s;
  const v4 = ipv4(text);
  if (v4 !== undefined) return { family: 4, value: v4, text: fromV4(v4) };
  const v6 = ipv6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) {
    const value = Number(v6 & 0xffffffffn);
    return { family: 4, value, text: fromV4(value) };
  }
  return { family: 6, value: v6, text: formatIpv6(v6) };
}

/** The IPv4 mask of a prefix length 0..32. */
export function maskV4(bits: number): number {
  return bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
}

/** The IPv6 mask of a prefix length 0..128. */
export function maskV6(bits: number): bigint {
  const all = (1n << 128n) - 1n;
  return bits === 0 ? 0n : (all << BigInt(128 - bits)) & all;
}

/** Whether `a` lies in `net`/`bits` (both masked, as xinetd and tcpd's IPv6 code compare). */
export function inPrefix(a: Address, net: Address, bits: number): boolean {
  if (a.family === 4 && net.family === 4) {
    const m = maskV4(bits);
    return (a.value & m) >>> 0 === (net.value & m) >>> 0;
  }
  if (a.family === 6 && net.family === 6) {
    const m = maskV6(bits);
    return (a.value & m) === (net.value & m);
  }
  return false;
}
