/**
 * @module Parsers for the system tools' output (LC_ALL=C): ping (iputils and busybox),
 * tracepath, traceroute and `mtr --json`, and the path analysis the route check reports.
 * Pure: text in, numbers out; unknown lines are ignored, never fatal.
 */

export interface PingResult {
  readonly transmitted: number;
  readonly received: number;
  readonly lossPct: number;
  /** Round-trip times of the replies, in ms. */
  readonly rttMs: readonly number[];
  readonly min?: number;
  readonly avg?: number;
  readonly max?: number;
  /** ICMP errors reported instead of replies (e.g. "Destination Host Unreachable"). */
  readonly errors: readonly string[];
}

/**
 * Parse ping's output.
 * @example parsePing("3 packets transmitted, 3 received, 0% packet loss, time 2003ms").lossPct // 0
 */
export function parsePing(text: string): PingResult | undefined {
  const stats =
    /(\d+) packets transmitted, (\d+) (?:packets )?received(?:, \+\d+ errors?)?(?:, \+\d+ duplicates)?, ([\d.]+)% packet loss/.exec(
      text,
    );
  if (!stats) return undefined;
  const rttMs = [...text.matchAll(/\btime[=<]([\d.]+) ?ms/g)].map((m) => Number(m[1]));
  const summary = /(?:rtt|round-trip) min\/avg\/max(?:\/mdev)? = ([\d.]+)\/([\d.]+)\/([\d.]+)/.exec(
    text,
  );
  const errors = [
    ...new Set([...text.matchAll(/^From \S+ icmp_seq=\d+ (.+)$/gm)].map((m) => m[1].trim())),
  ];
  return {
    transmitted: Number(stats[1]),
    received: Number(stats[2]),
    lossPct: Number(stats[3]),
    rttMs,
    ...(summary
      ? { min: Number(summary[1]), avg: Number(summary[2]), max: Number(summary[3]) }
      : {}),
    errors,
  };
}

/** One hop of a path. */
export interface Hop {
  readonly ttl: number;
  /** Undefined when the hop did not answer. */
  readonly address?: string;
  readonly rttMs?: number;
  /** Per-hop loss, when the tool measures it (mtr); 100 for a hop that did not answer. */
  readonly lossPct?: number;
  /** An ICMP error marker (traceroute !H !N !X), when the tool printed one. */
  readonly error?: string;
}

export interface PathResult {
  readonly tool: "mtr" | "tracepath" | "traceroute";
  readonly hops: readonly Hop[];
  /** True when the destination answered at the last hop. */
  readonly reached: boolean;
  readonly pmtu?: number;
}

/**
 * Parse tracepath's output (one line per probe; the last line for a TTL wins).
 * @example parseTracepath(" 1:  127.0.0.1   0.500ms reached\n").reached // true
 */
export function parseTracepath(text: string, destination?: string): PathResult {
  const byTtl = new Map<number, Hop>();
  let reached = false;
  let pmtu: number | undefined;
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)(\?)?:\s+(.*)$/.exec(line);
    if (m) {
      const ttl = Number(m[1]);
      const rest = m[3].trim();
      if (m[2] === "?" || rest.startsWith("[LOCALHOST]")) continue;
      if (/^no reply/.test(rest)) {
        if (!byTtl.has(ttl)) byTtl.set(ttl, { ttl, lossPct: 100 });
        continue;
      }
      const h = /^(\S+)\s+([\d.]+)ms\b(.*)$/.exec(rest);
      if (h) {
        byTtl.set(ttl, { ttl, address: h[1], rttMs: Number(h[2]), lossPct: 0 });
        if (/\breached\b/.test(h[3])) reached = true;
      }
    }
    const p = /pmtu (\d+)/.exec(line);
    if (p) pmtu = Number(p[1]);
  }
  const hops = [...byTtl.values()].sort((a, b) => a.ttl - b.ttl);
  if (!reached && destination) reached = hops.at(-1)?.address === destination;
  return { tool: "tracepath", hops, reached, ...(pmtu !== undefined ? { pmtu } : {}) };
}

/**
 * Parse traceroute's output (`-n`; any number of probes per hop).
 * @example parseTraceroute(" 1  127.0.0.1  0.117 ms\n", "127.0.0.1").reached // true
 */
export function parseTraceroute(text: string, destination?: string): PathResult {
  const hops: Hop[] = [];
  for (const line of text.split("\n")) {
    const m = /^\s*(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const ttl = Number(m[1]);
    const rest = m[2];
    const address = /(?:^|\s)([0-9a-fA-F:.]*[0-9a-fA-F](?:%\S+)?)\s+[\d.]+ ms/.exec(rest)?.[1];
    const times = [...rest.matchAll(/([\d.]+) ms/g)].map((t) => Number(t[1]));
    const stars = (rest.match(/(?:^|\s)\*(?=\s|$)/g) ?? []).length;
    const error = /(![HNPSFXVUC]|!<\d+>)/.exec(rest)?.[1];
    const probes = times.length + stars;
    hops.push({
      ttl,
      ...(address ? { address } : {}),
      ...(times.length > 0 ? { rttMs: Math.min(...times) } : {}),
      lossPct: probes === 0 ? 100 : Math.round((stars / probes) * 100),
      ...(error ? { error } : {}),
    });
  }
  const last = hops.at(-1);
  const reached =
    last?.address !== undefined && (destination ? last.address === destination : true);
  return { tool: "traceroute", hops, reached };
}

/**
 * Parse `mtr --json` (mtr 0.9x: report.hubs[] with count, host, Loss%, Avg, Best).
 * @example parseMtrJson('{"report":{"hubs":[{"count":1,"host":"::1","Loss%":0,"Avg":0.05}]}}').hops.length // 1
 */
export function parseMtrJson(text: string, destination?: string): PathResult | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  const hubs = (doc as { report?: { hubs?: unknown } })?.report?.hubs;
  if (!Array.isArray(hubs)) return undefined;
  const hops: Hop[] = [];
  for (const h of hubs as Record<string, unknown>[]) {
    const ttl = Number(h.count);
    const host = typeof h.host === "string" && h.host !== "???" ? h.host : undefined;
    const loss = Number(h["Loss%"]);
    const best = Number(h.Best);
    hops.push({
      ttl: Number.isFinite(ttl) ? ttl : hops.length + 1,
      ...(host ? { address: host } : {}),
      ...(host && Number.isFinite(best) && loss < 100 ? { rttMs: best } : {}),
      lossPct: Number.isFinite(loss) ? loss : 100,
    });
  }
  const last = hops.at(-1);
  const reached =
    last?.address !== undefined &&
    (last.lossPct ?? 0) < 100 &&
    (destination ? last.address === destination : true);
  return { tool: "mtr", hops, reached };
}

/** What the per-hop loss means. */
export interface PathLoss {
  /** Loss at the destination (the last hop), when measured. */
  readonly endLossPct?: number;
  /** Hops before the end with loss that does not persist to the end: ICMP rate limiting. */
  readonly rateLimitedHops: readonly number[];
  /** The first hop from which loss persists to the end, when the end loses packets. */
  readonly lossStartsAt?: number;
}

/**
 * Read per-hop loss the way an engineer does: loss at a middle hop that does not carry on to
 * the destination is the router declining to answer (ICMP rate limiting), not packet loss.
 * @example analyzeLoss([{ttl:1,lossPct:0},{ttl:2,lossPct:60},{ttl:3,lossPct:0}]).rateLimitedHops // [2]
 */
export function analyzeLoss(hops: readonly Hop[], reached: boolean): PathLoss {
  if (hops.length === 0) return { rateLimitedHops: [] };
  const end = hops.at(-1)!;
  const endLoss = reached ? (end.lossPct ?? 0) : undefined;
  const rateLimitedHops = hops
    .slice(0, -1)
    .filter((h) => (h.lossPct ?? 0) > 0 && (endLoss === undefined || (h.lossPct ?? 0) > endLoss))
    .map((h) => h.ttl);
  let lossStartsAt: number | undefined;
  if (endLoss !== undefined && endLoss > 0) {
    lossStartsAt = end.ttl;
    for (let i = hops.length - 2; i >= 0; i--) {
      if ((hops[i].lossPct ?? 0) > 0 && (hops[i].lossPct ?? 0) <= 100) lossStartsAt = hops[i].ttl;
      else break;
    }
  }
  return {
    ...(endLoss !== undefined ? { endLossPct: endLoss } : {}),
    rateLimitedHops: endLoss === undefined ? [] : rateLimitedHops,
    ...(lossStartsAt !== undefined ? { lossStartsAt } : {}),
  };
}

/** Median of numbers (undefined for none). */
export function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}
