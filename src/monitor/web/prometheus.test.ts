/**
 * A REAL Prometheus (Debian's `prometheus`, started by the test on loopback) scrapes the
 * monitor's /metrics and drives /probe blackbox-style; PromQL reads back the cause label of a
 * failing target from both. That is the claim "Prometheus can read why", proven end to end.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";

import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { closedPort } from "../../lab/closed-port.js";
import { type Lab, startLab } from "../../lab/server.js";
import { systemClock } from "../../session/clock.js";
import { freePorts } from "../../testing/daemons.js";
import { skipUnlessCI } from "../../testing/requirement.js";
import { Monitor, type MonitorTarget } from "../monitor.js";
import { openStore } from "../store/open.js";
import type { Store } from "../store/types.js";
import { MonitorMetrics } from "./metrics.js";
import { startWeb, type WebServer } from "./server.js";

const PROMETHEUS = "/usr/bin/prometheus";
const skip = skipUnlessCI(
  "prometheus (Debian package prometheus)",
  existsSync(PROMETHEUS) ? false : `${PROMETHEUS} is missing`,
);

describe("a real Prometheus reads the cause", { skip, timeout: 90_000 }, () => {
  let dir: string;
  let lab: Lab;
  let store: Store;
  let monitor: Monitor;
  let metrics: MonitorMetrics;
  let web: WebServer;
  let prom: ChildProcess | undefined;
  let promLog = "";
  let promUrl: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "teldoc-prom-"));
    lab = await startLab({ scenario: "healthy", port: 0 });
    const closed = await closedPort();
    store = await openStore(`sqlite:${join(dir, "m.db")}`);
    const targets: MonitorTarget[] = [
      {
        name: "ok",
        host: "127.0.0.1",
        port: lab.port,
        level: "telnet",
        timeoutMs: 3000,
        connects: 1,
        intervalMs: 1000,
        tags: [],
      },
      {
        name: "down",
        host: "127.0.0.1",
        port: closed,
        level: "tcp",
        timeoutMs: 3000,
        connects: 1,
        intervalMs: 1000,
        tags: [],
      },
    ];
    monitor = new Monitor({
      vantage: "lab-vantage",
      store,
      clock: systemClock,
      wallNow: Date.now,
      compactEveryMs: 0,
      onEvent: (e) => metrics.observe(e),
    });
    metrics = new MonitorMetrics("lab-vantage", {
      health: () => ({ skipped: 0, targets: 2, running: 0, pending: 0 }),
    });
    web = await startWeb({
      host: "127.0.0.1",
      port: 0,
      metrics,
      targets: () => targets,
      probe: (spec) => monitor.probeNow(spec),
    });
    await monitor.start(targets);
    const [promPort] = await freePorts(1);
    promUrl = `http://127.0.0.1:${promPort}`;
    const self = `127.0.0.1:${web.port}`;
    await writeFile(
      join(dir, "prometheus.yml"),
      `global: {scrape_interval: 1s, evaluation_interval: 1s}
scrape_configs:
  - job_name: teldoc
    static_configs: [{targets: ["${self}"]}]
  - job_name: teldoc-probe
    metrics_path: /probe
    params: {level: [tcp]}
    static_configs: [{targets: ["127.0.0.1:${closed}", "127.0.0.1:${lab.port}"]}]
    relabel_configs:
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__param_target], target_label: instance}
      - {target_label: __address__, replacement: "${self}"}
`,
    );
    prom = spawn(
      PROMETHEUS,
      [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "tsdb")}`,
        `--web.listen-address=127.0.0.1:${promPort}`,
      ],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    prom.stderr?.on("data", (b: Buffer) => {
      promLog = (promLog + b.toString()).slice(-4000);
    });
  });

  after(async () => {
    prom?.kill("SIGKILL");
    await monitor?.stop();
    await web?.close();
    metrics?.close();
    await store?.close();
    await lab?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Ask PromQL until it answers with a result (bounded). */
  async function query(q: string, ms = 45_000): Promise<{ metric: Record<string, string> }[]> {
    const deadline = Date.now() + ms;
    for (;;) {
      try {
        const r = await fetch(`${promUrl}/api/v1/query?query=${encodeURIComponent(q)}`);
        const body = (await r.json()) as {
          data?: { result?: { metric: Record<string, string> }[] };
        };
        const result = body.data?.result ?? [];
        if (result.length > 0) return result;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) assert.fail(`no answer to ${q} in ${ms} ms\n${promLog}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  test("scraping /metrics: the failing target's cause and stage are labels", async () => {
    const r = await query('teldoc_probe_failures_total{job="teldoc"} > 0');
    assert.equal(r.length, 1, JSON.stringify(r));
    assert.equal(r[0]!.metric.target, "down");
    assert.equal(r[0]!.metric.cause, "refused");
    assert.equal(r[0]!.metric.stage, "connect");
    assert.equal(r[0]!.metric.vantage, "lab-vantage");
    const ok = await query('teldoc_probe_success{job="teldoc",target="ok"} == 1');
    assert.equal(ok.length, 1);
  });

  test("driving /probe blackbox-style: probe_success and the cause per instance", async () => {
    const failed = await query('probe_success{job="teldoc-probe"} == 0');
    assert.equal(failed.length, 1);
    const info = await query('teldoc_probe_info{job="teldoc-probe",cause!="healthy"}');
    assert.equal(info.length, 1);
    assert.equal(info[0]!.metric.cause, "refused");
    assert.equal(info[0]!.metric.instance, failed[0]!.metric.instance);
    const healthy = await query('teldoc_probe_info{job="teldoc-probe",cause="healthy"}');
    assert.equal(healthy.length, 1);
  });
});
