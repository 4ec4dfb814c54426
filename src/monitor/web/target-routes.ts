/**
 * @module The routes about one target: its page, the vantage comparison, its kept traces (as a
 * page and as the JSON Lines file `teldoc trace show` reads) and the chart's data.
 */
import type { Context, Hono } from "hono";
import type { TargetState } from "../monitor.js";
import type { Rollup, TargetInfo } from "../store/types.js";
import type { DashboardContext } from "./dashboard.js";
import { compareHtml } from "./pages/compare.js";
import { errorPage } from "./pages/layout.js";
import { targetHtml } from "./pages/target.js";
import { traceHtml } from "./pages/trace.js";
import { parse, parseSinceParam, targetParams } from "./params.js";
import { badRequest, sendHtml } from "./respond.js";
import { chartSeries } from "./series.js";
import {
  keptTraces,
  type Period,
  periodOf,
  recentFailures,
  targetReport,
  targetRollups,
} from "./target-data.js";

const DEFAULT_SINCE = "7d";

/** The target as configured, from each vantage (the overview's snapshot, else the store). */
async function infosOf(d: DashboardContext, name: string): Promise<TargetInfo[]> {
  const snap = d.index.peek();
  if (snap)
    return snap.rows
      .filter((r) => r.name === name && r.port !== null && r.level !== null)
      .map((r) => ({
        name,
        vantage: r.vantage,
        host: r.host,
        port: r.port!,
        level: r.level!,
        tags: r.tags,
      }));
  return (await d.store.targets()).filter((t) => t.name === name);
}

interface Loaded {
  readonly name: string;
  readonly sinceText: string;
  readonly period: Period;
  readonly byVantage: Map<string, Rollup[]>;
  readonly infos: TargetInfo[];
  readonly vantages: string[];
  readonly vantage: string | undefined;
}

/** Parse and read what every page of a target needs; a Response when it cannot. */
async function load(c: Context, d: DashboardContext, api: boolean): Promise<Loaded | Response> {
  const p = parse(targetParams, c.req.query());
  if (!p.ok) return badRequest(c, p.message, api);
  const name = c.req.param("name")!;
  const sinceText = c.req.query("since") ?? DEFAULT_SINCE;
  const period = periodOf(d.now(), p.value.since ?? parseSinceParam(DEFAULT_SINCE));
  // The chart's data needs one vantage's rollups; the pages compare them all.
  const only = api ? p.value.vantage : undefined;
  const byVantage = await targetRollups(d.store, name, period, only);
  const infos = await infosOf(d, name);
  const live = d.vantage !== undefined && d.live().some((s) => s.target === name);
  const vantages = [
    ...new Set([
      ...byVantage.keys(),
      ...infos.map((i) => i.vantage),
      ...(live ? [d.vantage!] : []),
    ]),
  ].sort();
  const wanted = p.value.vantage;
  if (vantages.length === 0 || (wanted !== undefined && !vantages.includes(wanted))) {
    const message = `no target named ${JSON.stringify(name)}${wanted !== undefined ? ` from vantage ${JSON.stringify(wanted)}` : ""} in the store`;
    return api
      ? c.json({ error: message }, 404)
      : sendHtml(c, errorPage("Not found", message), 404);
  }
  const vantage =
    wanted ?? (d.vantage !== undefined && vantages.includes(d.vantage) ? d.vantage : vantages[0]);
  return { name, sinceText, period, byVantage, infos, vantages, vantage };
}

/** Where a target is, from its live round (before the store has its configuration). */
function liveInfo(s: TargetState | undefined): TargetInfo | undefined {
  if (!s) return undefined;
  const { host, port, level, vantage } = s.last;
  return { name: s.target, vantage, host, port, level, tags: [] };
}

async function targetPage(c: Context, d: DashboardContext): Promise<Response> {
  const l = await load(c, d, false);
  if (l instanceof Response) return l;
  const vantage = l.vantage!;
  const [failures, traces] = await Promise.all([
    recentFailures(d.store, l.name, vantage, l.period),
    keptTraces(d.store, l.name, vantage),
  ]);
  const live = vantage === d.vantage ? d.live().find((s) => s.target === l.name) : undefined;
  const body = targetHtml({
    ...l,
    vantage,
    info: l.infos.find((i) => i.vantage === vantage) ?? liveInfo(live),
    rollups: l.byVantage.get(vantage) ?? [],
    report: targetReport(l.byVantage, l.period, l.infos),
    failures,
    traces,
    live,
    now: d.now(),
  });
  return sendHtml(c, body);
}

async function tracePage(c: Context, d: DashboardContext): Promise<Response> {
  const file = c.req.param("file")!;
  const m = /^(\d{1,15})(\.jsonl)?$/.exec(file);
  const name = c.req.param("name")!;
  const p = parse(targetParams, c.req.query());
  if (!p.ok) return badRequest(c, p.message, false);
  if (!m)
    return badRequest(
      c,
      `trace ${JSON.stringify(file)}: write its time in epoch ms, e.g. /trace/1767225600000.jsonl`,
      false,
    );
  const t = Number(m[1]);
  const kept = (await d.store.traces(name, p.value.vantage)).find((k) => Date.parse(k.t) === t);
  if (!kept) return sendHtml(c, errorPage("Not found", `no kept trace of ${name} at ${t}`), 404);
  if (m[2])
    return c.body(kept.jsonl, 200, {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="teldoc-trace-${t}.jsonl"`,
    });
  return sendHtml(c, traceHtml(kept, t));
}

/** Add the target routes. */
export function targetRoutes(app: Hono, d: DashboardContext): void {
  app.get("/target/:name", (c) => targetPage(c, d));
  app.get("/target/:name/trace/:file", (c) => tracePage(c, d));
  app.get("/compare/:name", async (c) => {
    const l = await load(c, d, false);
    if (l instanceof Response) return l;
    const report = targetReport(l.byVantage, l.period, l.infos);
    return sendHtml(c, compareHtml({ ...l, report }));
  });
  app.get("/api/target/:name/series", async (c) => {
    const l = await load(c, d, true);
    if (l instanceof Response) return l;
    const rollups = l.byVantage.get(l.vantage!) ?? [];
    return c.json(chartSeries(l.name, l.vantage!, rollups, l.period));
  });
}
