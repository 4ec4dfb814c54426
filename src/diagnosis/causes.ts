/** @module Every cause of the contract in plain words: a title for the CLI and its meaning for docs. */
import type { Cause } from "../trace/events.js";

export interface CauseInfo {
  /** A short title for people. */
  readonly title: string;
  /** What it means (the contract's table). */
  readonly meaning: string;
}

/** The contract's causes, in its order. */
export const CAUSES: Readonly<Record<Cause, CauseInfo>> = {
  healthy: { title: "Healthy", meaning: "everything worked; nothing to fix" },
  logout: {
    title: "Logged out",
    meaning: "the server closed in order after the user ended the session (exit, logout, quit)",
  },
  "local-close": { title: "Closed here", meaning: "the user or the script closed the connection" },
  "dns-failure": { title: "Name did not resolve", meaning: "the name did not resolve" },
  "local-firewall": {
    title: "Blocked by this machine's firewall",
    meaning:
      "this machine's own firewall kept the connection from leaving (an OUTPUT rule); nothing reached the network",
  },
  unreachable: {
    title: "No route to the host",
    meaning: "no route: host or network unreachable (ICMP or local routing)",
  },
  refused: {
    title: "Connection refused",
    meaning: "nothing listens there: the SYN was answered with RST",
  },
  filtered: {
    title: "No answer (filtered or down)",
    meaning: "the SYN went unanswered: a firewall drops it, or the host is down",
  },
  "acl-rejected": {
    title: "Rejected by an access rule",
    meaning:
      "the server accepted, then closed at once, sending no service, or saying access is denied (tcp wrappers, xinetd only_from, ACL)",
  },
  "service-unavailable": {
    title: "Service unavailable",
    meaning:
      "the server accepted but would not serve: busy, too many connections, per-source limit, maintenance, shutting down",
  },
  "wrong-service": {
    title: "Not a Telnet server",
    meaning: "something answers on the port but it is not Telnet (SSH, HTTP, TLS, SMTP banner...)",
  },
  "auth-failed": {
    title: "Login rejected",
    meaning: "the server closed after rejecting credentials",
  },
  "login-timeout": {
    title: "Login timed out",
    meaning: "the server closed because no credentials came in time",
  },
  "idle-timeout": {
    title: "Idle timeout",
    meaning: "the server closed an established session after a period without user input",
  },
  "middlebox-timeout": {
    title: "Dropped by a NAT or firewall after idling",
    meaning:
      "a NAT or firewall on the path forgot the idle connection: packets after the idle period are dropped or answered with RST, while a new connection works",
  },
  "network-failure": {
    title: "Network path failed",
    meaning:
      "the path stopped carrying packets while the session was in use (retransmissions unanswered), not explained by idleness",
  },
  "peer-reset": {
    title: "Reset by the server",
    meaning: "the far end aborted the established session with RST while it was in use",
  },
  "server-closed": {
    title: "Closed by the server",
    meaning:
      "the server closed an established session in order, for no reason the evidence can name",
  },
  unknown: { title: "Unknown", meaning: "not enough evidence; say what is missing" },
};

/**
 * A plain-words title for a cause.
 * @example describeCause("middlebox-timeout") // "Dropped by a NAT or firewall after idling"
 */
export function describeCause(cause: Cause): string {
  return CAUSES[cause]?.title ?? cause;
}
