/**
 * @module The `dns` check: A and AAAA for the name, the time taken and the resolver used.
 * NXDOMAIN (the name does not exist) and a resolver that does not answer are told apart.
 */
import { getServers, lookup, Resolver } from "node:dns/promises";
import { isIP } from "node:net";
import type { Candidate } from "../diagnosis/index.js";
import { type Clock, sleep, systemClock } from "../session/clock.js";
import { formatMs } from "../util/duration.js";
import type { CheckResult } from "./types.js";

export interface DnsAnswer {
  readonly result: CheckResult;
  /** The addresses to use, in the system's order (empty when resolution failed). */
  readonly addresses: readonly { readonly address: string; readonly family: 4 | 6 }[];
}

/** One record type's answer from the DNS: its addresses, or its error code. */
type Answer = { addresses: string[] } | { code: string };

/** When the system has resolved the name, how long the DNS's own answers may still take. */
const LATE_MS = 500;

/** A lookup slower than this is worth a warning (each connection by name pays it). */
const SLOW_MS = 1000;
const NXDOMAIN = new Set(["ENOTFOUND", "NXDOMAIN", "ENODATA"]);
const NO_ANSWER = new Set(["EAI_AGAIN", "ETIMEOUT", "ECONNREFUSED", "ESERVFAIL", "ETIMEDOUT"]);

function codeOf(err: unknown): string {
  const c = (err as { code?: unknown })?.code;
  return typeof c === "string" ? c : "EUNKNOWN";
}

/** Query one record type straight from the DNS (not /etc/hosts): its answer or error code. */
async function query(resolver: Resolver, type: "A" | "AAAA", host: string): Promise<Answer> {
  try {
    const addresses = type === "A" ? await resolver.resolve4(host) : await resolver.resolve6(host);
    return { addresses };
  } catch (err) {
    return { code: codeOf(err) };
  }
}

/** With explicit servers, the DNS's answers are the addresses (A first), as getaddrinfo would give. */
async function fromQueries(
  queries: Promise<Answer[]>,
): Promise<{ address: string; family: number }[]> {
  const [a, aaaa] = await queries;
  const found = [
    ...("addresses" in a ? a.addresses.map((address) => ({ address, family: 4 })) : []),
    ...("addresses" in aaaa ? aaaa.addresses.map((address) => ({ address, family: 6 })) : []),
  ];
  if (found.length > 0) return found;
  const code = "code" in a ? a.code : "code" in aaaa ? aaaa.code : "ENOTFOUND";
  throw Object.assign(new Error(code), { code });
}

/** A resolver as dig's `@` takes it: a bare address (one with a port, `ADDR:PORT`, is left as SERVER). */
function digServer(server: string | undefined): string {
  return server && /^(?:[\d.]+|[\da-f:]+)$/i.test(server) && !/^[\d.]+:\d+$/.test(server)
    ? server
    : "SERVER";
}

/** `work`'s answer if it comes within LATE_MS, else `otherwise` (the wait is cancelled either way). */
async function briefly<T>(clock: Clock, work: Promise<T>, otherwise: T): Promise<T> {
  const stop = new AbortController();
  const late = sleep(clock, LATE_MS, stop.signal).then(() => otherwise);
  try {
    return await Promise.race([work, late]);
  } finally {
    stop.abort();
  }
}

/** What the resolvers said: the system's lookup (or its error code), and the DNS's A and AAAA. */
interface Asked {
  readonly used: readonly string[];
  readonly system: { address: string; family: 4 | 6 }[] | { code: string };
  readonly a: Answer;
  readonly aaaa: Answer;
}

/**
 * Resolve `host` as the client will (getaddrinfo: /etc/hosts, then DNS), and ask the DNS for
 * A and AAAA separately, so the report shows both families and who answered.
 * @example (await checkDns("localhost", 3000)).addresses[0].address // "127.0.0.1" or "::1"
 */
export async function checkDns(
  host: string,
  timeoutMs: number,
  /** Ask these DNS servers only (`ADDR` or `ADDR:PORT`), instead of the system's resolver. */
  servers?: readonly string[],
  /** Where the durations and the wait for late answers come from (the resolver's own retries run on real time). */
  clock: Clock = systemClock,
): Promise<DnsAnswer> {
  const t0 = clock.now();
  const family = isIP(host);
  if (family !== 0) return literal(host, family as 4 | 6);
  const asked = await ask(host, timeoutMs, servers, clock);
  const durationMs = clock.now() - t0;
  return Array.isArray(asked.system) && asked.system.length > 0
    ? resolved(host, asked, asked.system, durationMs)
    : unresolved(host, asked, durationMs);
}

/** An IP address needs no lookup. */
function literal(host: string, family: 4 | 6): DnsAnswer {
  return {
    addresses: [{ address: host, family }],
    result: {
      id: "dns",
      status: "pass",
      summary: `${host} is an IPv${family} address: no lookup needed`,
      durationMs: 0,
      data: { literal: true, a: family === 4 ? [host] : [], aaaa: family === 6 ? [host] : [] },
    },
  };
}

/** Ask the system's lookup (or, with `servers`, those servers) and the DNS's A and AAAA at once. */
async function ask(
  host: string,
  timeoutMs: number,
  servers: readonly string[] | undefined,
  clock: Clock,
): Promise<Asked> {
  const resolver = new Resolver({ timeout: Math.min(timeoutMs, 5000), tries: 2 });
  if (servers) resolver.setServers([...servers]);
  const used = servers ?? getServers();
  const queries = Promise.all([query(resolver, "A", host), query(resolver, "AAAA", host)]);
  const system = await (servers
    ? fromQueries(queries)
    : lookup(host, { all: true, verbatim: true })
  ).then(
    (r) => r.map((x) => ({ address: x.address, family: x.family as 4 | 6 })),
    (err: unknown) => ({ code: codeOf(err) }),
  );
  // When the system resolved the name, the DNS's own answers are detail: wait briefly for them.
  // When it did not, they tell NXDOMAIN from a resolver that does not answer: wait for them.
  const late: [{ code: string }, { code: string }] = [{ code: "ETIMEOUT" }, { code: "ETIMEOUT" }];
  const [a, aaaa] = Array.isArray(system) ? await briefly(clock, queries, late) : await queries;
  resolver.cancel();
  return { used, system, a, aaaa };
}

const list = (r: Answer) => ("addresses" in r ? r.addresses : []);

/** The data both outcomes report: the resolvers asked and the DNS's answers or errors. */
function dnsData({ used, a, aaaa }: Asked): Record<string, unknown> {
  return {
    resolvers: used,
    a: list(a),
    aaaa: list(aaaa),
    ...("code" in a ? { aError: a.code } : {}),
    ...("code" in aaaa ? { aaaaError: aaaa.code } : {}),
  };
}

/** The name resolved: pass, or warn when the lookup was slow. */
function resolved(
  host: string,
  asked: Asked,
  addresses: { address: string; family: 4 | 6 }[],
  durationMs: number,
): DnsAnswer {
  const fromDns = list(asked.a).length + list(asked.aaaa).length > 0;
  const shown = addresses.map((x) => x.address).join(", ");
  const slow = durationMs > SLOW_MS;
  return {
    addresses,
    result: {
      id: "dns",
      status: slow ? "warn" : "pass",
      summary: `${host} → ${shown} in ${formatMs(durationMs)}${slow ? ", slowly: every new connection waits this long" : ""} (${fromDns ? `DNS ${asked.used[0] ?? "resolver"}` : "hosts file or local resolver"})`,
      durationMs,
      data: { ...dnsData(asked), addresses },
    },
  };
}

/** The name did not resolve: NXDOMAIN, or a resolver that did not answer. */
function unresolved(host: string, asked: Asked, durationMs: number): DnsAnswer {
  const { used, system, a } = asked;
  const code = "code" in system ? system.code : "ENOTFOUND";
  const nx = NXDOMAIN.has(code) && !("code" in a && NO_ANSWER.has(a.code));
  const summary = nx
    ? `${host} does not exist (NXDOMAIN from ${used.join(", ") || "the resolver"})`
    : `no answer for ${host}: the resolver ${used.join(", ") || ""} timed out or failed (${code})`;
  return {
    addresses: [],
    result: {
      id: "dns",
      status: "fail",
      summary,
      durationMs,
      data: { ...dnsData(asked), error: code, nxdomain: nx },
      finding: dnsFailure(host, asked, code, nx, durationMs),
    },
  };
}

/** The finding for a name that did not resolve, with the answers as evidence. */
function dnsFailure(
  host: string,
  { used, a, aaaa }: Asked,
  code: string,
  nx: boolean,
  durationMs: number,
): Candidate {
  const shown = (r: Answer) => ("code" in r ? r.code : r.addresses.join(", ") || "none");
  return {
    cause: "dns-failure",
    confidence: 0.95,
    summary: nx
      ? `The name ${host} does not exist in DNS.`
      : `The name ${host} could not be resolved: the resolver did not answer.`,
    evidence: [
      `getaddrinfo: ${code} after ${formatMs(durationMs)}`,
      `A: ${shown(a)}; AAAA: ${shown(aaaa)}`,
      `resolvers: ${used.join(", ") || "none configured"}`,
    ],
    advice: nx
      ? [
          `Check the spelling of ${host}, or use the device's IP address.`,
          "If the name is internal, check the search domain in /etc/resolv.conf or that you are on the right VPN.",
        ]
      : [
          `The resolver did not answer: check /etc/resolv.conf and that the DNS server is reachable (\`dig @${digServer(used[0])} ${host}\`).`,
          "Meanwhile, connect by IP address.",
        ],
  };
}
