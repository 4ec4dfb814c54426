/**
 * @module The `route` check: TCP connect round trips to the port, always (a SYN answered by
 * SYN-ACK or RST is a round trip either way), plus ICMP ping and the path from the system's
 * mtr, tracepath or traceroute where present — parsed, not pasted. Mid-path loss that does not
 * persist to the destination is ICMP rate limiting, and is reported as such.
 */
import type { Candidate } from "../diagnosis/index.js";
import { type Clock, systemClock } from "../session/clock.js";
import { connectOnce } from "../session/dial.js";
import { formatRtt } from "../util/duration.js";
import { isRoot, runTool, type ToolRun } from "./tools/exec.js";
import {
  analyzeLoss,
  median,
  type PathResult,
  type PingResult,
  parseMtrJson,
  parsePing,
  parseTracepath,
  parseTraceroute,
} from "./tools/parse.js";
import type { CheckResult, ToolPolicy } from "./types.js";

export interface RouteOptions {
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  /** TCP connect samples (default 5). */
  readonly samples?: number;
  readonly sampleTimeoutMs: number;
  readonly tools?: ToolPolicy;
  readonly signal?: AbortSignal;
  /** Where the timeouts and round-trip times come from (default: the system's clock). */
  readonly clock?: Clock;
}

export interface TcpSamples {
  readonly sent: number;
  readonly answered: number;
  readonly lossPct: number;
  readonly rttMs: readonly number[];
  readonly min?: number;
  readonly median?: number;
  readonly max?: number;
}

const r2 = (x: number) => Math.round(x * 100) / 100;

/** Connect `n` times in a row, timing each SYN's answer; the connections are closed at once. */
async function tcpSamples(o: RouteOptions): Promise<TcpSamples> {
  const n = o.samples ?? 5;
  const rtt: number[] = [];
  const clock = o.clock ?? systemClock;
  for (let i = 0; i < n; i++) {
    const t0 = clock.now();
    const c = await connectOnce(o.address, o.family, o.port, o.sampleTimeoutMs, o.signal, clock);
    const ms = clock.now() - t0;
    if ("socket" in c) {
      c.socket.destroy();
      rtt.push(ms);
    } else if (c.outcome === "refused") rtt.push(ms);
  }
  return {
    sent: n,
    answered: rtt.length,
    lossPct: Math.round(((n - rtt.length) / n) * 100),
    rttMs: rtt.map(r2),
    ...(rtt.length > 0
      ? { min: r2(Math.min(...rtt)), median: r2(median(rtt)!), max: r2(Math.max(...rtt)) }
      : {}),
  };
}

type Tool = "mtr" | "tracepath" | "traceroute";

async function ping(o: RouteOptions): Promise<{ run: ToolRun; result?: PingResult }> {
  const args = ["-n", "-c", "4", "-i", "0.2", "-W", "1"];
  if (o.family === 6) args.unshift("-6");
  const run = await runTool("ping", [...args, o.address], 4000, o.signal, o.clock);
  return { run, ...(run.status === "ok" ? { result: parsePing(run.stdout) } : {}) };
}

function toolArgs(tool: Tool, o: RouteOptions): string[] {
  const v6 = o.family === 6 ? ["-6"] : [];
  switch (tool) {
    case "mtr":
      // Below 1 s between probes mtr needs root; as a user it would take 5 s more.
      return [
        ...v6,
        "--json",
        "-n",
        "-c",
        "4",
        "-i",
        isRoot() ? "0.1" : "1",
        "-G",
        "0.3",
        o.address,
      ];
    case "tracepath":
      return [...v6, "-n", "-m", "30", o.address];
    case "traceroute":
      return [...v6, "-n", "-q", "1", "-w", "1", "-m", "30", o.address];
  }
}

async function path(
  o: RouteOptions,
): Promise<{ tried: { tool: Tool; status: string }[]; result?: PathResult }> {
  const order: readonly Tool[] =
    o.tools?.path ??
    (isRoot() ? ["mtr", "tracepath", "traceroute"] : ["tracepath", "traceroute", "mtr"]);
  const tried: { tool: Tool; status: string }[] = [];
  for (const tool of order) {
    const limit = o.tools?.pathTimeoutMs ?? 6000;
    const run = await runTool(tool, toolArgs(tool, o), limit, o.signal, o.clock);
    tried.push({ tool, status: run.status });
    if (run.status === "absent" || run.status === "denied") continue;
    const result =
      tool === "mtr"
        ? parseMtrJson(run.stdout, o.address)
        : tool === "tracepath"
          ? parseTracepath(run.stdout, o.address)
          : parseTraceroute(run.stdout, o.address);
    if (result && result.hops.length > 0) return { tried, result };
  }
  return { tried };
}

const noPath: { tried: { tool: Tool; status: string }[]; result?: PathResult } = { tried: [] };

/** The summary as the route check writes it: parts joined by commas, then notes; a status. */
interface Telling {
  readonly parts: string[];
  readonly notes: string[];
  status: CheckResult["status"];
}

/**
 * Run the route check.
 * @example (await checkRoute({address:"127.0.0.1",family:4,port:23,sampleTimeoutMs:2000})).status
 */
export async function checkRoute(o: RouteOptions): Promise<CheckResult> {
  const clock = o.clock ?? systemClock;
  const t0 = clock.now();
  const wantPing = o.tools?.ping ?? true;
  const [tcp, icmp, trace] = await Promise.all([
    tcpSamples(o),
    wantPing ? ping(o) : Promise.resolve(undefined),
    o.tools?.path?.length === 0 ? Promise.resolve(noPath) : path(o),
  ]);
  const durationMs = clock.now() - t0;
  const told: Telling = { parts: [], notes: [], status: "pass" };
  tellTcp(tcp, told);
  const pingData = icmp ? tellPing(icmp, tcp, told) : { status: "skipped" };
  const pathData = tellPath(trace, told);
  const finding = lossFinding(o, tcp, told);
  return {
    ...(finding ? { finding } : {}),
    id: "route",
    status: told.status,
    summary: [told.parts.join(", "), ...told.notes].join("; "),
    durationMs,
    data: { address: o.address, tcp, ping: pingData, path: pathData, notes: told.notes },
  };
}

/** The TCP round trips; SYNs lost fail the check when none was answered, else warn. */
function tellTcp(tcp: TcpSamples, told: Telling): void {
  if (tcp.answered > 0)
    told.parts.push(
      `TCP connect ${formatRtt(tcp.min!)}/${formatRtt(tcp.median!)}/${formatRtt(tcp.max!)} min/median/max (${tcp.answered}/${tcp.sent})`,
    );
  else told.parts.push(`TCP: none of ${tcp.sent} SYNs answered`);
  if (tcp.lossPct > 0) told.status = tcp.answered === 0 ? "fail" : "warn";
}

/** What ping found; no reply while TCP answers is ICMP filtered, not a fault. */
function tellPing(
  icmp: { run: ToolRun; result?: PingResult },
  tcp: TcpSamples,
  told: Telling,
): Record<string, unknown> {
  const p = icmp.result;
  if (icmp.run.status === "absent") return { status: "absent" };
  if (icmp.run.status === "denied") return { status: "denied" };
  if (!p) return { status: "unparsed", exitCode: icmp.run.exitCode };
  if (p.received === 0) {
    told.parts.push("ping: no reply");
    told.notes.push(
      tcp.answered > 0
        ? "ICMP echo gets no reply while TCP answers: ICMP is filtered on the way, which is common and harmless"
        : `ping: no reply${p.errors.length > 0 ? ` (${p.errors.join(", ")})` : ""}`,
    );
  } else {
    told.parts.push(
      `ping ${p.lossPct}% loss${p.avg !== undefined ? `, avg ${formatRtt(p.avg)}` : ""}`,
    );
    if (p.lossPct > 0 && told.status === "pass") told.status = "warn";
  }
  return { status: "ok", ...p };
}

/** The path and where loss starts; loss that does not reach the destination is rate limiting. */
function tellPath(
  trace: { tried: { tool: Tool; status: string }[]; result?: PathResult },
  told: Telling,
): Record<string, unknown> {
  const pr = trace.result;
  if (!pr) {
    const why =
      trace.tried.length === 0
        ? "not asked"
        : trace.tried.map((t) => `${t.tool} ${t.status}`).join(", ");
    told.parts.push(`path: none (${why})`);
    return { tried: trace.tried };
  }
  const loss = analyzeLoss(pr.hops, pr.reached);
  const hopsWord = `${pr.hops.length} hop${pr.hops.length === 1 ? "" : "s"}`;
  told.parts.push(`path ${hopsWord} (${pr.tool}${pr.reached ? "" : ", destination not reached"})`);
  if (loss.rateLimitedHops.length > 0)
    told.notes.push(
      `hop(s) ${loss.rateLimitedHops.join(", ")} drop probes but the loss does not carry on to the destination: ICMP rate limiting at those routers, not packet loss`,
    );
  if (loss.endLossPct !== undefined && loss.endLossPct > 0) {
    const where = pr.hops.find((h) => h.ttl === loss.lossStartsAt)?.address;
    told.notes.push(
      `${loss.endLossPct}% loss at the destination, starting at hop ${loss.lossStartsAt ?? "?"}${where ? ` (${where})` : ""}`,
    );
    if (told.status === "pass") told.status = "warn";
  }
  return {
    tried: trace.tried,
    tool: pr.tool,
    reached: pr.reached,
    hops: pr.hops,
    ...loss,
    ...(pr.pmtu ? { pmtu: pr.pmtu } : {}),
  };
}

/** TCP itself losing SYNs on a port that answers is loss that sessions feel. */
function lossFinding(o: RouteOptions, tcp: TcpSamples, told: Telling): Candidate | undefined {
  if (!(tcp.answered > 0 && tcp.lossPct >= 40)) return undefined;
  return {
    cause: "network-failure",
    confidence: 0.55,
    summary: `The path loses packets: ${tcp.sent - tcp.answered} of ${tcp.sent} TCP connection attempts got no answer while others did.`,
    evidence: [told.parts[0], ...told.notes].slice(0, 3),
    advice: [
      `Sessions on a lossy path stall and may be dropped: check the path's links and interfaces for errors (\`mtr -n ${o.address}\` over a few minutes shows where loss starts).`,
    ],
  };
}
