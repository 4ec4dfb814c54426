/**
 * @module The next hop toward an address, from Linux's own tables, read when a connect fails
 * with EHOSTUNREACH: is the address on a directly connected subnet (this machine resolves it
 * with ARP/ND itself), through which device or gateway, and did that next hop answer ARP.
 * `/proc/net/route` and `/proc/net/ipv6_route` give the main routing table (policy routing is
 * not followed), `/proc/net/arp` the IPv4 neighbours; elsewhere nothing is read.
 */
import { readFile } from "node:fs/promises";
import { endianness } from "node:os";
import type { NextHop } from "../trace/events.js";

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;
const RTF_REJECT = 0x200;
const RTF_LOCAL = 0x80000000;
/** ARP entry flag: the hardware address is known. */
const ATF_COM = 0x2;

/** A route in use: up, or a reject route (the kernel prints those without RTF_UP). */
const usable = (flags: number) => (flags & (RTF_UP | RTF_REJECT)) !== 0;

interface Route {
  readonly prefix: number;
  readonly metric: number;
  readonly hop: NextHop;
}

/** The most specific route (then the lowest metric); undefined when a reject route wins. */
function best(routes: readonly (Route & { reject: boolean })[]): NextHop | undefined {
  const winner = [...routes].sort((a, b) => b.prefix - a.prefix || a.metric - b.metric)[0];
  return winner && !winner.reject ? winner.hop : undefined;
}

/** An IPv4 address as a 32-bit number. */
function v4(address: string): number | undefined {
  const parts = address.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    return undefined;
  return ((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) >>> 0;
}

/** /proc/net/route prints each address as the host-order u32 of its network-order bytes. */
function procV4(hex: string, littleEndian: boolean): number {
  const n = Number.parseInt(hex, 16) >>> 0;
  if (!littleEndian) return n;
  return (
    (((n & 0xff) << 24) | (((n >>> 8) & 0xff) << 16) | (((n >>> 16) & 0xff) << 8) | (n >>> 24)) >>>
    0
  );
}

const dotted = (n: number) => [n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff].join(".");

/**
 * The next hop toward an IPv4 address from /proc/net/route's text.
 * @example routeV4("Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\neth0\t000112C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\n", "198.18.1.77", true) // { onLink: true, device: "eth0" }
 */
export function routeV4(text: string, address: string, littleEndian: boolean): NextHop | undefined {
  const target = v4(address);
  if (target === undefined) return undefined;
  const routes = text
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 8)
    .flatMap(([device, dest, gw, flagsHex, , , metric, maskHex]) => {
      const flags = Number.parseInt(flagsHex, 16);
      const mask = procV4(maskHex, littleEndian);
      if (!usable(flags) || (target & mask) >>> 0 !== procV4(dest, littleEndian)) return [];
      const viaGateway = (flags & RTF_GATEWAY) !== 0;
      const hop: NextHop = viaGateway
        ? { onLink: false, device, gateway: dotted(procV4(gw, littleEndian)) }
        : { onLink: true, device };
      const prefix = mask.toString(2).replace(/0/g, "").length;
      // A device of "*" is a route with nowhere to go (blackhole, unreachable, prohibit).
      const reject = (flags & RTF_REJECT) !== 0 || device === "*";
      return [{ prefix, metric: Number(metric), hop, reject }];
    });
  return best(routes);
}

/** An IPv6 address (any textual form) as 32 hex digits; undefined when it is not one. */
export function v6Hex(address: string): string | undefined {
  const bare = address.replace(/%.*$/, "").toLowerCase();
  const halves = bare.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string) => (h === "" ? [] : h.split(":"));
  const [head, tail] = [groups(halves[0]), halves.length === 2 ? groups(halves[1]) : []];
  const fill = halves.length === 2 ? 8 - head.length - tail.length : 0;
  const all = [...head, ...Array<string>(Math.max(0, fill)).fill("0"), ...tail];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return undefined;
  return all.map((g) => g.padStart(4, "0")).join("");
}

/** Whether the first `bits` bits of two 32-digit hex addresses agree. */
function samePrefix(a: string, b: string, bits: number): boolean {
  const whole = Math.floor(bits / 4);
  if (a.slice(0, whole) !== b.slice(0, whole)) return false;
  const rest = bits % 4;
  if (rest === 0) return true;
  const mask = (0xf << (4 - rest)) & 0xf;
  return (Number.parseInt(a[whole], 16) & mask) === (Number.parseInt(b[whole], 16) & mask);
}

/** 32 hex digits as an IPv6 address (uncompressed groups, leading zeros dropped). */
const colons = (hex: string) =>
  (hex.match(/.{4}/g) ?? []).map((g) => g.replace(/^0{1,3}/, "")).join(":");

/**
 * The next hop toward an IPv6 address from /proc/net/ipv6_route's text.
 * @example routeV6("20010db8000000000000000000000000 40 ... 00000000000000000000000000000000 00000100 00000001 00000000 00000001 eth0\n", "2001:db8::7")?.onLink // true
 */
export function routeV6(text: string, address: string): NextHop | undefined {
  const target = v6Hex(address);
  if (target === undefined) return undefined;
  const routes = text
    .split("\n")
    .map((l) => l.trim().split(/\s+/))
    .filter((c) => c.length >= 10)
    .flatMap(([dest, len, , , next, metric, , , flagsHex, device]) => {
      const flags = Number.parseInt(flagsHex, 16);
      const prefix = Number.parseInt(len, 16);
      if (!usable(flags) || flags & RTF_LOCAL || !samePrefix(dest, target, prefix)) return [];
      const viaGateway = (flags & RTF_GATEWAY) !== 0 && !/^0+$/.test(next);
      const hop: NextHop = viaGateway
        ? { onLink: false, device, gateway: colons(next) }
        : { onLink: true, device };
      return [
        { prefix, metric: Number.parseInt(metric, 16), hop, reject: (flags & RTF_REJECT) !== 0 },
      ];
    });
  return best(routes);
}

/**
 * Whether /proc/net/arp has a resolved entry for `address`: true (complete), false
 * (incomplete or failed: nothing answered), undefined (no entry).
 * @example arpResolved("IP address HW type Flags HW address Mask Device\n198.18.1.77 0x1 0x0 00:00:00:00:00:00 * eth0\n", "198.18.1.77") // false
 */
export function arpResolved(text: string, address: string): boolean | undefined {
  const row = text
    .split("\n")
    .slice(1)
    .map((l) => l.trim().split(/\s+/))
    .find((c) => c[0] === address && c.length >= 3);
  return row ? (Number.parseInt(row[2], 16) & ATF_COM) !== 0 : undefined;
}

async function read(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, "utf8");
  } catch {
    return undefined;
  }
}

/**
 * The next hop toward `address` and, for IPv4, whether it answered ARP; undefined where the
 * tables cannot be read (not Linux) or no route matches.
 * @example await readNextHop("198.18.1.77", 4) // { onLink: true, device: "eth0", resolved: false }
 */
export async function readNextHop(address: string, family: 4 | 6): Promise<NextHop | undefined> {
  if (family === 6) {
    const text = await read("/proc/net/ipv6_route");
    return text === undefined ? undefined : routeV6(text, address);
  }
  const text = await read("/proc/net/route");
  const hop = text === undefined ? undefined : routeV4(text, address, endianness() === "LE");
  if (!hop) return undefined;
  const arp = await read("/proc/net/arp");
  const resolved = arp === undefined ? undefined : arpResolved(arp, hop.gateway ?? address);
  return resolved === undefined ? hop : { ...hop, resolved };
}
