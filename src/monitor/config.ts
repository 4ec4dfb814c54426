/**
 * @module The monitor's config (the contract's "monitor" section): YAML read strictly, every
 * problem with `FILE:LINE:COL` and the setting's path, resolved into a MonitorPlan with the
 * defaults merged. It reads no environment: the plan keeps the NAMES of the variables that hold
 * secrets, and `missingSecrets` tells the CLI which are unset. `loadConfig` has no side effect
 * but reading the file, so a reload (SIGHUP) that fails keeps the old plan running.
 *
 * Decisions: a target without `name` is named `host:port` (`[::1]:2323` for IPv6); level login
 * needs both `user` and `password_env` (no login with an empty password), and `user` or
 * `password_env` at another level is an error; an alert's `after` defaults to 3 and `within` to
 * `after`; `listen` may be a port alone (on 127.0.0.1).
 */
import { readFile } from "node:fs/promises";
import { hostPort } from "../diagnosis/format.js";
import { isTeldocError } from "../errors.js";
import { parseTarget } from "../util/target.js";
import { ConfigError, type ConfigProblem } from "./config-error.js";
import { resolvePlan, targetRules } from "./config-rules.js";
import { readYaml } from "./config-yaml.js";
import {
  BUILT_IN_DEFAULTS,
  DEFAULT_LISTEN,
  DEFAULT_PORT,
  MAX_CONNECTS,
  MIN_INTERVAL_MS,
  type MonitorPlan,
  type PlanTarget,
  type TargetDefaults,
} from "./plan.js";

export { describePlan } from "./config-describe.js";
export { ConfigError, type ConfigProblem, formatProblem } from "./config-error.js";
export * from "./plan.js";

/**
 * The plan from a config's text; `file` names it in the problems. Throws ConfigError
 * (TELDOC_ERR_BAD_CONFIG) with every problem.
 * @example parseConfig("targets:\n  - host: 192.0.2.10\n", "monitor.yaml").targets[0].name // "192.0.2.10:23"
 */
export function parseConfig(text: string, file: string): MonitorPlan {
  const { plan, problems } = resolvePlan(readYaml(text, file));
  if (!plan) throw new ConfigError(problems);
  return plan;
}

/**
 * Read and resolve a config file. A missing or unreadable file is a ConfigError too (its one
 * problem says which). Nothing but the read happens: on error, keep the plan you had.
 * @example const plan = await loadConfig("monitor.yaml");
 */
export async function loadConfig(path: string): Promise<MonitorPlan> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file: give the path of a monitor config (YAML)"
        : code === "EACCES"
          ? "cannot be read: permission denied"
          : code === "EISDIR"
            ? "is a directory: give the path of a monitor config (YAML)"
            : `cannot be read (${code ?? (e as Error).message})`;
    throw new ConfigError([{ where: path, path: "", message: why }]);
  }
  return parseConfig(text, path);
}

/**
 * The environment variables the plan names (passwords, the dashboard token) that are unset or
 * empty in `env`, each once, in plan order.
 * @example missingSecrets(plan, process.env) // ["SW1_PW"]
 */
export function missingSecrets(
  plan: MonitorPlan,
  env: Readonly<Record<string, string | undefined>>,
): string[] {
  const names = [
    ...(plan.tokenEnv !== undefined ? [plan.tokenEnv] : []),
    ...plan.targets.flatMap((t) => (t.passwordEnv !== undefined ? [t.passwordEnv] : [])),
  ];
  return [...new Set(names)].filter((n) => !env[n]);
}

/** One `--target` spec as a plan target, or the problem with it. */
function flagTarget(spec: string, i: number, d: TargetDefaults): PlanTarget | ConfigProblem {
  try {
    const { host, port } = parseTarget(spec);
    return { name: hostPort(host, port), host, port, ...d, tags: [] };
  } catch (e) {
    if (!isTeldocError(e)) throw e;
    return { where: `--target ${spec}`, path: `targets[${i}]`, message: e.message };
  }
}

/** What is wrong with the settings every `--target` shares. */
function flagDefaultsProblems(d: TargetDefaults): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const flag = (name: string, message: string) =>
    problems.push({ where: `--${name}`, path: `defaults.${name}`, message });
  if (!Number.isInteger(d.connects) || d.connects < 0 || d.connects > MAX_CONNECTS)
    flag("connects", `must be a whole number 0-${MAX_CONNECTS} (got ${d.connects})`);
  if (d.intervalMs < MIN_INTERVAL_MS) flag("interval", "must be 1s or more");
  const probe: PlanTarget = { name: "", host: "", port: DEFAULT_PORT, ...d, tags: [] };
  for (const b of targetRules(probe, { interval: true, timeout: true, level: true }))
    flag(b.key === "timeout" || b.key === "interval" ? b.key : "level", b.message);
  return problems;
}

/**
 * The plan for the monitor's quick start, `--target HOST[:PORT]...` with no config: each spec a target named
 * `host:port`, with `defaults` over the built-in ones; level login is refused (it needs a user
 * and a password variable: write a config). Throws ConfigError with every problem.
 * @example planFromTargets(["192.0.2.10", "[::1]:2323"]).targets.map((t) => t.name) // ["192.0.2.10:23", "[::1]:2323"]
 */
export function planFromTargets(
  specs: readonly string[],
  defaults: Partial<TargetDefaults> = {},
): MonitorPlan {
  const d: TargetDefaults = { ...BUILT_IN_DEFAULTS, ...defaults };
  const problems = flagDefaultsProblems(d);
  if (specs.length === 0)
    problems.push({
      where: "--target",
      path: "targets",
      message: "give at least one --target HOST[:PORT]",
    });
  const targets: PlanTarget[] = [];
  const seen = new Set<string>();
  specs.forEach((spec, i) => {
    const t = flagTarget(spec, i, d);
    if (!("name" in t)) problems.push(t);
    else if (seen.has(t.name))
      problems.push({
        where: `--target ${spec}`,
        path: `targets[${i}]`,
        message: `${t.name} is given twice`,
      });
    else {
      seen.add(t.name);
      targets.push(t);
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return { vantage: undefined, storage: undefined, listen: DEFAULT_LISTEN, targets, alerts: [] };
}
