/**
 * @module `teldoc server-check`: read the facts (facts.ts), run the pure rules, and say what a
 * client would see. The report's cause is the first failing finding's, in the order a
 * connection meets them: nothing listens, a firewall, an access rule, a limit, nologin.
 */
import { execFile } from "node:child_process";
import type { Cause } from "../../trace/events.js";
import { type Address, parseAddress } from "./address.js";
import { gatherFacts, type LiveFacts, type ServerFacts } from "./facts.js";
import { accessCheck, firewallCheck } from "./rules-access.js";
import { limitsCheck } from "./rules-limits.js";
import {
  failDelayCheck,
  idleTimeoutCheck,
  loginRetriesCheck,
  loginTimeoutCheck,
  nologinCheck,
  securettyCheck,
} from "./rules-login.js";
import { listeningCheck, serviceCheck } from "./rules-service.js";
import { telnetServices } from "./services.js";
import type { ServerCheck, ServerCheckReport } from "./types.js";

export interface ServerCheckOptions {
  readonly port: number;
  /** Where the configuration is read; "/" (the default) is the live host. */
  readonly root?: string;
  readonly client?: string;
  /** This host's name, for the report. */
  readonly host: string;
}

/** A tool's output, or undefined when it is missing or fails (bounded: 5 s). */
function run(cmd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(cmd, args, { timeout: 5000, maxBuffer: 16 << 20 }, (err, stdout) =>
      resolve(err ? undefined : stdout),
    );
  });
}

/** The live firewall's rules, from each tool that exists and answers. */
export async function readFirewall(): Promise<LiveFacts["firewall"]> {
  const out: { tool: string; text: string }[] = [];
  for (const [tool, args] of [
    ["nft", ["list", "ruleset"]],
    ["iptables-save", []],
    ["ip6tables-save", []],
  ] as const) {
    const text = await run(tool, [...args]);
    if (text !== undefined) out.push({ tool, text });
  }
  return out;
}

/** The unreadable paths and the readers' problems as checks. */
function housekeeping(f: ServerFacts): ServerCheck[] {
  const out: ServerCheck[] = [];
  if (f.unreadable.length > 0)
    out.push({
      id: "unreadable",
      status: "warn",
      summary: `could not read ${f.unreadable.map((u) => `${u.path} (${u.reason})`).join(", ")}: findings that need them are not guessed`,
      data: { paths: f.unreadable },
      file: f.unreadable[0]!.path,
    });
  const p = f.problems[0];
  if (p)
    out.push({
      id: "config",
      status: "warn",
      summary: `${f.problems.length} line(s) not understood, first ${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}`,
      data: { problems: f.problems },
      file: p.file,
      ...(p.line ? { line: p.line } : {}),
    });
  return out;
}

/** The checks over gathered facts (pure). */
export function serverChecks(
  f: ServerFacts,
  port: number,
  client: Address | undefined,
): ServerCheck[] {
  const services = telnetServices(f, port);
  return [
    listeningCheck(f, port),
    serviceCheck(f, port, services),
    accessCheck(f, services, client),
    firewallCheck(f, port, client),
    loginTimeoutCheck(f),
    loginRetriesCheck(f),
    failDelayCheck(f),
    idleTimeoutCheck(f),
    nologinCheck(f),
    securettyCheck(f),
    limitsCheck(f, port, services, client),
    ...housekeeping(f),
  ];
}

/** The cause a client meets first, in connection order; healthy when nothing stops it. */
export function clientCause(checks: readonly ServerCheck[]): Cause {
  const order = ["listening", "service", "firewall", "access", "limits", "nologin"];
  for (const id of order) {
    const c = checks.find((x) => x.id === id);
    if (c?.cause && (c.status === "fail" || (id === "firewall" && c.status === "warn")))
      return c.cause;
  }
  return "healthy";
}

/**
 * Run server-check. `client` must be an IP address (the caller checks it first).
 * @example await serverCheck({ host: "srv", port: 23, root: "/srv/copy", client: "192.0.2.7" })
 */
export async function serverCheck(o: ServerCheckOptions): Promise<ServerCheckReport> {
  const root = o.root ?? "/";
  const client = o.client !== undefined ? parseAddress(o.client) : undefined;
  const facts = await gatherFacts(root, readFirewall);
  const checks = serverChecks(facts, o.port, client);
  const access = checks.find((c) => c.id === "access");
  const firewall = checks.find((c) => c.id === "firewall");
  return {
    host: o.host,
    port: o.port,
    root,
    ...(client
      ? {
          client: client.text,
          allowed: access?.status !== "fail" && !(firewall?.status === "warn" && firewall.cause),
          cause: clientCause(checks),
        }
      : {}),
    checks,
  };
}
