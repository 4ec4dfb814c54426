/**
 * @module The dashboard: the overview (`/`), a target's page (`/target/NAME`), the vantage
 * comparison (`/compare/NAME`), kept traces, `/api/...` JSON and `/assets/...`, added to the
 * monitor's HTTP listener through its `routes` hook. Read-only; every page reads what it shows
 * from the store (bounded), "now" from the engine's live state.
 */
import type { Hono } from "hono";
import type { TargetState } from "../monitor.js";
import type { Store } from "../store/types.js";
import { assetRoutes } from "./assets.js";
import { OverviewIndex, withLive } from "./overview-index.js";
import { overviewPage } from "./overview-query.js";
import { errorPage } from "./pages/layout.js";
import { overviewHtml } from "./pages/overview.js";
import { overviewParams, parse } from "./params.js";
import { badRequest, sendHtml } from "./respond.js";
import { targetRoutes } from "./target-routes.js";

export interface DashboardOptions {
  readonly store: Store;
  /** This process's vantage point (whose targets have a live state). */
  readonly vantage?: string;
  /** The engine's state of each target now (Monitor.stateOf). */
  readonly live?: () => readonly TargetState[];
  /** Wall-clock time, epoch ms (default Date.now). */
  readonly now?: () => number;
  /** How old the overview's history may get before it is read again (default 30 s). */
  readonly snapshotMaxAgeMs?: number;
  /** Read the overview's history at once, not at the first visit (default true). */
  readonly warm?: boolean;
}

/** What the route files share. */
export interface DashboardContext {
  readonly store: Store;
  readonly vantage: string | undefined;
  readonly live: () => readonly TargetState[];
  readonly now: () => number;
  readonly index: OverviewIndex;
}

function overviewRoutes(app: Hono, d: DashboardContext): void {
  const read = async (query: Record<string, string>) => {
    const p = parse(overviewParams, query);
    if (!p.ok) return p;
    const snap = await d.index.get();
    const rows = withLive(snap, d.vantage, d.live());
    return { ok: true as const, p: p.value, snap, page: overviewPage(rows, p.value) };
  };
  app.get("/", async (c) => {
    const r = await read(c.req.query());
    if (!r.ok) return badRequest(c, r.message, false);
    return sendHtml(c, overviewHtml(r.p, r.page, r.snap, d.now()));
  });
  app.get("/api/overview", async (c) => {
    const r = await read(c.req.query());
    if (!r.ok) return badRequest(c, r.message, true);
    const { rows, ...rest } = r.page;
    return c.json({ ...rest, historyAt: new Date(r.snap.builtAt).toISOString(), rows });
  });
}

/**
 * The routes, for `webApp({ routes })`.
 * @example webApp({ probe, targets, routes: dashboardRoutes({ store, vantage, live: () => monitor.stateOf() }) })
 */
export function dashboardRoutes(o: DashboardOptions): (app: Hono) => void {
  const now = o.now ?? Date.now;
  const index = new OverviewIndex(o.store, now, o.snapshotMaxAgeMs);
  if (o.warm !== false) index.rebuild().catch(() => {});
  const d: DashboardContext = {
    store: o.store,
    vantage: o.vantage,
    live: o.live ?? (() => []),
    now,
    index,
  };
  return (app) => {
    assetRoutes(app);
    overviewRoutes(app, d);
    targetRoutes(app, d);
    app.notFound((c) =>
      c.req.path.startsWith("/api/")
        ? c.json({ error: `no such page: ${c.req.path}` }, 404)
        : sendHtml(c, errorPage("Not found", `There is no page at ${c.req.path}.`), 404),
    );
  };
}
