/** @module `teldoc lab [SCENARIO]`: a Telnet server that ends sessions in the way asked for. */
import { TeldocError } from "../errors.js";
import { LAB_DEFAULTS } from "../lab/config.js";
import { type PathLab, pathLabUnsupported } from "../lab/netns.js";
import {
  PATH_ADDRESSES,
  PATH_FAULTS,
  PATH_SERVER_PORT,
  type PathFault,
} from "../lab/path-faults.js";
import { MIDDLEBOX_IDLE_S, NETWORK_FAILURE_AFTER_S, servePathLab } from "../lab/path-lab.js";
import { SCENARIOS } from "../lab/registry.js";
import { startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { parseDuration } from "../util/duration.js";
import { parsePort } from "../util/target.js";
import { parseCount } from "./args.js";
import {
  LAB_OPTIONS,
  LAB_SCENARIO_OPTIONS,
  type LabFlags,
  SCENARIO_ARGUMENT,
} from "./options/lab.js";
import { longFlag } from "./options/table.js";

/** The `--list` text: each scenario, the cause it produces, its variants. */
function listScenarios(): string {
  const lines: string[] = [
    "Scenarios (teldoc lab SCENARIO), and the cause teldoc diagnoses for each:",
    "",
  ];
  for (const s of Object.values(SCENARIOS)) {
    lines.push(`  ${s.name.padEnd(20)} -> ${s.cause}`);
    lines.push(`      ${s.summary}`);
    for (const [v, what] of Object.entries(s.variants ?? {}))
      lines.push(`      --variant ${v}: ${what}`);
  }
  lines.push(
    "",
    "Path scenarios (root only): `teldoc lab --netns [SCENARIO] --fault KIND` builds three network",
    `namespaces, client (${PATH_ADDRESSES.client}) -> middlebox (a router with nftables and conntrack) -> server`,
    `(${PATH_ADDRESSES.server}), runs SCENARIO (default ${SCENARIO_ARGUMENT.default}) on ${PATH_ADDRESSES.server} port ${PATH_SERVER_PORT} in the server one, and`,
    `breaks the path; run the client with \`ip netns exec <client namespace> teldoc ${PATH_ADDRESSES.server}\`:`,
    "",
  );
  for (const [kind, f] of Object.entries(PATH_FAULTS)) {
    lines.push(`  --fault ${kind.padEnd(18)} -> ${f.cause}`);
    lines.push(
      `      ${f.summary}${FAULT_WHEN[kind as PathFault] ? `; ${FAULT_WHEN[kind as PathFault]}` : ""}`,
    );
  }
  lines.push("  (no --fault)              the path works: the server scenario's own cause");
  return `${lines.join("\n")}\n`;
}

/** Read the flags into a lab configuration (usage errors throw). */
function labConfig(scenario: string, f: LabFlags): Partial<LabConfig> {
  const s = SCENARIOS[scenario];
  if (!s) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `unknown scenario "${scenario}": choose one of ${Object.keys(SCENARIOS).join(", ")} (teldoc lab --list)`,
    );
  }
  if (f.variant !== undefined && !(s.variants && f.variant in s.variants)) {
    const known = Object.keys(s.variants ?? {});
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      known.length > 0
        ? `scenario ${scenario} has no variant "${f.variant}": choose ${known.join(", ")}`
        : `scenario ${scenario} has no variants`,
    );
  }
  const c: { -readonly [K in keyof LabConfig]?: LabConfig[K] } = {};
  if (f.variant !== undefined) c.variant = f.variant;
  if (f.user !== undefined) c.user = f.user;
  if (f.password !== undefined) c.password = f.password;
  if (f.tries !== undefined) c.tries = parseCount(f.tries, "--tries");
  if (f.limit !== undefined) c.limit = parseCount(f.limit, "--limit");
  if (f.loginTimeout !== undefined)
    c.loginTimeoutMs = parseDuration(f.loginTimeout, "--login-timeout");
  if (f.idleTimeout !== undefined) c.idleTimeoutMs = parseDuration(f.idleTimeout, "--idle-timeout");
  if (f.after !== undefined) c.afterMs = parseDuration(f.after, "--after", { zero: true });
  if (f.message !== undefined) c.message = f.message.replace(/\\n/g, "\n");
  return c;
}

export async function runLab(scenarioArg: string | undefined, f: LabFlags): Promise<number> {
  if (f.list) {
    process.stdout.write(listScenarios());
    return 0;
  }
  const scenario = scenarioArg ?? SCENARIO_ARGUMENT.default;
  const config = labConfig(scenario, f);
  if (f.netns) return runPathLab(scenario, f);
  if (f.fault !== undefined)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "--fault needs --netns (as root): teldoc lab --netns --fault KIND",
    );
  const port = parsePort(f.port ?? LAB_OPTIONS.port.default);
  const host = f.host ?? LAB_OPTIONS.host.default;
  let lab: Awaited<ReturnType<typeof startLab>>;
  try {
    lab = await startLab({
      scenario,
      host,
      port,
      config,
      log: f.quiet ? undefined : (line) => process.stderr.write(`${line}\n`),
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "EADDRINUSE"
        ? "the port is in use: pick another with --port"
        : code === "EACCES"
          ? "ports below 1024 need root"
          : (err as Error).message;
    throw new TeldocError("TELDOC_ERR_USAGE", `cannot listen on ${host} port ${port}: ${why}`);
  }
  const shown = host.includes(":") ? `[${host}]` : host;
  const c = { ...LAB_DEFAULTS, ...config };
  process.stderr.write(
    `teldoc lab: ${scenario} (expect: ${lab.scenario.cause}) listening on ${shown} port ${lab.port}; user ${c.user}, password ${c.password}. Ctrl-C stops.\n` +
      `  try: teldoc ${host.includes(":") ? `[${host}]:${lab.port}` : `${host} ${lab.port}`}\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await lab.close();
  return 0;
}

/** When the faults that wait for a session bite. */
const FAULT_WHEN: Readonly<Partial<Record<PathFault, string>>> = {
  "middlebox-timeout": `bites after ${MIDDLEBOX_IDLE_S} s without a packet`,
  "network-failure": `bites ${NETWORK_FAILURE_AFTER_S} s after the first session connects`,
};

/**
 * The flags the server in the namespace gets: those of the scenario (LAB_SCENARIO_OPTIONS), and -q.
 * @example serverArgs({ tries: "1", quiet: true }) // ["--tries", "1", "--quiet"]
 */
export function serverArgs(f: LabFlags): string[] {
  const args: string[] = [];
  for (const [key, spec] of Object.entries(LAB_SCENARIO_OPTIONS)) {
    const value = f[key as keyof typeof LAB_SCENARIO_OPTIONS];
    if (value !== undefined) args.push(longFlag(spec), value);
  }
  if (f.quiet) args.push("--quiet");
  return args;
}

/** What to tell the user about the fault: how to see it bite. */
function faultInstructions(fault: PathFault | undefined, client: string): string[] {
  const run = `ip netns exec ${client} teldoc ${PATH_ADDRESSES.server}`;
  switch (fault) {
    case undefined:
      return [`  try: ${run}`];
    case "filtered":
    case "local-firewall":
      return [`  try: ${run} --connect-timeout 5s`, "  the connect times out."];
    case "unreachable":
      return [`  try: ${run}`, "  the connect fails at once with EHOSTUNREACH (No route to host)."];
    case "middlebox-timeout":
      return [
        `  try: ${run} --dead-peer 5s`,
        `  log in, leave the session idle for more than ${MIDDLEBOX_IDLE_S} s, then type a command: the middlebox`,
        "  has forgotten the connection and drops it, so nothing answers; after --dead-peer teldoc",
        "  opens a fresh connection (it works) and names middlebox-timeout.",
        `  (--keepalive ${MIDDLEBOX_IDLE_S / 2}s keeps the session alive.)`,
      ];
    case "network-failure":
      return [
        `  try: ${run} --dead-peer 5s`,
        `  log in and keep typing: ${NETWORK_FAILURE_AFTER_S} s after the first session connects, the middlebox drops`,
        "  every packet; your next keystroke gets no answer, after --dead-peer teldoc tries a fresh",
        "  connection (it fails too) and names network-failure.",
      ];
  }
}

/** `teldoc lab --netns`: the lab behind a real (namespaced) path, with a fault on it. */
async function runPathLab(scenario: string, f: LabFlags): Promise<number> {
  const fault = pathFault(f.fault);
  const why = pathLabUnsupported();
  if (why) throw new TeldocError("TELDOC_ERR_USAGE", `--netns: ${why}`);
  const config = { ...LAB_DEFAULTS, ...labConfig(scenario, f) };
  const say = (line: string) => {
    if (!f.quiet) process.stderr.write(`${line}\n`);
  };
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  const ready = (names: PathLab["names"]) => {
    say(pathBanner(scenario, fault, names, config));
    // Until now the path lab's own handler removed the namespaces and ended the process; from
    // now on Ctrl-C stops the lab in order. `on`, not `once`: that handler counts listeners.
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  };
  try {
    const how = await servePathLab({
      scenario,
      fault,
      serverArgs: serverArgs(f),
      onReady: ready,
      say,
      log: (line) => process.stderr.write(`${line}\n`),
      signal: stop.signal,
    });
    return how === "stopped" ? 0 : 1;
  } catch (err) {
    process.stderr.write(`teldoc: lab --netns: ${(err as Error).message}\n`);
    return 1;
  } finally {
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
  }
}

/** `--fault KIND` checked (a usage error names the kinds), or undefined when none was given. */
function pathFault(kind: string | undefined): PathFault | undefined {
  if (kind === undefined || kind in PATH_FAULTS) return kind as PathFault | undefined;
  throw new TeldocError(
    "TELDOC_ERR_USAGE",
    `unknown --fault "${kind}": choose one of ${Object.keys(PATH_FAULTS).join(", ")}`,
  );
}

/** What `lab --netns` says once the path is up: where, the login, the fault, how to see it. */
function pathBanner(
  scenario: string,
  fault: PathFault | undefined,
  names: PathLab["names"],
  c: LabConfig,
): string {
  const expect = fault
    ? `${fault} (expect: ${PATH_FAULTS[fault].cause}): ${PATH_FAULTS[fault].summary}`
    : `none (expect: ${SCENARIOS[scenario]?.cause})`;
  return [
    `teldoc lab --netns: ${scenario} on ${PATH_ADDRESSES.server} port ${PATH_SERVER_PORT} in namespace ${names.server}; user ${c.user}, password ${c.password}.`,
    `  path: ${names.client} (${PATH_ADDRESSES.client}) -> ${names.middlebox} (router, nftables) -> ${names.server} (${PATH_ADDRESSES.server})`,
    `  fault: ${expect}`,
    ...faultInstructions(fault, names.client),
    "  Ctrl-C stops and removes the namespaces.",
  ].join("\n");
}
