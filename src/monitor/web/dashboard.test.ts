/**
 * The dashboard's pages and /api over a real SQLite store filled with the sample generator and
 * a real trace (a probe of the lab's acl-rejected server): what each page shows, filters,
 * paging, sorting, escaping of every string from the store, the token, and a 400 naming the
 * parameter for every bad query.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  type DashboardFixture,
  EVIL_NAME,
  fillDashboardStore,
  realTrace,
} from "../../testing/dashboard-store.js";
import type { TargetState } from "../monitor.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/types.js";
import { dashboardRoutes } from "./dashboard.js";
import { webApp } from "./server.js";

const NOW = Date.UTC(2026, 10, 30, 12, 0);
const noProbe = async () => {
  throw new Error("no probe in this test");
};

describe("the dashboard", () => {
  let dir: string;
  let store: Store;
  let fx: DashboardFixture;
  let live: TargetState[] = [];
  let app: ReturnType<typeof webApp>;
  const get = async (path: string) => {
    const res = await app.request(path);
    return { res, text: await res.text() };
  };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "teldoc-dash-"));
    store = await openStore(`sqlite:${join(dir, "m.db")}`);
    fx = await fillDashboardStore(store, NOW, await realTrace());
    const routes = dashboardRoutes({ store, vantage: "lan", live: () => live, now: () => NOW });
    app = webApp({ probe: noProbe, targets: () => [], routes });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test("the overview: every series, failing first, with cause, availability and a sparkline", async () => {
    const { res, text } = await get("/");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/html/);
    assert.match(res.headers.get("content-security-policy") ?? "", /script-src 'self'/);
    assert.match(text, /32 series: <a[^>]*>2 failing<\/a>, 0 flapping, 30 healthy, 0 without data/);
    const first =
      /<tbody><tr>\s*<td><span class="status (\w+)">[\s\S]*?<a href="([^"]+)">([^<]+)<\/a>/.exec(
        text,
      );
    assert.ok(first);
    assert.deepEqual([first[1], first[3]], ["failing", "core-down"]);
    assert.equal(first[2], "/target/core-down?vantage=lan");
    assert.match(text, /c-refused[\s\S]*?refused/);
    assert.equal((text.match(/<svg class="spark"/g) ?? []).length, 32);
    assert.match(text, /aria-label="connect RTT median [\d.]+ to [\d.]+ ms over the last 24 h/);
    assert.match(text, /<a class="skip" href="#main">/);
  });

  test("strings from the store are escaped: a script in a name or in evidence stays text", async () => {
    const overview = (await get("/?q=script")).text;
    assert.ok(!overview.includes(EVIL_NAME));
    assert.match(overview, /&lt;script&gt;alert\(&quot;name&quot;\)&lt;\/script&gt;/);
    const href = `/target/${encodeURIComponent(EVIL_NAME)}?vantage=lan`;
    assert.ok(
      overview.includes(href.replace(/&/g, "&amp;")),
      "the link holds the name URL-encoded",
    );
    const page = await get(href);
    assert.equal(page.res.status, 200);
    assert.ok(!page.text.includes("<script>alert"));
    const sw1 = (await get("/target/sw-01?vantage=lan&since=24h")).text;
    assert.ok(!sw1.includes("<script>alert"));
    assert.match(sw1, /server said: &lt;script&gt;alert\(&quot;evidence&quot;\)&lt;\/script&gt;/);
  });

  test("filters, search, sorting and paging happen on the server", async () => {
    const rows = (text: string) => [...text.matchAll(/<tr>\s*<td><span class="status/g)].length;
    assert.equal(rows((await get("/?vantage=dc1")).text), 2);
    assert.equal(
      rows((await get("/?status=failing")).text),
      2,
      "core-down, and sw-01 failed its last round",
    );
    assert.equal(rows((await get("/?q=SW-0")).text), 11, "sw-00..sw-09 and sw-01 from dc1");
    const tagged = (await get("/?tag=site:03")).text;
    assert.equal(rows(tagged), 2, "targets 3 and 23 of lan");
    const page2 = (await get("/?per=10&page=2&sort=name")).text;
    assert.equal(rows(page2), 10);
    assert.match(page2, /Page 2 of 4/);
    assert.match(page2, /rel="prev" href="\/\?sort=name&amp;per=10&amp;page=1"/);
    assert.match(page2, /Showing 11–20 of 32/);
    const last = (await get("/?per=10&page=99")).text;
    assert.match(last, /Page 4 of 4/);
    assert.equal(rows((await get("/?cause=refused")).text) >= 1, true);
    const api = (await (await app.request("/api/overview?status=failing")).json()) as {
      matching: number;
      rows: { name: string; cause: string }[];
    };
    assert.equal(api.matching, 2);
    assert.deepEqual([api.rows[0]!.name, api.rows[0]!.cause], ["core-down", "refused"]);
  });

  test("the live state says what is failing now", async () => {
    const s = fx.kept;
    live = [
      {
        target: "sw-05",
        ok: false,
        cause: "filtered",
        since: s.t,
        last: {
          ...s,
          target: "sw-05",
          cause: "filtered",
          evidence: ["no answer to the SYN within 10 s"],
        },
      },
    ];
    try {
      const text = (await get("/?status=failing")).text;
      assert.match(text, /sw-05[\s\S]*no answer to the SYN within 10 s[\s\S]*filtered/);
    } finally {
      live = [];
    }
  });

  test("a target's page: chart, cause timeline, heatmap, findings, failures with their traces", async () => {
    const { res, text } = await get("/target/sw-01?vantage=lan&since=7d");
    assert.equal(res.status, 200);
    assert.match(
      text,
      /<div class="chart" id="chart" data-series="\/api\/target\/sw-01\/series\?vantage=lan&amp;since=7d"/,
    );
    assert.match(text, /<script defer src="\/assets\/uPlot.iife.min.js"><\/script>/);
    assert.match(text, /<script type="module" src="\/assets\/target-chart.mjs"><\/script>/);
    assert.equal((text.match(/<td class="h\d" title=/g) ?? []).length, 168);
    assert.match(text, /<svg class="timeline"[\s\S]*class="c-acl-rejected"/);
    assert.match(text, /<li>[^<]*acl-rejected \(\d+ of \d+ rounds failed\)<\/li>/);
    assert.match(text, /compare the 2 vantage points/);
    const t = Date.parse(fx.kept.t);
    assert.ok(text.includes(`/target/sw-01/trace/${t}.jsonl?vantage=lan`));
    const nightly = (await get("/target/edge-nightly?since=7d")).text;
    assert.match(nightly, /title="\w+day 02:00–03:00: 12 failed of 12 rounds" data-failed="12"/);
  });

  test("the analysis' findings, in words", async () => {
    const text = (await get("/compare/core-down?since=7d")).text;
    assert.match(text, /<div class="finding"><p><strong>vantage<\/strong>/);
    assert.match(
      text,
      /<th scope="col"><a href="\/target\/core-down\?vantage=dc1&amp;since=7d">dc1<\/a><\/th>/,
    );
    const avail =
      /<th scope="row">Availability<\/th><td><strong>([\d.]+) %<\/strong><\/td><td><strong>([\d.]+) %/.exec(
        text,
      );
    assert.ok(avail, "availability from dc1, then from lan");
    assert.ok(Number(avail[1]) > Number(avail[2]) + 10, "core-down fails from lan only");
  });

  test("a kept trace: downloaded as JSON Lines, shown as teldoc trace show renders it", async () => {
    const t = Date.parse(fx.kept.t);
    const file = await app.request(`/target/sw-01/trace/${t}.jsonl?vantage=lan`);
    assert.equal(file.status, 200);
    assert.match(file.headers.get("content-type") ?? "", /^application\/x-ndjson/);
    const jsonl = await file.text();
    assert.ok(
      jsonl
        .split("\n")
        .filter(Boolean)
        .every((l) => typeof JSON.parse(l).type === "string"),
    );
    const view = (await get(`/target/sw-01/trace/${t}?vantage=lan`)).text;
    assert.match(
      view,
      /<pre class="trace">[\s\S]*connecting to 127\.0\.0\.1 port \d+[\s\S]*cause: acl-rejected/,
    );
    assert.equal((await app.request(`/target/sw-01/trace/${t + 1}.jsonl`)).status, 404);
  });

  test("the chart's data: one point per bucket of the period", async () => {
    const res = await app.request("/api/target/sw-01/series?vantage=lan&since=24h");
    assert.equal(res.status, 200);
    const d = (await res.json()) as Record<string, (number | null)[]>;
    assert.equal(d["t"]!.length, 288, "24 h of 5-min buckets, the current one the last");
    for (const k of ["min", "max", "p50", "p90", "lossPct", "failedPct"])
      assert.equal(d[k]!.length, d["t"]!.length);
    assert.ok(d["p50"]!.filter((x) => typeof x === "number").length > 250);
  });

  test("bad parameters: a 400 naming the parameter, never a crash", async () => {
    const cases: [string, RegExp][] = [
      ["/?page=0", /page &quot;0&quot;: takes a whole number from 1/],
      ["/?per=x", /per &quot;x&quot;/],
      ["/?sort=evil", /sort &quot;evil&quot;: takes one of status, name, availability, rtt/],
      ["/?status=down", /status &quot;down&quot;/],
      ["/?cause=%3Cb%3E", /cause &quot;&lt;b&gt;&quot;/],
      ["/target/sw-01?since=banana", /since &quot;banana&quot;/],
      ["/target/sw-01?since=5000d", /since &quot;5000d&quot;: &quot;5000d&quot; is out of range/],
      ["/compare/sw-01?since=-1h", /since/],
      ["/target/sw-01/trace/abc", /trace &quot;abc&quot;/],
    ];
    for (const [path, message] of cases) {
      const { res, text } = await get(path);
      assert.equal(res.status, 400, path);
      assert.match(text, message, path);
    }
    const api = await app.request("/api/overview?per=5");
    assert.equal(api.status, 400);
    assert.match(
      ((await api.json()) as { error: string }).error,
      /^per "5": takes a whole number from 10 to 500/,
    );
    const series = await app.request("/api/target/sw-01/series?since=0d");
    assert.equal(series.status, 400);
    assert.match(((await series.json()) as { error: string }).error, /^since "0d"/);
  });

  test("unknown targets and vantages are a 404 that says so", async () => {
    const { res, text } = await get("/target/nope");
    assert.equal(res.status, 404);
    assert.match(text, /no target named &quot;nope&quot;/);
    assert.equal((await app.request("/target/sw-01?vantage=mars")).status, 404);
    assert.equal((await app.request("/api/target/nope/series")).status, 404);
    assert.equal((await app.request("/assets/../../etc/passwd")).status, 404);
  });

  test("assets are served locally: uPlot, its CSS, the chart script, the stylesheet", async () => {
    for (const [name, type] of [
      ["uPlot.iife.min.js", /javascript/],
      ["uPlot.min.css", /css/],
      ["target-chart.mjs", /javascript/],
      ["dashboard.css", /css/],
    ] as const) {
      const res = await app.request(`/assets/${name}`);
      assert.equal(res.status, 200, name);
      assert.match(res.headers.get("content-type") ?? "", type);
      assert.ok((await res.text()).length > 100, name);
    }
  });

  test("with a token: the first visit's ?token= becomes a cookie, and no page shows it", async () => {
    const token = "tok-3f9a7c-secret";
    const routes = dashboardRoutes({ store, vantage: "lan", now: () => NOW, warm: false });
    const guarded = webApp({ probe: noProbe, targets: () => [], token, routes });
    assert.equal((await guarded.request("/")).status, 401);
    const first = await guarded.request(`/?token=${token}&status=failing`);
    assert.equal(first.status, 303);
    assert.equal(first.headers.get("location"), "/?status=failing");
    const cookie = (first.headers.get("set-cookie") ?? "").split(";")[0]!;
    for (const path of ["/?status=failing", "/target/sw-01", "/compare/core-down"]) {
      const res = await guarded.request(path, { headers: { cookie } });
      assert.equal(res.status, 200, path);
      assert.ok(!(await res.text()).includes(token), path);
    }
  });
});
