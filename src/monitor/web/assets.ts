/**
 * @module The dashboard's static files, served from this package (no CDN): the stylesheet, the
 * chart script (compiled beside this file) and uPlot's browser build from node_modules. Each is
 * read once and kept in memory.
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import type { Hono } from "hono";
import { DASHBOARD_CSS } from "./style.js";

const require = createRequire(import.meta.url);

interface Asset {
  readonly type: string;
  readonly load: () => Promise<string>;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";

/** Every file under /assets/, by name. */
export const ASSETS: Readonly<Record<string, Asset>> = {
  "dashboard.css": { type: CSS, load: async () => DASHBOARD_CSS },
  "favicon.svg": {
    type: "image/svg+xml",
    load: async () =>
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f5f8b"/><path d="M2 11h3l2-6 2 8 2-4h3" fill="none" stroke="#fff" stroke-width="1.6"/></svg>',
  },
  "target-chart.mjs": {
    type: JS,
    load: () => readFile(new URL("./client/target-chart.js", import.meta.url), "utf8"),
  },
  "uPlot.iife.min.js": {
    type: JS,
    load: () => readFile(require.resolve("uplot/dist/uPlot.iife.min.js"), "utf8"),
  },
  "uPlot.min.css": {
    type: CSS,
    load: () => readFile(require.resolve("uplot/dist/uPlot.min.css"), "utf8"),
  },
};

/** Add GET /assets/:file. */
export function assetRoutes(app: Hono): void {
  const cache = new Map<string, string>();
  app.get("/assets/:file", async (c) => {
    const name = c.req.param("file");
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) return c.text("no such file\n", 404);
    let body = cache.get(name);
    if (body === undefined) {
      body = await asset.load();
      cache.set(name, body);
    }
    return c.body(body, 200, {
      "Content-Type": asset.type,
      "Cache-Control": "public, max-age=3600",
    });
  });
}
