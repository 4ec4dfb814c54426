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
async function query(
  resolver: Resolver,
  type: "A" | "AAAA",
  host: string,
): Promise<{ addresses: string[] } | { code: string }> {
  try {
    const addresses = type === "A" ? await resolver.resolve4(host) : await resolver.resolve6(host);
    return { addresses };
  } catch (err) {
    return { code: codeOf(err) };
  }
}

/** With explicit servers, the DNS's answers are the addresses (A first), as getaddrinfo would give. */
async function fromQueries(
  queries: Promise<({ addresses: string[] } | { code: string })[]>,
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
  if (family !== 0) {
    return {
      addresses: [{ address: host, family: family as 4 | 6 }],
      result: {
        id: "dns",
        status: "pass",
        summary: `${host} is an IPv${family} address: no lookup needed`,
        durationMs: 0,
        data: { literal: true, a: family === 4 ? [host] : [], aaaa: family === 6 ? [host] : [] },
      },
    };
  }
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
  const durationMs = clock.now() - t0;
  const list = (r: { addresses: string[] } | { code: string }) =>
    "addresses" in r ? r.addresses : [];
  const data = {
    resolvers: used,
    a: list(a),
    aaaa: list(aaaa),
    ...("code" in a ? { aError: a.code } : {}),
    ...("code" in aaaa ? { aaaaError: aaaa.code } : {}),
  };
  if (Array.isArray(system) && system.length > 0) {
    const fromDns = list(a).length + list(aaaa).length > 0;
    const shown = system.map((x) => x.address).join(", ");
    return {
      addresses: system,
      result: {
        id: "dns",
        status: durationMs > SLOW_MS ? "warn" : "pass",
        summary: `${host} → ${shown} in ${formatMs(durationMs)}${durationMs > SLOW_MS ? ", slowly: every new connection waits this long" : ""} (${fromDns ? `DNS ${used[0] ?? "resolver"}` : "hosts file or local resolver"})`,
        durationMs,
        data: { ...data, addresses: system },
      },
    };
  }
  const code = "code" in system ? system.code : "ENOTFOUND";
  const nx = NXDOMAIN.has(code) && !("code" in a && NO_ANSWER.has(a.code));
  const summary = nx
    ? `${host} does not exist (NXDOMAIN from ${used.join(", ") || "the resolver"})`
    : `no answer for ${host}: the resolver ${used.join(", ") || ""} timed out or failed (${code})`;
  const finding: Candidate = {
    cause: "dns-failure",
    confidence: 0.95,
    summary: nx
      ? `The name ${host} does not exist in DNS.`
      : `The name ${host} could not be resolved: the resolver did not answer.`,
    evidence: [
      `getaddrinfo: ${code} after ${formatMs(durationMs)}`,
      `A: ${"code" in a ? a.code : a.addresses.join(", ") || "none"}; AAAA: ${"code" in aaaa ? aaaa.code : aaaa.addresses.join(", ") || "none"}`,
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
  return {
    addresses: [],
    result: {
      id: "dns",
      status: "fail",
      summary,
      durationMs,
      data: { ...data, error: code, nxdomain: nx },
      finding,
    },
  };
}
