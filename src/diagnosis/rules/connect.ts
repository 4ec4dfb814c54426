/** @module Rules for connects that failed: refused, filtered, unreachable (no route, or a neighbour that never answered), local-firewall. */
import type { Cause, ConnectOutcome } from "../../trace/events.js";
import { diagnoseCommand, dur } from "../format.js";
import { NEIGHBOUR_TIMEOUT_MS, type NeighbourFailure, neighbourFailure } from "../neighbour.js";
import type { Candidate, ConnectFailure, Rule, SessionSummary, Target } from "../types.js";

interface OutcomeCause {
  readonly cause: Cause;
  readonly confidence: number;
  readonly summary: (f: ConnectFailure, where: string) => string;
  readonly evidence: (f: ConnectFailure, where: string) => string;
  readonly advice: (f: ConnectFailure, t: Target) => string[];
}

/** What each connect outcome means; `local-error` names no cause (the fallback explains it). */
const OUTCOMES: Readonly<Partial<Record<ConnectOutcome, OutcomeCause>>> = {
  refused: {
    cause: "refused",
    confidence: 0.97,
    summary: (_f, w) => `Nothing listens on ${w}: the connection was refused.`,
    evidence: (f, w) => `SYN to ${w} answered with RST (${f.code}) after ${dur(f.durationMs)}`,
    advice: (f) => [
      `Check that telnetd runs and listens on port ${f.port}: \`ss -ltnp 'sport = :${f.port}'\` on the server (inetd, xinetd or a systemd socket unit must be enabled).`,
      `Check the port number; Telnet is usually 23${f.port !== 23 ? ` (this was ${f.port})` : ""}.`,
      "A firewall rule with `reject-with tcp-reset` looks the same: check the server's firewall.",
    ],
  },
  timeout: {
    cause: "filtered",
    confidence: 0.85,
    summary: (f, w) =>
      `No answer from ${w} within ${dur(f.durationMs)}: a firewall drops the SYN, or the host is down.`,
    evidence: (f, w) => `no answer to the SYN to ${w} within ${dur(f.durationMs)} (${f.code})`,
    advice: (f, t) => [
      `Check whether the host is up: \`ping ${f.address}\`, or ${diagnoseCommand(t)} (ping, tracepath, TCP timing).`,
      `Check firewalls on the path and on the server (a DROP rule for TCP port ${f.port}, a security group, an ACL).`,
      "If the host answers on other ports, only this port is filtered.",
    ],
  },
  unreachable: {
    cause: "unreachable",
    confidence: 0.95,
    summary: (f, w) => `There is no route to ${w} (${f.code}).`,
    evidence: (f, w) => `connect to ${w} failed with ${f.code} after ${dur(f.durationMs)}`,
    advice: (f) => [
      `Check the route: \`ip route get ${f.address}\`, and that the interface or VPN is up.`,
      `A router or firewall answering with ICMP unreachable also gives this: \`tracepath -n ${f.address}\` shows where.`,
    ],
  },
  "local-firewall": {
    cause: "local-firewall",
    confidence: 0.9,
    summary: (f, w) =>
      `This machine's own firewall blocked the connection to ${w} (${f.code}): nothing reached the network.`,
    evidence: (f, w) =>
      `connect() to ${w} failed with ${f.code} after ${dur(f.durationMs)}: the kernel refused to send the SYN`,
    advice: (f) => [
      "Look for an OUTPUT rule: `sudo iptables -S OUTPUT`, `sudo nft list ruleset`, or the endpoint firewall/security software.",
      `Allow outgoing TCP to ${f.address} port ${f.port}, or run from a machine that may.`,
    ],
  },
};

function where(f: ConnectFailure): string {
  return f.address.includes(":") ? `[${f.address}]:${f.port}` : `${f.address}:${f.port}`;
}

function finalFailure(s: SessionSummary): ConnectFailure | undefined {
  return s.connectedAt === undefined ? s.connectFailures.at(-1) : undefined;
}

/** Evidence lines for the attempts before the last. */
function otherAttempts(s: SessionSummary): string[] {
  return s.connectFailures
    .slice(0, -1)
    .map((x) => `also tried ${where(x)}: ${x.code} after ${dur(x.durationMs)}`)
    .slice(0, 2);
}

/**
 * A connect that failed, named by its outcome (refused, filtered, unreachable, local-firewall).
 * @example connectFailed(summarize(traceOfRefusedConnect), [])?.cause // "refused"
 */
export const connectFailed: Rule = (s) => {
  const f = finalFailure(s);
  if (f && f.outcome === "timeout" && (f.localSendFailures ?? 0) > 0) return droppedHere(s, f);
  const n = f && neighbourFailure(f);
  if (f && n) return neighbourSilent(s, f, n);
  const o = f && OUTCOMES[f.outcome];
  if (!f || !o) return undefined;
  return {
    cause: o.cause,
    confidence: o.confidence,
    summary: o.summary(f, where(f)),
    evidence: [
      o.evidence(f, where(f)),
      ...(o.cause === "unreachable" ? answeredBy(f) : []),
      ...otherAttempts(s),
      "no data was exchanged",
    ].slice(0, 4),
    advice: o.advice(f, s.target),
  };
};

/** For an unreachable that is an answer: who answered, when the tables say. */
function answeredBy(f: ConnectFailure): string[] {
  const h = f.nextHop;
  if (h?.resolved !== true) return [];
  return h.onLink
    ? [
        `${f.address} answered ARP, then refused with "host unreachable" (a firewall on the host or a reject route)`,
      ]
    : [
        `the gateway ${h.gateway ?? "?"} answered ARP; the "unreachable" came from it or a router beyond`,
      ];
}

/** What the neighbour's silence means, for people: the summary's second half and who is silent. */
function silentOne(f: ConnectFailure, n: NeighbourFailure): { who: string; meaning: string } {
  const on = n.device ? ` on ${n.device}` : "";
  if (n.where === "subnet")
    return {
      who: `${f.address} is on this machine's own subnet${on}, and nothing there answered ${n.protocol} for it`,
      meaning: "the host is down or not on this subnet",
    };
  if (n.where === "gateway")
    return {
      who: `the gateway ${n.gateway ?? "?"}${on} never answered ${n.protocol}, so no packet left for ${f.address}`,
      meaning: "the gateway is down or not on this subnet",
    };
  return {
    who: `EHOSTUNREACH came ${dur(f.durationMs)} after the SYN, the time ${n.protocol} takes to give up (here, or at the last router before ${f.address})`,
    meaning: "the host is down or not on its subnet",
  };
}

function neighbourAdvice(f: ConnectFailure, n: NeighbourFailure, t: Target): string[] {
  const a = f.address;
  if (n.where === "gateway") {
    const gw = n.gateway ?? "the gateway";
    return [
      `Check the gateway ${gw}: is it up, and is it this machine's router on ${n.device ?? "this interface"}? \`ip neigh show ${gw}\`, \`ip route get ${a}\`.`,
      "Other hosts behind the same gateway fail the same way; hosts on this subnet still answer.",
    ];
  }
  const dev = n.device ? ` -I ${n.device}` : "";
  const up = `Check that the host is up and that ${a} is its address: \`ip neigh show ${a}\` here, \`arping${dev} ${a}\` from its subnet.`;
  return n.where === "subnet"
    ? [
        up,
        `Check that ${a} belongs on this subnet (the same VLAN, the right mask on both ends): \`ip route get ${a}\`.`,
      ]
    : [
        up,
        `\`ip route get ${a}\` says whether it is on this machine's subnet; if not, the last router gave up on it: ${diagnoseCommand(t)} (ping, tracepath) shows where the path ends.`,
      ];
}

/**
 * EHOSTUNREACH because a neighbour never answered ARP/ND: the host (or the gateway) is down or
 * not on the subnet. Not "no route": the route is there, the next hop is silent.
 */
function neighbourSilent(s: SessionSummary, f: ConnectFailure, n: NeighbourFailure): Candidate {
  const { who, meaning } = silentOne(f, n);
  const first =
    f.outcome === "timeout"
      ? `no answer within ${dur(f.durationMs)} (${f.code}): the SYN never left, for ${n.protocol} was still unanswered`
      : `connect to ${where(f)} failed with ${f.code} after ${dur(f.durationMs)}${f.durationMs >= NEIGHBOUR_TIMEOUT_MS ? `: ${n.protocol} gives up after about 3 s; a router's "unreachable" comes at once` : ""}`;
  const facts = [
    first,
    ...(n.basis === "arp-table"
      ? [
          `the ARP entry for ${n.where === "gateway" ? n.gateway : f.address} is incomplete: nothing answered`,
        ]
      : []),
    ...(f.nextHop
      ? [
          f.nextHop.onLink
            ? `the route to ${f.address} is on-link${n.device ? ` (${n.device})` : ""}: no router in between`
            : `the route to ${f.address} goes through ${f.nextHop.gateway ?? "a gateway"}`,
        ]
      : []),
  ];
  return {
    cause: "unreachable",
    confidence: n.basis === "arp-table" ? 0.95 : n.basis === "route-and-time" ? 0.9 : 0.8,
    summary: `The neighbour did not answer (${n.protocol}): ${meaning}. ${capital(who)}.`,
    evidence: [...facts, ...otherAttempts(s)].slice(0, 4),
    advice: neighbourAdvice(f, n, s.target),
  };
}

const capital = (x: string) => x.charAt(0).toUpperCase() + x.slice(1);

/**
 * A connect timeout during which this machine failed to send its own SYN retransmissions:
 * an OUTPUT rule dropped them here (a SYN lost on the path is sent fine and never counts).
 */
function droppedHere(s: SessionSummary, f: ConnectFailure): Candidate {
  const o = OUTCOMES["local-firewall"]!;
  const w = where(f);
  return {
    cause: "local-firewall",
    confidence: 0.85,
    summary: `This machine's own firewall dropped the connection to ${w}: nothing reached the network.`,
    evidence: [
      `no answer to the SYN to ${w} within ${dur(f.durationMs)}`,
      `the kernel failed to send ${f.localSendFailures} SYN retransmission(s) (TcpExt TCPRetransFail): a local OUTPUT rule drops them`,
      ...(s.connectFailures.length > 1
        ? [`${s.connectFailures.length - 1} other address(es) tried`]
        : []),
    ],
    advice: o.advice(f, s.target),
  };
}

export const CONNECT_RULES = [connectFailed] as const;
