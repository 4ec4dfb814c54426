// The dashboard with 10,000 targets: a SQLite store holding their last day (15-min rounds,
// ~960,000 samples, with the 5-min and 1-h rollups the store keeps), the real listener, and
// Debian's chromium (playwright-core) measuring first-contentful-paint of the overview `/`
// (median of several loads, each in a fresh context), the HTML response time of `/` (median of
// 20 requests), the first, cold load (the overview's history read from the store), and a
// target page until its uPlot chart is drawn. Goal: first paint < 1 s. The reference the issue
// names, Uptime Kuma (15-50 s at 700-1,855 monitors, reported by its users), cannot be run
// here: it is quoted, not measured.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const CHROMIUM = "/usr/bin/chromium";
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const round = (x) => Math.round(x * 10) / 10;

async function fill(store, targets) {
  const { fillFleet } = await import("../dist/testing/dashboard-store.js");
  const names = Array.from({ length: targets }, (_, i) => `sw-${String(i).padStart(5, "0")}`);
  const t0 = performance.now();
  const samples = await fillFleet(store, {
    names,
    vantage: "lan",
    until: Date.now(),
    hours: 24,
    intervalMs: 15 * 60_000,
    failingNow: names.filter((_, i) => i % 97 === 3),
    batch: 10_000,
  });
  return { samples, fillMs: Math.round(performance.now() - t0) };
}

async function paint(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(url, { waitUntil: "load" });
  // FCP from a buffered observer: the entry may be recorded just after "load".
  const m = await page.evaluate(`new Promise((resolve) => {
    const nav = performance.getEntriesByType("navigation")[0];
    const done = (fcp) => resolve({ fcp, ttfb: nav.responseStart - nav.requestStart, html: nav.responseEnd - nav.requestStart, bytes: nav.transferSize });
    new PerformanceObserver((list) => {
      const e = list.getEntries().find((x) => x.name === "first-contentful-paint");
      if (e) done(e.startTime);
    }).observe({ type: "paint", buffered: true });
    setTimeout(() => done(null), 5000);
  })`);
  if (m.fcp === null) throw new Error(`no first-contentful-paint within 5 s of load at ${url}`);
  await context.close();
  return m;
}

async function chartDrawn(browser, url) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const t0 = performance.now();
  await page.goto(url);
  await page.waitForSelector("#chart[data-drawn]", { timeout: 30_000 });
  const ms = performance.now() - t0;
  await context.close();
  return ms;
}

export async function benchDashboard({ log = () => {}, targets = 10_000, loads = 7 } = {}) {
  if (!existsSync(CHROMIUM)) {
    log(`dashboard  skipped: ${CHROMIUM} is missing (CI installs chromium)`);
    return { skipped: `${CHROMIUM} is missing` };
  }
  const { chromium } = await import("playwright-core");
  const { openStore } = await import("../dist/monitor/store/open.js");
  const { startWeb } = await import("../dist/monitor/web/server.js");
  const { dashboardRoutes } = await import("../dist/monitor/web/dashboard.js");
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-dash-"));
  const store = await openStore(`sqlite:${join(dir, "m.db")}`);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
  let web;
  try {
    const { samples, fillMs } = await fill(store, targets);
    const routes = dashboardRoutes({ store, vantage: "lan", warm: false });
    web = await startWeb({
      host: "127.0.0.1",
      port: 0,
      probe: async () => ({}),
      targets: () => [],
      routes,
    });
    const cold = await paint(browser, `${web.url}/`);
    const fcps = [];
    const htmls = [];
    for (let i = 0; i < loads; i++) {
      const m = await paint(browser, `${web.url}/`);
      fcps.push(m.fcp);
      htmls.push(m.html);
    }
    const fetches = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await (await fetch(`${web.url}/?status=healthy&sort=name&page=37`)).text();
      fetches.push(performance.now() - t0);
    }
    const chart = await chartDrawn(browser, `${web.url}/target/sw-00003?since=24h`);
    const r = {
      targets,
      samples,
      fillMs,
      coldFcpMs: round(cold.fcp),
      fcpMs: round(median(fcps)),
      fcpMaxMs: round(Math.max(...fcps)),
      htmlMs: round(median(htmls)),
      htmlBytes: cold.bytes,
      fetchMs: round(median(fetches)),
      targetChartMs: round(chart),
      goalMs: 1000,
    };
    log(
      `dashboard  ${targets} targets (${samples} samples of the last day, written in ${fillMs} ms): overview first-contentful-paint median ${r.fcpMs} ms (max ${r.fcpMaxMs} ms, ${loads} loads; the first, cold load reading the history: ${r.coldFcpMs} ms), HTML ${r.htmlMs} ms for ${Math.round(r.htmlBytes / 1024)} KB, a filtered and sorted page by fetch ${r.fetchMs} ms, a target page until its chart is drawn ${Math.round(r.targetChartMs)} ms; goal first paint < 1000 ms: ${r.fcpMs < 1000 && r.coldFcpMs < 1000 ? "met" : r.fcpMs < 1000 ? "met warm, MISSED cold" : "MISSED"}. Reference (not run here): Uptime Kuma's dashboard, 15-50 s at 700-1,855 monitors as its users report.`,
    );
    return r;
  } finally {
    await web?.close();
    await browser.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchDashboard({ log: (l) => process.stdout.write(`${l}\n`) });
}
