/**
 * @module The plan in words, for the monitor's `check CONFIG` command: targets grouped by interval and
 * level, the load they make, the alerts, storage and the dashboard's address. It prints the
 * names of the variables that hold secrets, never a secret: a password in a storage URL is
 * masked, and a webhook URL (which often carries a token) shows only its origin.
 */
import { hostPort } from "../diagnosis/format.js";
import { formatDurationFlag, formatMs } from "../util/duration.js";
import type { AlertRule } from "./alerts.js";
import { isLoopback, type MonitorPlan, type PlanTarget } from "./plan.js";
import { LEVELS } from "./sample.js";

/** A storage URL without its password. */
export function maskStorage(url: string): string {
  if (!/^postgres(ql)?:\/\//.test(url) || !URL.canParse(url)) return url;
  const u = new URL(url);
  if (u.password !== "") u.password = "****";
  for (const key of [...u.searchParams.keys()])
    if (/pass/i.test(key)) u.searchParams.set(key, "****");
  return u.toString();
}

/** A webhook as it may be shown: its origin only. */
export function maskWebhook(url: string): string {
  const u = new URL(url);
  return u.pathname === "/" && u.search === "" ? u.origin : `${u.origin}/…`;
}

const perMinute = (n: number) => (Math.round(n * 10) / 10).toString();

function targetLine(t: PlanTarget, width: number): string {
  const login = t.level === "login" ? `  user ${t.user}, password from $${t.passwordEnv}` : "";
  const tags = t.tags.length > 0 ? `  [${t.tags.join(" ")}]` : "";
  const hold =
    t.holdMs !== undefined
      ? `  + one session held idle up to ${formatMs(t.holdMs)}${t.level === "login" ? "" : " (at the login prompt: that measures the login timeout)"}`
      : "";
  return `    ${t.name.padEnd(width)}  ${hostPort(t.host, t.port)}${login}${tags}${hold}`;
}

function targetGroups(targets: readonly PlanTarget[]): string[] {
  const groups = new Map<string, PlanTarget[]>();
  const sorted = [...targets].sort(
    (a, b) => a.intervalMs - b.intervalMs || LEVELS.indexOf(a.level) - LEVELS.indexOf(b.level),
  );
  for (const t of sorted) {
    const key = `every ${formatDurationFlag(t.intervalMs)}, level ${t.level}`;
    groups.set(key, [...(groups.get(key) ?? []), t]);
  }
  const width = Math.min(30, Math.max(...targets.map((t) => t.name.length)));
  return [...groups].flatMap(([key, ts]) => [
    `  ${key}: ${ts.length} target${ts.length === 1 ? "" : "s"}${settings(ts)}`,
    ...ts.map((t) => targetLine(t, width)),
  ]);
}

/** The timeout and connects of a group, when its targets share them. */
function settings(ts: readonly PlanTarget[]): string {
  const timeouts = new Set(ts.map((t) => t.timeoutMs));
  const connects = new Set(ts.map((t) => t.connects));
  const parts = [
    timeouts.size === 1 ? `timeout ${formatDurationFlag(ts[0].timeoutMs)}` : "timeouts vary",
    connects.size === 1 ? `${ts[0].connects} TCP connects a round` : "connects vary",
  ];
  return ` (${parts.join(", ")})`;
}

function alertLine(a: AlertRule): string {
  const to = a.kind === "webhook" ? `webhook ${maskWebhook(a.url)}` : `command ${a.argv.join(" ")}`;
  return `  ${to}: when ${a.after} of the last ${a.within} rounds of a target fail; again when it has ${a.after} healthy round${a.after === 1 ? "" : "s"} in a row`;
}

/**
 * The plan for people.
 * @example describePlan(plan) // "vantage  office-lan\nstorage  sqlite:teldoc-monitor.db\n..."
 */
export function describePlan(plan: MonitorPlan): string {
  const rounds = plan.targets.reduce((n, t) => n + 60_000 / t.intervalMs, 0);
  const connects = plan.targets.reduce((n, t) => n + (t.connects * 60_000) / t.intervalMs, 0);
  const where = hostPort(plan.listen.host, plan.listen.port);
  const access = isLoopback(plan.listen.host) ? " (this machine only)" : "";
  const token = plan.tokenEnv ? `, token from $${plan.tokenEnv}` : "";
  return [
    `vantage  ${plan.vantage ?? "(this host's name)"}`,
    `storage  ${plan.storage ? maskStorage(plan.storage) : "(the default: sqlite:teldoc-monitor.db)"}`,
    `listen   ${where}${access}${token}`,
    `targets  ${plan.targets.length}: ${perMinute(rounds)} probe rounds a minute, ${perMinute(connects)} TCP connects a minute`,
    ...targetGroups(plan.targets),
    plan.alerts.length === 0 ? "alerts   none" : `alerts   ${plan.alerts.length}`,
    ...plan.alerts.map(alertLine),
  ].join("\n");
}
