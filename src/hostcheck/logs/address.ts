/**
 * @module Client addresses as the logs write them, made comparable: `::ffff:192.0.2.7` (an
 * IPv4 client of an IPv6 socket, as xinetd logs it) is 192.0.2.7, `[2001:db8::1]` is
 * 2001:db8::1, IPv6 is compared in its canonical lower-case form, a `%zone` is dropped.
 */
import { isIP } from "node:net";

/** Expand an IPv6 literal to eight groups (lower case, no leading zeros), or undefined. */
function canonicalV6(addr: string): string | undefined {
  if (isIP(addr) !== 6) return undefined;
  let text = addr.toLowerCase();
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const p = v4[1]!.split(".").map(Number);
    text = `${text.slice(0, -v4[1]!.length)}${((p[0]! << 8) | p[1]!).toString(16)}:${((p[2]! << 8) | p[3]!).toString(16)}`;
  }
  const [head, tail] = text.includes("::") ? text.split("::") : [text, undefined];
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => Number.parseInt(g, 16).toString(16)).join(":");
}

/**
 * A client address in the form `--client` compares: IPv4 dotted, IPv6 canonical, a name as is
 * (lower case).
 * @example normalizeAddress("::ffff:127.0.0.1") // "127.0.0.1"
 * @example normalizeAddress("[2001:DB8::0001]") // "2001:db8:0:0:0:0:0:1"
 */
export function normalizeAddress(text: string): string {
  let a = text.trim();
  if (a.startsWith("[") && a.endsWith("]")) a = a.slice(1, -1);
  const zone = a.indexOf("%");
  if (zone > 0) a = a.slice(0, zone);
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  if (mapped) return mapped[1]!;
  const v6 = canonicalV6(a);
  if (v6 !== undefined) {
    const m = /^0:0:0:0:0:ffff:([0-9a-f]+):([0-9a-f]+)$/.exec(v6);
    if (m) {
      const hi = Number.parseInt(m[1]!, 16);
      const lo = Number.parseInt(m[2]!, 16);
      return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
    }
    return v6;
  }
  return a.toLowerCase();
}

/** True when `text` is an IPv4 or IPv6 literal (after the normalizing above). */
export function isAddress(text: string): boolean {
  return isIP(normalizeAddress(text)) !== 0;
}

/**
 * Same client? Addresses compare by value; a host name (login logs names: `localhost`) matches
 * only the same name.
 * @example sameClient("::ffff:10.0.0.1", "10.0.0.1") // true
 */
export function sameClient(a: string | undefined, b: string | undefined): boolean {
  if (a === undefined || b === undefined) return false;
  return normalizeAddress(a) === normalizeAddress(b);
}
