/**
 * docs/grafana-dashboard.json: it parses, and every metric its queries name is one the monitor
 * exports (/metrics after real rounds, or /probe's answer) — a renamed metric breaks this test,
 * not a user's dashboard.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import { test } from "node:test";
import { type Lab, startLab } from "../../lab/server.js";
import { systemClock } from "../../session/clock.js";
import { probeOnce } from "../probe.js";
import { MonitorMetrics } from "./metrics.js";
import { probeText } from "./probe-endpoint.js";

const DASHBOARD = new URL("../../../docs/grafana-dashboard.json", import.meta.url);

/** Metric names in PromQL: identifiers that are not functions, keywords or labels. */
function metricNames(expr: string): string[] {
  const noLabels = expr
    .replace(/\{[^}]*\}/g, "")
    .replace(/\b(by|on|without|group_left|group_right)\s*\([^)]*\)/g, "");
  return [...noLabels.matchAll(/\b([a-z_][a-z0-9_]*)\b(?!\s*\()/g)]
    .map((m) => m[1]!)
    .filter((n) => /_/.test(n) && !/^(or|and|unless|vector)$/.test(n));
}

/** Exported names, with a histogram's _bucket/_sum/_count series. */
function exported(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/^([a-z_][a-z0-9_]*)(?:\{|\s)/gm)) names.add(m[1]!);
  return names;
}

test("the Grafana dashboard parses and names only metrics that exist", async () => {
  const dash = JSON.parse(readFileSync(DASHBOARD, "utf8")) as {
    panels: { title: string; targets: { expr: string }[] }[];
  };
  assert.ok(dash.panels.length >= 8);
  let lab: Lab | undefined;
  const metrics = new MonitorMetrics("v", {
    health: () => ({ skipped: 0, targets: 1, running: 0, pending: 0 }),
  });
  try {
    lab = await startLab({ scenario: "healthy", port: 0 });
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const closedPort = (closed.address() as { port: number }).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const ctx = { vantage: "v", clock: systemClock, wallNow: Date.now };
    const ok = await probeOnce(
      {
        name: "a",
        host: "127.0.0.1",
        port: lab.port,
        level: "telnet",
        timeoutMs: 5000,
        connects: 1,
      },
      ctx,
    );
    const bad = await probeOnce(
      {
        name: "b",
        host: "127.0.0.1",
        port: closedPort,
        level: "tcp",
        timeoutMs: 5000,
        connects: 1,
      },
      ctx,
    );
    for (const outcome of [ok, bad]) metrics.observe({ kind: "round", outcome });
    metrics.observe({ kind: "written", count: 2, ms: 1 });
    const names = exported(
      (await metrics.text()) +
        (await probeText(
          {
            name: "b",
            host: "127.0.0.1",
            port: closedPort,
            level: "tcp",
            timeoutMs: 5000,
            connects: 1,
          },
          bad,
        )),
    );
    const used = dash.panels.flatMap((p) => p.targets.flatMap((t) => metricNames(t.expr)));
    assert.ok(used.length >= 10, `only ${used.length} metric references found`);
    for (const n of used)
      assert.ok(names.has(n), `the dashboard queries ${n}, which is not exported`);
  } finally {
    metrics.close();
    await lab?.close();
  }
});
