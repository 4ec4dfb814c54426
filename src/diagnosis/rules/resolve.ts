/** @module Rules for names that did not resolve (dns-failure). */
import { dur } from "../format.js";
import type { Rule } from "../types.js";

interface ResolverCode {
  readonly meaning: string;
  readonly confidence: number;
  readonly advice: (host: string) => string[];
}

const NO_SUCH_NAME: ResolverCode = {
  meaning: "the name does not exist",
  confidence: 0.97,
  advice: (host) => [
    `Check the spelling of "${host}"; \`getent hosts ${host}\` shows what this machine resolves.`,
    "If it is a short name, check the search domain in /etc/resolv.conf, or use the full name.",
    "Or connect to the IP address directly.",
  ],
};

const TEMPORARY: ResolverCode = {
  meaning: "the resolver did not answer in time (a temporary failure, not a missing name)",
  confidence: 0.95,
  advice: (host) => [
    "Check that the nameservers in /etc/resolv.conf answer: `dig " +
      host +
      "` (and `dig @SERVER " +
      host +
      "`).",
    "Check the network path to the resolver (VPN down, captive portal, firewall on port 53).",
    "Retry; or connect to the IP address directly.",
  ],
};

/** Resolver codes (as Node reports them) and what they mean. */
const RESOLVER_CODES: Readonly<Record<string, ResolverCode>> = {
  ENOTFOUND: NO_SUCH_NAME,
  EAI_NONAME: NO_SUCH_NAME,
  ENODATA: { ...NO_SUCH_NAME, meaning: "the name exists but has no address records" },
  EAI_NODATA: { ...NO_SUCH_NAME, meaning: "the name exists but has no address records" },
  EAI_AGAIN: TEMPORARY,
  ETIMEOUT: TEMPORARY,
  EAI_FAIL: {
    ...TEMPORARY,
    meaning: "the nameserver failed for good (SERVFAIL or refused)",
    confidence: 0.93,
  },
};

const OTHER: ResolverCode = {
  meaning: "the resolver returned an error",
  confidence: 0.9,
  advice: (host) => [`Check this machine's resolver configuration: \`getent hosts ${host}\`.`],
};

/**
 * The name did not resolve: ENOTFOUND (no such name) or EAI_AGAIN (resolver timeout), said apart.
 * @example dnsFailure(summarize([{ type: "resolve-failed", t: 12, host: "nope", code: "ENOTFOUND", message: "", durationMs: 12 }]), [])?.cause // "dns-failure"
 */
export const dnsFailure: Rule = (s) => {
  const f = s.resolveFailed;
  if (!f) return undefined;
  const k = RESOLVER_CODES[f.code] ?? OTHER;
  return {
    cause: "dns-failure",
    confidence: k.confidence,
    summary: `The name ${f.host} did not resolve: ${k.meaning} (${f.code} after ${dur(f.durationMs)}).`,
    evidence: [
      `resolve-failed ${f.code} for ${f.host} after ${dur(f.durationMs)}`,
      ...(f.message ? [`resolver said: ${f.message}`] : []),
      "no connection was attempted",
    ],
    advice: k.advice(f.host),
  };
};

export const RESOLVE_RULES = [dnsFailure] as const;
