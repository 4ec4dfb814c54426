/** @module `teldoc lab [SCENARIO]`: a Telnet server that ends sessions in the way asked for. */
import { TeldocError } from "../errors.js";
import { LAB_DEFAULTS } from "../lab/config.js";
import { SCENARIOS } from "../lab/registry.js";
import { startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { parseDuration } from "../util/duration.js";
import { parsePort } from "../util/target.js";

export interface LabFlags {
  port?: string;
  host?: string;
  list?: boolean;
  variant?: string;
  user?: string;
  password?: string;
  tries?: string;
  loginTimeout?: string;
  idleTimeout?: string;
  message?: string;
  limit?: string;
  after?: string;
  quiet?: boolean;
}

/** The `--list` text: each scenario, the cause it produces, its variants. */
export function listScenarios(): string {
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
    "Path scenarios (filtered, unreachable, local-firewall, middlebox-timeout, network-failure)",
  );
  lines.push("need network namespaces and root: see `teldoc lab --help`.");
  return `${lines.join("\n")}\n`;
}

function positiveInt(text: string, flag: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `${flag} "${text}" must be a whole number of at least 1`,
    );
  }
  return Number(text);
}

/** Read the flags into a lab configuration (usage errors throw). */
export function labConfig(scenario: string, f: LabFlags): Partial<LabConfig> {
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
  if (f.tries !== undefined) c.tries = positiveInt(f.tries, "--tries");
  if (f.limit !== undefined) c.limit = positiveInt(f.limit, "--limit");
  if (f.loginTimeout !== undefined)
    c.loginTimeoutMs = parseDuration(f.loginTimeout, "--login-timeout");
  if (f.idleTimeout !== undefined) c.idleTimeoutMs = parseDuration(f.idleTimeout, "--idle-timeout");
  if (f.after !== undefined) c.afterMs = parseDuration(f.after, "--after");
  if (f.message !== undefined) c.message = f.message.replace(/\\n/g, "\n");
  return c;
}

export async function runLab(scenarioArg: string | undefined, f: LabFlags): Promise<number> {
  if (f.list) {
    process.stdout.write(listScenarios());
    return 0;
  }
  const scenario = scenarioArg ?? "healthy";
  const config = labConfig(scenario, f);
  const port = f.port === undefined ? 2323 : parsePort(f.port);
  const host = f.host ?? "127.0.0.1";
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
