/**
 * @module The monitor config's rules across settings, after each section has been read:
 * defaults merged into targets, a timeout shorter than its interval, login with its user and
 * password variable, unique target names, alerts with one destination, a dashboard off
 * loopback only with a token. Every problem is collected; the plan exists only when none is.
 */

import { hostPort } from "../diagnosis/format.js";
import { formatDurationFlag } from "../util/duration.js";
import type { AlertRule } from "./alerts.js";
import { type ConfigProblem, formatPath } from "./config-error.js";
import {
  alertSchema,
  defaultsSchema,
  parseSection,
  targetSchema,
  topSchema,
} from "./config-schema.js";
import { show } from "./config-values.js";
import type { YamlSource } from "./config-yaml.js";
import {
  BUILT_IN_DEFAULTS,
  DEFAULT_ALERT_AFTER,
  DEFAULT_LISTEN,
  DEFAULT_PORT,
  isLoopback,
  type MonitorPlan,
  type PlanTarget,
  type TargetDefaults,
} from "./plan.js";

type Path = readonly PropertyKey[];

/** Problems found by the rules, each at a path of the file. */
class Collector {
  readonly problems: ConfigProblem[] = [];
  constructor(readonly src: YamlSource) {}
  add(path: Path, message: string, side: "key" | "value" = "value"): void {
    this.problems.push({ where: this.src.where(path, side), path: formatPath(path), message });
  }
}

/**
 * The rules one target breaks, whatever it came from (a config, flags): each names the key to
 * blame. `own` says which of interval, timeout and level the target set itself: a timeout
 * inherited whole from defaults is the defaults' problem.
 */
export function targetRules(
  t: PlanTarget,
  own: { interval?: boolean; timeout?: boolean; level?: boolean },
): { key: string; message: string }[] {
  const out: { key: string; message: string }[] = [];
  if ((own.interval || own.timeout) && t.timeoutMs >= t.intervalMs)
    out.push({
      key: own.timeout ? "timeout" : "interval",
      message: `the timeout (${formatDurationFlag(t.timeoutMs)}) must be less than the interval (${formatDurationFlag(t.intervalMs)}), or rounds would pile up`,
    });
  const lacks = [
    t.user === undefined ? "user" : "",
    t.passwordEnv === undefined ? "password_env" : "",
  ];
  const lacking = lacks.filter((x) => x !== "");
  if (t.level === "login" && lacking.length > 0)
    out.push({
      key: own.level ? "level" : "",
      message: `${own.level ? "" : "level "}login needs user: NAME and password_env: VAR (no ${lacking.join(" and no ")})`,
    });
  if (t.level !== "login")
    for (const [key, v] of [
      ["user", t.user],
      ["password_env", t.passwordEnv],
    ] as const)
      if (v !== undefined)
        out.push({
          key,
          message: `is only used at level login (this target's level is ${t.level}): remove it or set level: login`,
        });
  return out;
}

/** The defaults section merged over the built-in ones (the built-in ones when it is broken). */
function readDefaults(raw: unknown, c: Collector): TargetDefaults {
  if (raw === undefined) return BUILT_IN_DEFAULTS;
  const { data, problems } = parseSection(defaultsSchema, raw, ["defaults"], c.src);
  c.problems.push(...problems);
  if (!data) return BUILT_IN_DEFAULTS;
  const d: TargetDefaults = {
    intervalMs: data.interval ?? BUILT_IN_DEFAULTS.intervalMs,
    timeoutMs: data.timeout ?? BUILT_IN_DEFAULTS.timeoutMs,
    level: data.level ?? BUILT_IN_DEFAULTS.level,
    connects: data.connects ?? BUILT_IN_DEFAULTS.connects,
  };
  if (d.timeoutMs >= d.intervalMs)
    c.add(
      ["defaults", data.timeout !== undefined ? "timeout" : "interval"],
      `the timeout (${formatDurationFlag(d.timeoutMs)}) must be less than the interval (${formatDurationFlag(d.intervalMs)}), or rounds would pile up`,
    );
  return d;
}

/** One target of the config, or undefined when it has a problem. */
function readTarget(
  raw: unknown,
  i: number,
  d: TargetDefaults,
  c: Collector,
): PlanTarget | undefined {
  const at: Path = ["targets", i];
  if (typeof raw === "string" || typeof raw === "number") {
    c.add(at, `must be a mapping, like {name: sw1, host: ${show(raw)}} (got ${show(raw)})`);
    return undefined;
  }
  const { data, problems } = parseSection(targetSchema, raw, at, c.src);
  c.problems.push(...problems);
  if (!data) return undefined;
  if (data.host.port !== 0 && data.port !== undefined) {
    c.add(
      [...at, "port"],
      `is given twice: in host (${data.host.port}) and in port (${data.port}); keep one`,
    );
    return undefined;
  }
  const port = data.port ?? (data.host.port || DEFAULT_PORT);
  const t: PlanTarget = {
    name: data.name ?? hostPort(data.host.host, port),
    host: data.host.host,
    port,
    level: data.level ?? d.level,
    ...(data.user !== undefined ? { user: data.user } : {}),
    ...(data.password_env !== undefined ? { passwordEnv: data.password_env } : {}),
    intervalMs: data.interval ?? d.intervalMs,
    timeoutMs: data.timeout ?? d.timeoutMs,
    connects: data.connects ?? d.connects,
    tags: data.tags ?? [],
    ...(data.hold !== undefined ? { holdMs: data.hold } : {}),
  };
  const broken = targetRules(t, {
    interval: data.interval !== undefined,
    timeout: data.timeout !== undefined,
    level: data.level !== undefined,
  });
  for (const b of broken)
    c.add(b.key ? [...at, b.key] : at, b.message, b.key === "" ? "value" : "key");
  return broken.length === 0 ? t : undefined;
}

/** The targets list; names must be unique (the problem names both places). */
function readTargets(raw: unknown, d: TargetDefaults, c: Collector): PlanTarget[] {
  if (raw === undefined || raw === null) {
    const what = raw === null ? "is empty" : "is missing";
    c.add(["targets"], `${what}: list what to probe, like targets: [{host: 192.0.2.10}]`);
    return [];
  }
  if (!Array.isArray(raw)) {
    c.add(
      ["targets"],
      `must be a list of targets, each like {name: sw1, host: 192.0.2.10} (got ${show(raw)})`,
    );
    return [];
  }
  if (raw.length === 0)
    c.add(["targets"], "lists no target: add at least one, like - {host: 192.0.2.10}");
  const seen = new Map<string, number>();
  const out: PlanTarget[] = [];
  raw.forEach((item, i) => {
    const t = readTarget(item, i, d, c);
    if (!t) return;
    const first = seen.get(t.name);
    if (first !== undefined) {
      const path = named(item) ? ["targets", i, "name"] : ["targets", i];
      c.add(
        path,
        `the name "${t.name}" is also the name of targets[${first}] (${c.src.where(["targets", first])}): give each target its own name`,
      );
      return;
    }
    seen.set(t.name, i);
    out.push(t);
  });
  return out;
}

const named = (item: unknown) => typeof item === "object" && item !== null && "name" in item;

/** One alert: one destination, `within` at least `after`. */
function readAlert(raw: unknown, j: number, c: Collector): AlertRule | undefined {
  const at: Path = ["alerts", j];
  const { data, problems } = parseSection(alertSchema, raw, at, c.src);
  c.problems.push(...problems);
  if (!data) return undefined;
  const after = data.after ?? DEFAULT_ALERT_AFTER;
  const within = data.within ?? after;
  let ok = true;
  if ((data.webhook === undefined) === (data.command === undefined)) {
    c.add(
      at,
      `needs exactly one of webhook: URL or command: [PROGRAM, ARG...] (${data.webhook ? "both are" : "neither is"} given)`,
    );
    ok = false;
  }
  if (within < after) {
    c.add(
      [...at, data.within !== undefined ? "within" : "after"],
      `within (${within}) must be at least after (${after}): "after failures within rounds"`,
    );
    ok = false;
  }
  if (!ok) return undefined;
  if (data.webhook !== undefined) return { kind: "webhook", url: data.webhook, after, within };
  return { kind: "command", argv: data.command ?? [], after, within };
}

function readAlerts(raw: unknown, c: Collector): AlertRule[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) {
    c.add(
      ["alerts"],
      `must be a list of alerts, each like {webhook: "https://...", after: 3, within: 5} (got ${show(raw)})`,
    );
    return [];
  }
  return raw.flatMap((item, j) => readAlert(item, j, c) ?? []);
}

/**
 * The plan from a parsed config file, or every problem in it.
 * @example resolvePlan(readYaml(text, "m.yaml")).plan?.targets[0].intervalMs // 60000
 */
export function resolvePlan(src: YamlSource): {
  plan?: MonitorPlan;
  problems: readonly ConfigProblem[];
} {
  if (src.syntax.length > 0) return { problems: src.syntax };
  const c = new Collector(src);
  const v = src.value;
  if (v === undefined || v === null) {
    c.add(
      [],
      "the file is empty: a monitor config needs at least targets:, like targets: [{host: 192.0.2.10}]",
    );
    return { problems: c.problems };
  }
  if (typeof v !== "object" || Array.isArray(v)) {
    c.add(
      [],
      `must be a mapping of settings (vantage, storage, listen, token_env, defaults, targets, alerts), got ${show(v)}`,
    );
    return { problems: c.problems };
  }
  const top = parseSection(topSchema, v, [], src);
  c.problems.push(...top.problems);
  const raw = v as Record<string, unknown>;
  const defaults = readDefaults(raw.defaults, c);
  const targets = readTargets(raw.targets, defaults, c);
  const alerts = readAlerts(raw.alerts, c);
  const listen = top.data?.listen ?? DEFAULT_LISTEN;
  const tokenEnv = top.data?.token_env;
  if (top.data && !isLoopback(listen.host) && tokenEnv === undefined)
    c.add(
      ["listen"],
      `${hostPort(listen.host, listen.port)} needs token_env: the dashboard is readable by anyone who reaches it`,
    );
  if (c.problems.length > 0 || !top.data) return { problems: sortProblems(c.problems) };
  return {
    problems: [],
    plan: {
      vantage: top.data.vantage,
      storage: top.data.storage,
      listen,
      ...(tokenEnv !== undefined ? { tokenEnv } : {}),
      targets,
      alerts,
    },
  };
}

/** In the file's order: line, then column. */
function sortProblems(ps: readonly ConfigProblem[]): ConfigProblem[] {
  const key = (p: ConfigProblem) => (/:(\d+):(\d+)$/.exec(p.where) ?? []).slice(1).map(Number);
  return [...ps].sort((a, b) => {
    const [al = 0, ac = 0] = key(a);
    const [bl = 0, bc = 0] = key(b);
    return al - bl || ac - bc;
  });
}
