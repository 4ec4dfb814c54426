/**
 * @module xinetd's own access control for one client (xinetd.conf(5)): `only_from` and
 * `no_access` lists of addresses — `a.b.c.d` (trailing zero parts are wildcards, 0.0.0.0 is
 * everyone), `a.b.c.d/bits`, `a.b.{c,d}` factorized, IPv6 with /bits — and host or network
 * names (looked up by xinetd at start: not evaluated here, reported as unsure). A client in
 * both lists goes to the more specific match. Without only_from everyone may; an empty one
 * lets no one in. Pure.
 */
import { type Address, inPrefix, parseAddress } from "./address.js";

/** The most specific entry of a list that matches, as prefix bits; undefined when none does. */
function bestMatch(
  entries: readonly string[],
  client: Address,
  unsure: Set<string>,
): { entry: string; bits: number } | undefined {
  let best: { entry: string; bits: number } | undefined;
  for (const entry of entries.flatMap(expand)) {
    const bits = matchBits(entry, client);
    if (bits === "name")
      unsure.add(`${entry}: a host or network name, looked up by xinetd at start, not here`);
    else if (bits !== undefined && (!best || bits > best.bits)) best = { entry, bits };
  }
  return best;
}

/** `a.b.{c,d}` → `a.b.c`, `a.b.d`. */
function expand(entry: string): string[] {
  const m = /^(.*)\{([^}]*)\}(.*)$/.exec(entry);
  if (!m) return [entry];
  return (m[2] ?? "").split(",").map((x) => `${m[1]}${x.trim()}${m[3]}`);
}

/** How many bits of `entry` match the client (undefined: no match; "name": cannot tell). */
function matchBits(entry: string, client: Address): number | "name" | undefined {
  const [addr = "", bitsText] = entry.split("/");
  if (bitsText !== undefined) {
    const net = parseAddress(addr);
    const bits = Number(bitsText);
    if (!net || !Number.isInteger(bits)) return undefined;
    return inPrefix(client, net, bits) ? bits : undefined;
  }
  if (/^[\d.]+$/.test(addr)) {
    const parts = addr.split(".").filter((p) => p !== "");
    while (parts.length < 4) parts.push("0");
    let significant = 4;
    while (significant > 0 && parts[significant - 1] === "0") significant--;
    const net = parseAddress(parts.join("."));
    if (!net) return undefined;
    return inPrefix(client, net, significant * 8) ? significant * 8 : undefined;
  }
  const v6 = parseAddress(addr);
  if (v6) return inPrefix(client, v6, v6.family === 6 ? 128 : 32) ? 128 : undefined;
  return "name";
}

export interface XinetdAccess {
  readonly allowed: boolean;
  /** Which list decided and the entry that matched (none: no only_from, or nothing matched). */
  readonly by?: { readonly list: "only_from" | "no_access"; readonly entry?: string };
  readonly unsure: readonly string[];
}

/**
 * Whether xinetd lets `client` through its only_from / no_access lists.
 * @example xinetdAccess(["192.0.2.0"], undefined, parseAddress("192.0.2.7")!).allowed // true
 */
export function xinetdAccess(
  onlyFrom: readonly string[] | undefined,
  noAccess: readonly string[] | undefined,
  client: Address,
): XinetdAccess {
  const unsure = new Set<string>();
  const yes =
    onlyFrom === undefined ? { entry: "", bits: -1 } : bestMatch(onlyFrom, client, unsure);
  const no = noAccess === undefined ? undefined : bestMatch(noAccess, client, unsure);
  if (!yes) return { allowed: false, by: { list: "only_from" }, unsure: [...unsure] };
  if (no && no.bits >= yes.bits)
    return { allowed: false, by: { list: "no_access", entry: no.entry }, unsure: [...unsure] };
  return {
    allowed: true,
    ...(onlyFrom !== undefined ? { by: { list: "only_from" as const, entry: yes.entry } } : {}),
    unsure: [...unsure],
  };
}
