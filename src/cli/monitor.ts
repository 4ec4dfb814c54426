/**
 * @module `teldoc monitor [CONFIG]` and `--target HOST[:PORT]...`: the engine in the
 * foreground. One line per state change (not per probe), a live summary on a TTY, SIGHUP
 * reloads the config (a bad one keeps the old running, and says why), SIGINT/SIGTERM stop with
 * every sample written. `--once`: one round of every target, printed, for cron and scripts.
 */
import { hostname } from "node:os";
import { TeldocError } from "../errors.js";
import { AlertSender } from "../monitor/alert-queue.js";
import type { DeliveryResult } from "../monitor/alert-send.js";
import { AlertTracker } from "../monitor/alerts.js";
import {
  describePlan,
  loadConfig,
  type MonitorPlan,
  missingSecrets,
  planFromTargets,
} from "../monitor/config.js";
import { Monitor, type MonitorEvent, type MonitorTarget } from "../monitor/monitor.js";
import type { ProbeOutcome } from "../monitor/probe.js";
import { LEVELS, type Level, type Sample } from "../monitor/sample.js";
import { openStore } from "../monitor/store/open.js";
import type { Store } from "../monitor/store/types.js";
import { dashboardRoutes } from "../monitor/web/dashboard.js";
import { MonitorMetrics } from "../monitor/web/metrics.js";
import { startWeb, type WebServer } from "../monitor/web/server.js";
import { systemClock } from "../session/clock.js";
import { formatMs, formatRtt, formatUtc, parseDuration } from "../util/duration.js";
import { toJson } from "../util/json.js";
import { parseCount } from "./args.js";
import { DEFAULT_DB, type MonitorFlags } from "./options/monitor.js";
import { colorFor, makeStyle, type Style } from "./style.js";

const EXIT_OK = 0;
const EXIT_FAILED = 1;
const EXIT_USAGE = 2;

/** The plan from a config file or from --target. */
async function planOf(config: string | undefined, flags: MonitorFlags): Promise<MonitorPlan> {
  if (config !== undefined && flags.target?.length)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "give a config file or --target, not both (put the targets in the config)",
    );
  if (config !== undefined) return loadConfig(config);
  if (!flags.target?.length)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "give a config file (teldoc monitor monitor.yaml) or the hosts to probe (teldoc monitor --target HOST[:PORT]...)",
    );
  const intervalMs =
    flags.interval !== undefined ? parseDuration(flags.interval, "--interval") : undefined;
  const timeoutMs =
    flags.timeout !== undefined
      ? parseDuration(flags.timeout, "--timeout")
      : intervalMs !== undefined && intervalMs <= 10_000
        ? Math.floor(intervalMs * 0.9)
        : undefined;
  return planFromTargets(flags.target, {
    ...(intervalMs !== undefined ? { intervalMs } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(flags.level !== undefined ? { level: levelOf(flags.level) } : {}),
  });
}

function levelOf(text: string): Level {
  const level = LEVELS.find((l) => l === text);
  if (!level)
    throw new TeldocError("TELDOC_ERR_USAGE", `--level ${text}: write one of ${LEVELS.join(", ")}`);
  return level;
}

/** The engine's targets, with each password looked up in the environment. */
function targetsOf(plan: MonitorPlan, env: NodeJS.ProcessEnv): MonitorTarget[] {
  return plan.targets.map((t) => ({
    name: t.name,
    host: t.host,
    port: t.port,
    level: t.level,
    ...(t.user !== undefined ? { user: t.user } : {}),
    ...(t.passwordEnv !== undefined ? { password: env[t.passwordEnv] ?? "" } : {}),
    timeoutMs: t.timeoutMs,
    connects: t.connects,
    intervalMs: t.intervalMs,
    tags: t.tags,
    ...(t.holdMs !== undefined ? { holdMs: t.holdMs } : {}),
  }));
}

/** Refuse to start with a password or token variable unset (say which). */
function checkSecrets(plan: MonitorPlan, env: NodeJS.ProcessEnv): void {
  const missing = missingSecrets(plan, env);
  if (missing.length > 0)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `set ${missing.join(", ")} in the environment: the config reads ${missing.length === 1 ? "a secret" : "secrets"} from ${missing.length === 1 ? "it" : "them"}`,
    );
}

const stamp = (iso: string) => formatUtc(iso).replace(" UTC", "");

/** One line for a state change. */
export function stateLine(e: Extract<MonitorEvent, { kind: "state" }>, style: Style): string {
  const s = e.sample;
  const name = style.bold(who(s));
  if (s.ok) {
    const rtt =
      s.connects.rttMs.length > 0 ? `, connect ${formatRtt(Math.min(...s.connects.rttMs))}` : "";
    const was = e.previous ? ` again (was ${e.previous.cause})` : "";
    return `${stamp(s.t)}  ${name}  ${style.green("healthy")}${was}${rtt}`;
  }
  const where = s.stage ? ` at ${s.stage}` : "";
  const why = e.diagnosis.summary || s.evidence[0] || "";
  return `${stamp(s.t)}  ${name}  ${style.red(`FAILING ${s.cause}`)}${where}: ${why}`;
}

/** A target as people know it: its name, and where it is when the name does not say. */
function who(s: { target: string; host: string; port: number }): string {
  const where = `${s.host}:${s.port}`;
  return s.target === where || s.target === `[${s.host}]:${s.port}`
    ? s.target
    : `${s.target} (${where})`;
}

/** A round of --once, for people. */
function onceLine(o: ProbeOutcome, style: Style): string {
  const s = o.sample;
  const name = who(s).padEnd(30);
  const c = s.connects;
  const rtt = c.rttMs.length > 0 ? `, connect ${formatRtt(Math.min(...c.rttMs))}` : "";
  const loss = c.sent > 0 ? ` (${c.answered}/${c.sent} connects answered${rtt})` : "";
  if (s.ok) {
    const prompt =
      s.timings.promptMs !== null ? `, prompt after ${formatMs(s.timings.promptMs)}` : "";
    const login =
      s.timings.loginMs !== null ? `, logged in after ${formatMs(s.timings.loginMs)}` : "";
    return `  ${style.green("✔")} ${name} healthy${loss}${prompt}${login}`;
  }
  const lines = [
    `  ${style.red("✖")} ${name} ${style.red(s.cause)} at ${s.stage ?? "-"}${loss}: ${o.diagnosis.summary}`,
  ];
  if (o.diagnosis.advice[0]) lines.push(`      ${style.dim(`→ ${o.diagnosis.advice[0]}`)}`);
  return lines.join("\n");
}

/** A held session that died (with -v: one line each). */
function heldLine(s: Sample, style: Style): string {
  return `${stamp(s.t)}  ${style.bold(who(s))}  held session ${style.yellow(s.cause)} after ${formatMs(s.durationMs)} idle: ${s.evidence[0] ?? ""}`;
}

/** Say a store problem the way a person can act on it. */
function storeLine(e: MonitorEvent, style: Style): string | undefined {
  const now = stamp(new Date().toISOString());
  if (e.kind === "store-error")
    return `${now}  ${style.red("store failing")}: ${e.message} — ${e.pending} sample(s) kept in memory, retrying`;
  if (e.kind === "store-recovered")
    return `${now}  ${style.green("store working again")}: every kept sample written`;
  return undefined;
}

/** The live summary for a TTY: one line, redrawn. */
function summaryLine(m: Monitor, started: number): string {
  const states = m.stateOf();
  const failing = states.filter((s) => !s.ok).length;
  const { scheduler: sch, writer: w } = m.stats;
  const up = formatMs(Date.now() - started);
  return `${sch.targets} targets: ${states.length - failing} healthy, ${failing} failing · ${sch.started} rounds, ${sch.skipped} skipped, ${sch.running} running · ${w.written} stored${w.pending > 0 ? `, ${w.pending} waiting` : ""} · up ${up}`;
}

interface Running {
  readonly store: Store;
  readonly monitor: Monitor;
}

function vantageOf(plan: MonitorPlan, flags: MonitorFlags): string {
  return flags.vantage ?? plan.vantage ?? hostname();
}

/**
 * Where the HTTP listener goes: --listen, else the config's listen; `off`: none. Port 0 asks
 * the system for a free port (the start line says which).
 */
function listenAddress(
  plan: MonitorPlan,
  flags: MonitorFlags,
): { host: string; port: number } | undefined {
  const text = flags.listen?.trim();
  if (text === undefined) return plan.listen;
  if (text.toLowerCase() === "off") return undefined;
  const m = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text) ?? /^()()(\d+)$/.exec(text);
  const port = m ? Number(m[3]) : Number.NaN;
  if (!m || !(port >= 0 && port <= 65535))
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `--listen ${text}: write HOST:PORT, [IPV6]:PORT, PORT (on 127.0.0.1) or off`,
    );
  return { host: m[1] || m[2] || "127.0.0.1", port };
}

/** Start the HTTP listener (the dashboard, /metrics, /probe). */
async function listen(
  plan: MonitorPlan,
  flags: MonitorFlags,
  { monitor, store }: Running,
  metrics: MonitorMetrics,
  targets: () => readonly MonitorTarget[],
): Promise<WebServer | undefined> {
  const at = listenAddress(plan, flags);
  if (!at) return undefined;
  const token = plan.tokenEnv !== undefined ? process.env[plan.tokenEnv] : undefined;
  return startWeb({
    ...at,
    ...(token ? { token } : {}),
    metrics,
    targets,
    probe: (spec) => monitor.probeNow(spec),
    routes: dashboardRoutes({
      store,
      vantage: vantageOf(plan, flags),
      live: () => monitor.stateOf(),
    }),
  });
}

async function start(
  plan: MonitorPlan,
  flags: MonitorFlags,
  onEvent: (e: MonitorEvent) => void,
): Promise<Running> {
  const url = flags.db ?? plan.storage ?? DEFAULT_DB;
  const store = await openStore(url);
  const monitor = new Monitor({
    vantage: vantageOf(plan, flags),
    store,
    clock: systemClock,
    wallNow: Date.now,
    concurrency:
      flags.concurrency !== undefined ? parseCount(flags.concurrency, "--concurrency") : 256,
    onEvent,
  });
  return { store, monitor };
}

async function runOnce(plan: MonitorPlan, flags: MonitorFlags, style: Style): Promise<number> {
  const { store, monitor } = await start(plan, flags, () => {});
  try {
    const outcomes = await monitor.once(targetsOf(plan, process.env));
    for (const o of outcomes)
      process.stdout.write(`${flags.json ? toJson(o.sample) : onceLine(o, style)}\n`);
    const r = await monitor.stop();
    if (r.unwritten > 0)
      process.stderr.write(
        `teldoc: ${r.unwritten} sample(s) could not be stored in ${store.url}\n`,
      );
    return outcomes.every((o) => o.sample.ok) ? EXIT_OK : EXIT_FAILED;
  } finally {
    await store.close();
  }
}

/** Lines for people on stdout, under a live summary line on a TTY (stderr). */
class Screen {
  private status = "";

  constructor(readonly tty: boolean) {}

  say(line: string): void {
    if (this.status) process.stderr.write("\r\x1b[K");
    process.stdout.write(`${line}\n`);
    if (this.status) process.stderr.write(this.status);
  }

  show(status: string): void {
    this.status = status;
    process.stderr.write(`\r\x1b[K${status}`);
  }

  clear(): void {
    if (this.status) process.stderr.write("\r\x1b[K");
    this.status = "";
  }
}

const now = () => stamp(new Date().toISOString());

/** The passwords a plan reads (alerts mask them, should a server ever echo one). */
function secretsOf(p: MonitorPlan): string[] {
  return p.targets.flatMap((t) =>
    t.passwordEnv && process.env[t.passwordEnv] ? [process.env[t.passwordEnv]!] : [],
  );
}

/** The monitor in the foreground: its store, engine, alerts, metrics and listener. */
class Foreground {
  private alerts: AlertTracker;
  private readonly sender: AlertSender;
  private readonly metrics: MonitorMetrics;
  private targets: MonitorTarget[];
  private running?: Running;
  private web: WebServer | undefined;
  private ticker: NodeJS.Timeout | undefined;

  constructor(
    private plan: MonitorPlan,
    private readonly config: string | undefined,
    private readonly flags: MonitorFlags,
    private readonly style: Style,
    private readonly screen: Screen,
  ) {
    this.alerts = new AlertTracker(plan.alerts, { secrets: secretsOf(plan) });
    this.sender = new AlertSender({ env: process.env, onResult: (r) => this.delivered(r) });
    this.targets = targetsOf(plan, process.env);
    this.metrics = new MonitorMetrics(vantageOf(plan, flags), { health: () => this.health() });
  }

  private delivered(r: DeliveryResult): void {
    this.screen.say(
      r.ok
        ? `${now()}  alert sent: ${r.notice} ${r.target} to ${r.to}`
        : `${now()}  alert NOT delivered: ${r.notice} ${r.target} to ${r.to}: ${r.error ?? r.failure}`,
    );
  }

  private health() {
    const { scheduler, writer } = this.running!.monitor.stats;
    return {
      skipped: scheduler.skipped,
      targets: scheduler.targets,
      running: scheduler.running,
      pending: writer.pending,
    };
  }

  private onEvent(e: MonitorEvent): void {
    this.metrics.observe(e);
    const { style, screen } = this;
    if (e.kind === "state" && (!e.sample.ok || e.previous)) screen.say(stateLine(e, style));
    else if (e.kind === "held" && !e.sample.ok && this.flags.verbose)
      screen.say(heldLine(e.sample, style));
    else if (e.kind === "round")
      for (const n of this.alerts.feed({ ...e.outcome.sample, advice: e.outcome.diagnosis.advice }))
        this.sender.enqueue(n.rule, n.message);
    else {
      const line = storeLine(e, style);
      if (line) screen.say(line);
    }
  }

  async start(): Promise<void> {
    const running = await start(this.plan, this.flags, (e) => this.onEvent(e));
    this.running = running;
    const { store, monitor } = running;
    this.web = await listen(this.plan, this.flags, running, this.metrics, () => this.targets);
    await monitor.start(this.targets);
    const where = this.web ? `; dashboard, /metrics and /probe on ${this.web.url}` : "";
    this.screen.say(
      `teldoc monitor: ${this.targets.length} target(s) from vantage ${vantageOf(this.plan, this.flags)}, storing in ${store.url}${where}${this.screen.tty ? "" : " (one line per state change)"}`,
    );
    const started = Date.now();
    if (this.screen.tty)
      this.ticker = setInterval(() => this.screen.show(summaryLine(monitor, started)), 1000);
  }

  /** SIGHUP: the new config, or the old one kept with the reason. */
  async reload(): Promise<void> {
    const config = this.config;
    if (config === undefined)
      return this.screen.say("SIGHUP: no config file to reload (started with --target)");
    try {
      const next = await loadConfig(config);
      checkSecrets(next, process.env);
      const targets = targetsOf(next, process.env);
      await this.running!.monitor.reload(targets);
      this.targets = targets;
      this.metrics.retain(new Set(targets.map((t) => t.name)));
      this.alerts = new AlertTracker(next.alerts, { secrets: secretsOf(next) });
      this.plan = next;
      this.screen.say(`${now()}  reloaded ${config}: ${next.targets.length} target(s)`);
    } catch (err) {
      this.screen.say(
        `${now()}  reload failed, still running the previous config: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  /** Stop with every sample written; the exit code. */
  async stop(): Promise<number> {
    if (this.ticker) clearInterval(this.ticker);
    this.screen.clear();
    this.screen.say("stopping: finishing the running rounds and writing every sample...");
    const { store, monitor } = this.running!;
    const r = await monitor.stop();
    await this.sender.close();
    await this.web?.close();
    this.metrics.close();
    await store.close();
    if (r.unwritten > 0) {
      process.stderr.write(
        `teldoc: ${r.unwritten} sample(s) could not be stored in ${store.url}\n`,
      );
      return EXIT_FAILED;
    }
    this.screen.say(`stopped: ${monitor.stats.writer.written} sample(s) stored in ${store.url}`);
    return EXIT_OK;
  }
}

/**
 * `teldoc monitor [CONFIG]`.
 * @example await runMonitor("monitor.yaml", {}) // runs until SIGINT/SIGTERM
 */
export async function runMonitor(config: string | undefined, flags: MonitorFlags): Promise<number> {
  const style = makeStyle(colorFor(process.stdout, flags.color));
  const plan = await planOf(config, flags);
  checkSecrets(plan, process.env);
  if (flags.once) return runOnce(plan, flags, style);
  const screen = new Screen(process.stderr.isTTY === true && !flags.quiet);
  const fg = new Foreground(plan, config, flags, style, screen);
  await fg.start();
  process.on("SIGHUP", () => void fg.reload());
  await new Promise<void>((resolve) => {
    process.once("SIGINT", resolve);
    process.once("SIGTERM", resolve);
  });
  return fg.stop();
}

/** `teldoc monitor check CONFIG`. */
export async function runMonitorCheck(config: string): Promise<number> {
  const plan = await loadConfig(config);
  process.stdout.write(`${describePlan(plan)}\n`);
  const missing = missingSecrets(plan, process.env);
  if (missing.length > 0)
    process.stdout.write(
      `\nnote: ${missing.join(", ")} not set here: set ${missing.length === 1 ? "it" : "them"} where the monitor runs\n`,
    );
  return EXIT_OK;
}

export { EXIT_USAGE };
