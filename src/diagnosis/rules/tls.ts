/**
 * @module What the telnet check's TLS facts mean: a port that said nothing, then closed when
 * Enter was pressed (or never spoke), and answered a TLS handshake, speaks TLS, not Telnet.
 * A pure rule over the check's facts (checks/telnet.ts gathers them; no sockets here).
 */
import { PROTOCOL_SIGNATURES } from "../protocols.js";
import type { Candidate } from "../types.js";

/** The facts: what the server did before the handshake, and what the handshake got. */
export interface TlsFacts {
  /** The host as it was asked for (a name, or the address), for the advice. */
  readonly host: string;
  readonly port: number;
  /** True when the server closed within a second of our Enter; false when it stayed silent. */
  readonly closedOnEnter: boolean;
  readonly protocol?: string;
  readonly subject?: string;
  /** The TLS alert the handshake got, when it got one instead of completing. */
  readonly alert?: string;
}

/**
 * @example tlsOnPort({ host: "sw1", port: 992, closedOnEnter: true, protocol: "TLSv1.3" }).cause // "wrong-service"
 */
export function tlsOnPort(f: TlsFacts): Candidate {
  const sig = PROTOCOL_SIGNATURES.find((p) => p.id === "tls");
  const how = f.closedOnEnter ? "closed the connection when we pressed Enter" : "never spoke first";
  const certificate = f.subject ? `, certificate for ${f.subject}` : "";
  return {
    cause: "wrong-service",
    confidence: 0.9,
    summary: `Port ${f.port} speaks TLS, not Telnet.`,
    evidence: [
      `the server sent nothing and ${how}`,
      f.alert
        ? `a TLS handshake got an alert: ${f.alert}`
        : `a TLS handshake completed (${f.protocol ?? "TLS"}${certificate})`,
    ],
    advice: [sig ? sig.advice(f.host, f.port) : "This port expects TLS: use a TLS client."],
  };
}
