/**
 * @module Rules for sessions the server refused before any login: xinetd's FAIL lines, tcp
 * wrappers, inetd's rate limits, pam_nologin → acl-rejected or service-unavailable.
 */
import type { Verdict } from "../types.js";
import { eventAt, first } from "./lines.js";
import type { LogRule } from "./types.js";

/** xinetd's FAIL reasons (xinetd.conf(5), access.c) and what a client sees. */
const XINETD_REASONS: Readonly<Record<string, { acl: boolean; what: string }>> = {
  address: { acl: true, what: "its address is not allowed (only_from / no_access)" },
  libwrap: { acl: true, what: "tcp wrappers deny it (hosts.allow / hosts.deny)" },
  time: { acl: true, what: "outside the service's access_times" },
  service_limit: { acl: false, what: "the service is full (instances)" },
  per_source_limit: { acl: false, what: "too many sessions from this client (per_source)" },
  process_limit: { acl: false, what: "xinetd's process limit is reached" },
  cps: { acl: false, what: "too many connections per second (cps): the service is paused" },
  load: { acl: false, what: "the machine's load is above max_load" },
};

/**
 * xinetd logged `FAIL: svc REASON from=ADDR`.
 * @example xinetdFail(facts("FAIL: telnet address from=10.0.0.9"))?.cause // "acl-rejected"
 */
export const xinetdFail: LogRule = (f) => {
  const i = first(f, "xinetd-fail");
  const e = eventAt(f, i, "xinetd-fail");
  if (!e) return undefined;
  const known = XINETD_REASONS[e.reason];
  return {
    cause: known?.acl ? "acl-rejected" : "service-unavailable",
    confidence: known ? 0.95 : 0.6,
    summary: `xinetd refused it: ${e.reason}${known ? ` — ${known.what}` : ""}`,
    decisive: [i],
  };
};

/** tcp wrappers logged `refused connect from ADDR`. */
export const tcpdRefused: LogRule = (f) => {
  const i = first(f, "tcpd-refused");
  if (i < 0) return undefined;
  return {
    cause: "acl-rejected",
    confidence: 0.95,
    summary:
      "tcp wrappers refused it (hosts.allow / hosts.deny): the client got no byte, then a close",
    decisive: [i],
  };
};

/** inetd's rate limits. */
export const inetdLimit: LogRule = (f) => {
  const i = first(f, "inetd-rate-limit");
  const e = eventAt(f, i, "inetd-rate-limit");
  if (!e) return undefined;
  return {
    cause: "service-unavailable",
    confidence: 0.9,
    summary: `inetd refused it: ${e.detail}`,
    decisive: [i],
  };
};

/** pam_nologin: /etc/nologin (or /run/nologin) exists, only root may log in. */
export const nologin: LogRule = (f): Verdict | undefined => {
  const i = first(f, "nologin");
  if (i < 0) return undefined;
  return {
    cause: "service-unavailable",
    confidence: 0.85,
    summary: "logins are disabled (pam_nologin: /etc/nologin or /run/nologin exists)",
    decisive: [i],
  };
};
