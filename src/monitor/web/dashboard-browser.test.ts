/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core, over the real
 * listener and a real SQLite store. Checks what the pages must show (the chart's canvas drawn
 * with its series, heatmap cells with their counts, a failure's evidence as text), the keyboard
 * path (Tab reaches the filter and the first target, Enter opens it), and no console error, no
 * CSP violation, no dialog (a script from the store would open one). With
 * TELDOC_SCREENSHOTS=1 it also saves docs/screenshots/{overview,target,compare}.png.
 */
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import {
  type DashboardFixture,
  EVIL_EVIDENCE,
  fillDashboardStore,
  realTrace,
} from "../../testing/dashboard-store.js";
import { skipUnlessCI } from "../../testing/requirement.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/types.js";
import { dashboardRoutes } from "./dashboard.js";
import { startWeb, type WebServer } from "./server.js";

const CHROMIUM = "/usr/bin/chromium";
const skip = skipUnlessCI("chromium", existsSync(CHROMIUM) ? false : `${CHROMIUM} is missing`);
const SHOTS = process.env["TELDOC_SCREENSHOTS"] === "1";
const SHOT_DIR = fileURLToPath(new URL("../../../docs/screenshots/", import.meta.url));
const WAIT_MS = 15_000;

describe("the dashboard in chromium", { skip, timeout: 120_000 }, () => {
  let dir: string;
  let store: Store;
  let fx: DashboardFixture;
  let web: WebServer;
  let browser: Browser;
  let page: Page;
  let problems: string[] = [];

  before(async () => {
    const { chromium } = await import("playwright-core");
    dir = mkdtempSync(join(tmpdir(), "teldoc-dash-browser-"));
    store = await openStore(`sqlite:${join(dir, "m.db")}`);
    fx = await fillDashboardStore(store, Date.now(), await realTrace(), { evil: !SHOTS });
    const routes = dashboardRoutes({ store, vantage: "lan" });
    web = await startWeb({
      host: "127.0.0.1",
      port: 0,
      probe: async () => {
        throw new Error("no probe here");
      },
      targets: () => [],
      routes,
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    page.setDefaultTimeout(WAIT_MS);
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning")
        problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on("response", (r) => {
      if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("dialog", (d) => {
      problems.push(`a dialog opened: ${d.message()}`);
      void d.dismiss();
    });
    // The project compiles without the DOM library: scripts for the page are strings.
    await page.addInitScript({
      content: `document.addEventListener("securitypolicyviolation", (e) => console.error("CSP violation: " + e.violatedDirective + " " + e.blockedURI));`,
    });
  });
  after(async () => {
    await browser?.close();
    await web?.close();
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const shot = async (name: string) => {
    if (!SHOTS) return;
    mkdirSync(SHOT_DIR, { recursive: true });
    await page.screenshot({ path: join(SHOT_DIR, `${name}.png`), fullPage: true });
  };
  const clean = () => {
    const seen = problems;
    problems = [];
    assert.deepEqual(seen, []);
  };

  test("the overview: rows, sparklines; Tab reaches the filter and the first target, Enter opens it", async () => {
    await page.goto(`${web.url}/`);
    assert.equal(await page.locator("table.targets tbody tr").count(), 32);
    assert.equal(await page.locator("svg.spark polyline").first().isVisible(), true);
    assert.equal(
      await page.locator("tbody tr").first().locator(".status").textContent(),
      "failing",
    );
    await shot("overview");
    const focused = () =>
      page.evaluate<{ id: string; href: string; inTable: boolean }>(`(() => {
        const el = document.activeElement;
        return { id: el?.id ?? "", href: el?.getAttribute("href") ?? "", inTable: !!el?.closest("table.targets tbody") };
      })()`);
    let reached = false;
    for (let i = 0; i < 10 && !reached; i++) {
      await page.keyboard.press("Tab");
      reached = (await focused()).id === "q";
    }
    assert.ok(reached, "Tab reaches the search field");
    let link = { id: "", href: "", inTable: false };
    for (let i = 0; i < 40 && !link.inTable; i++) {
      await page.keyboard.press("Tab");
      link = await focused();
    }
    assert.equal(
      link.href,
      `/target/${fx.down}?vantage=lan`,
      "the first target's link, failing first",
    );
    await Promise.all([page.waitForURL(/\/target\/core-down/), page.keyboard.press("Enter")]);
    assert.equal(await page.locator("h1").textContent(), fx.down);
    clean();
  });

  test("a target's page: the chart drawn, heatmap cells with their counts, a failure's evidence", async () => {
    await page.goto(`${web.url}/target/sw-01?vantage=lan&since=7d`);
    await page.waitForSelector("#chart[data-drawn]");
    assert.equal(
      await page.getAttribute("#chart", "data-drawn"),
      "6",
      "min, max, median, p90, lost, failed",
    );
    const canvas = await page.evaluate<{
      width: number;
      height: number;
      drawn: number;
    } | null>(`(() => {
      const c = document.querySelector("#chart canvas");
      if (!c) return null;
      const px = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let drawn = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] > 0) drawn++;
      return { width: c.width, height: c.height, drawn };
    })()`);
    assert.ok(canvas && canvas.width > 300 && canvas.height > 100, JSON.stringify(canvas));
    assert.ok(canvas.drawn > 2000, `the canvas has ${canvas.drawn} drawn pixels`);
    const cells = page.locator("table.heat td");
    assert.equal(await cells.count(), 168);
    const hot = page.locator('table.heat td:not([data-failed="0"])').first();
    assert.equal(await hot.textContent(), await hot.getAttribute("data-failed"));
    const evidence = fx.kept.evidence[0]!;
    if (!SHOTS) assert.equal(evidence, EVIL_EVIDENCE, "the script in the evidence shows as text");
    assert.equal(await page.getByText(evidence, { exact: false }).first().isVisible(), true);
    assert.ok((await page.locator("svg.timeline rect.c-acl-rejected").count()) >= 1);
    assert.equal(
      await page
        .locator("ol.segments li", { hasText: /acl-rejected \(\d+ of \d+ rounds failed\)/ })
        .first()
        .isVisible(),
      true,
      "the timeline's failing runs as text",
    );
    await shot("target");
    await page.getByRole("link", { name: "view", exact: true }).first().click();
    await page.waitForSelector("pre.trace");
    assert.match((await page.locator("pre.trace").textContent()) ?? "", /cause: acl-rejected/);
    clean();
  });

  test("the vantage comparison", async () => {
    await page.goto(`${web.url}/compare/${fx.down}?since=7d`);
    assert.equal(await page.locator("table.compare thead th").count(), 3);
    assert.equal(await page.locator("svg.timeline").count(), 2);
    assert.ok((await page.locator(".finding").count()) >= 1, "the vantage finding");
    await shot("compare");
    clean();
  });
});
