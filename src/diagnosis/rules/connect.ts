/** @module Rules for connects that failed: refused, filtered, unreachable, local-firewall. */
import type { Cause, ConnectOutcome } from "../../trace/events.js";
import { dur } from "../format.js";
import type { ConnectFailure, Rule, SessionSummary } from "../types.js";

interface OutcomeCause {
  readonly cause: Cause;
  readonly confidence: number;
  readonly summary: (f: ConnectFailure, where: string) => string;
  readonly evidence: (f: ConnectFailure, where: string) => string;
  readonly advice: readonly string[];
}

/** What each connect outcome means; `local-error` names no cause (the fallback explains it). */
const OUTCOMES: Readonly<Partial<Record<ConnectOutcome, OutcomeCause>>> = {
  refused: {
    cause: "refused",
    confidence: 0.97,
    summary: (_f, w) => `Nothing listens on ${w}: the connection was refused.`,
    evidence: (f, w) => `SYN to ${w} answered with RST (${f.code}) after ${dur(f.durationMs)}`,
    advice: [
      "Check that telnetd runs and listens on this port: `ss -ltnp` on the server (inetd, xinetd or a systemd socket unit must be enabled).",
      "Check the port number; Telnet is usually 23.",
      "A firewall rule with `reject-with tcp-reset` looks the same: check the server's firewall.",
    ],
  },
  timeout: {
    cause: "filtered",
    confidence: 0.85,
    summary: (f, w) =>
      `No answer from ${w} within ${dur(f.durationMs)}: a firewall drops the SYN, or the host is down.`,
    evidence: (f, w) => `no answer to the SYN to ${w} within ${dur(f.durationMs)} (${f.code})`,
    advice: [
      "Check whether the host is up: `ping`, or `teldoc diagnose HOST` (ping, tracepath, TCP timing).",
      "Check firewalls on the path and on the server (a DROP rule for port 23, a security group, an ACL).",
      "If the host answers on other ports, only this port is filtered.",
    ],
  },
  unreachable: {
    cause: "unreachable",
    confidence: 0.95,
    summary: (f, w) => `There is no route to ${w} (${f.code}).`,
    evidence: (f, w) => `connect to ${w} failed with ${f.code} after ${dur(f.durationMs)}`,
    advice: [
      "Check the route: `ip route get ADDRESS`, and that the interface or VPN is up.",
      "On the same subnet, EHOSTUNREACH usually means the host does not answer ARP: it is down or the address is wrong.",
      "A router or firewall answering with ICMP unreachable also gives this: `tracepath` shows where.",
    ],
  },
  "local-firewall": {
    cause: "local-firewall",
    confidence: 0.9,
    summary: (f, w) =>
      `This machine's own firewall blocked the connection to ${w} (${f.code}): nothing reached the network.`,
    evidence: (f, w) =>
      `connect() to ${w} failed with ${f.code} after ${dur(f.durationMs)}: the kernel refused to send the SYN`,
    advice: [
      "Look for an OUTPUT rule: `sudo iptables -S OUTPUT`, `sudo nft list ruleset`, or the endpoint firewall/security software.",
      "Allow outgoing TCP to this address and port, or run from a machine that may.",
    ],
  },
};

function where(f: ConnectFailure): string {
  return f.address.includes(":") ? `[${f.address}]:${f.port}` : `${f.address}:${f.port}`;
}

function finalFailure(s: SessionSummary): ConnectFailure | undefined {
  return s.connectedAt === undefined ? s.connectFailures.at(-1) : undefined;
}

/**
 * A connect that failed, named by its outcome (refused, filtered, unreachable, local-firewall).
 * @example connectFailed(summarize(traceOfRefusedConnect), [])?.cause // "refused"
 */
export const connectFailed: Rule = (s) => {
  const f = finalFailure(s);
  if (f && f.outcome === "timeout" && (f.localSendFailures ?? 0) > 0) return droppedHere(s, f);
  const o = f && OUTCOMES[f.outcome];
  if (!f || !o) return undefined;
  const others = s.connectFailures
    .slice(0, -1)
    .map((x) => `also tried ${where(x)}: ${x.code} after ${dur(x.durationMs)}`);
  return {
    cause: o.cause,
    confidence: o.confidence,
    summary: o.summary(f, where(f)),
    evidence: [o.evidence(f, where(f)), ...others.slice(0, 2), "no data was exchanged"],
    advice: o.advice,
  };
};

/**
 * A connect timeout during which this machine failed to send its own SYN retransmissions:
 * an OUTPUT rule dropped them here (a SYN lost on the path is sent fine and never counts).
 */
function droppedHere(s: SessionSummary, f: ConnectFailure) {
  const o = OUTCOMES["local-firewall"]!;
  const w = where(f);
  return {
    cause: "local-firewall" as const,
    confidence: 0.85,
    summary: `This machine's own firewall dropped the connection to ${w}: nothing reached the network.`,
    evidence: [
      `no answer to the SYN to ${w} within ${dur(f.durationMs)}`,
      `the kernel failed to send ${f.localSendFailures} SYN retransmission(s) (TcpExt TCPRetransFail): a local OUTPUT rule drops them`,
      ...(s.connectFailures.length > 1
        ? [`${s.connectFailures.length - 1} other address(es) tried`]
        : []),
    ],
    advice: o.advice,
  };
}

export const CONNECT_RULES = [connectFailed] as const;
