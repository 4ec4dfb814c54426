/**
 * @module A neighbour that never answered: an EHOSTUNREACH that is not "no route" but ARP (IPv4)
 * or neighbour discovery (IPv6) giving up, because the host is down or not on the subnet. Told
 * from a router's (or a reject route's) answer by the ARP table read at failure time, by the
 * route (on-link or through a gateway), and by time: Linux gives up on a neighbour after 3
 * unanswered probes 1 s apart; an ICMP answer comes within a round trip.
 */
import type { ConnectFailure } from "./types.js";

/** EHOSTUNREACH this late is ARP/ND giving up (Linux: 3 probes, 1 s apart), not an ICMP answer. */
export const NEIGHBOUR_TIMEOUT_MS = 2500;

const CODES = new Set(["EHOSTUNREACH", "EHOSTDOWN"]);

/**
 * A connect timeout while the next hop's ARP entry is still unresolved: the SYN never left
 * (the timer fired before ARP gave up), so this is no firewall dropping it.
 */
function unresolvedAtTimeout(f: ConnectFailure): boolean {
  return f.outcome === "timeout" && f.nextHop?.resolved === false;
}

/**
 * Who did not answer: the host on this machine's own subnet (`subnet`), the gateway this
 * machine sends through (`gateway`), or a neighbour somewhere, here or at the last router
 * (`somewhere`: only the time says so). `basis` is the strongest fact used.
 */
export interface NeighbourFailure {
  readonly where: "subnet" | "gateway" | "somewhere";
  readonly basis: "arp-table" | "route-and-time" | "time";
  /** ARP for IPv4, ND for IPv6. */
  readonly protocol: "ARP" | "ND";
  readonly device?: string;
  readonly gateway?: string;
}

/**
 * The neighbour that did not answer, when the failure is one; undefined for another failure
 * (refused, a timeout with the next hop resolved, an immediate unreachable: a router's or a
 * route's answer).
 * @example neighbourFailure({ address: "198.18.1.77", port: 23, outcome: "unreachable", code: "EHOSTUNREACH", durationMs: 3070, nextHop: { onLink: true, device: "eth0", resolved: false } })?.where // "subnet"
 */
export function neighbourFailure(f: ConnectFailure): NeighbourFailure | undefined {
  const timedOut = unresolvedAtTimeout(f);
  if (!timedOut && (f.outcome !== "unreachable" || !CODES.has(f.code))) return undefined;
  const protocol = f.address.includes(":") ? "ND" : "ARP";
  const hop = f.nextHop;
  const late = f.durationMs >= NEIGHBOUR_TIMEOUT_MS;
  const where = (onLink: boolean) => (onLink ? "subnet" : "gateway");
  const at = {
    ...(hop?.device ? { device: hop.device } : {}),
    ...(hop?.gateway ? { gateway: hop.gateway } : {}),
  };
  if (hop?.resolved === false)
    return { where: where(hop.onLink), basis: "arp-table", protocol, ...at };
  // The next hop answered ARP: the "unreachable" is an ICMP answer from it.
  if (hop?.resolved === true || !late) return undefined;
  if (hop?.onLink) return { where: "subnet", basis: "route-and-time", protocol, ...at };
  // Through a gateway, late: a router's ICMP after its own ARP gave up, or the gateway's ARP here.
  return { where: "somewhere", basis: "time", protocol, ...at };
}
