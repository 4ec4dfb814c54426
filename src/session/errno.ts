/**
 * @module errno → outcome, in one place. Connect errors become a ConnectOutcome; errors on an
 * established socket keep their code (ECONNRESET, ETIMEDOUT...) for the diagnosis.
 */
import type { ConnectOutcome } from "../trace/events.js";

const CONNECT_OUTCOMES: Readonly<Record<string, ConnectOutcome>> = {
  ECONNREFUSED: "refused",
  ETIMEDOUT: "timeout",
  TIMEOUT: "timeout",
  EHOSTUNREACH: "unreachable",
  ENETUNREACH: "unreachable",
  EHOSTDOWN: "unreachable",
  ENETDOWN: "unreachable",
  // connect() fails with EPERM when a local netfilter OUTPUT rule rejects the SYN
  // (iptables REJECT answers locally; nftables/iptables DROP on OUTPUT gives EPERM at once).
  EPERM: "local-firewall",
  EACCES: "local-firewall",
};

/** The outcome of a failed connect, from its errno code. */
export function connectOutcome(code: string | undefined): ConnectOutcome {
  return (code && CONNECT_OUTCOMES[code]) || "local-error";
}

/** The errno code of a Node error, or "EUNKNOWN". */
export function errnoCode(err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "EUNKNOWN";
}
