/**
 * The HTTP listener: read-only, CSP, the token rule, /probe against real lab servers and a
 * closed port (the cause and stage as labels), /metrics after real rounds.
 */
import assert from "node:assert/strict";

import { after, before, describe, test } from "node:test";
import { isTeldocError } from "../../errors.js";
import { closedPort } from "../../lab/closed-port.js";
import { type Lab, startLab } from "../../lab/server.js";
import { systemClock } from "../../session/clock.js";
import type { MonitorTarget } from "../monitor.js";
import { probeOnce } from "../probe.js";
import { MonitorMetrics } from "./metrics.js";
import { startWeb, webApp } from "./server.js";

const ctx = { vantage: "test", clock: systemClock, wallNow: Date.now };
const probe = (spec: Parameters<typeof probeOnce>[0]) => probeOnce(spec, ctx);

describe("the monitor's HTTP listener", () => {
  let lab: Lab;
  let closed: number;
  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0 });
    closed = await closedPort();
  });
  after(async () => {
    await lab.close();
  });

  test("read-only, with a strict CSP on every answer", async () => {
    const app = webApp({ probe, targets: () => [] });
    const post = await app.request("/probe?target=127.0.0.1:1", { method: "POST" });
    assert.equal(post.status, 405);
    assert.match(post.headers.get("content-security-policy") ?? "", /default-src 'none'/);
    const metrics = await app.request("/metrics");
    assert.equal(metrics.status, 404);
    assert.match(metrics.headers.get("content-security-policy") ?? "", /frame-ancestors 'none'/);
  });

  test("a token: refused without it, let in with the bearer or once by ?token= (a cookie)", async () => {
    const token = "s3cret-token-value";
    const app = webApp({ probe, targets: () => [], token });
    const none = await app.request("/metrics");
    assert.equal(none.status, 401);
    assert.ok(!(await none.text()).includes(token));
    const wrong = await app.request("/metrics", { headers: { authorization: "Bearer nope" } });
    assert.equal(wrong.status, 401);
    const bearer = await app.request("/probe?target=h:99999", {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(bearer.status, 400, "past the token: the query is checked");
    const once = await app.request(`/probe?token=${token}&target=h:99999`);
    assert.equal(once.status, 303);
    assert.equal(
      once.headers.get("location"),
      "/probe?target=h%3A99999",
      "the token leaves the URL",
    );
    const cookie = once.headers.get("set-cookie") ?? "";
    assert.match(cookie, /HttpOnly/i);
    const withCookie = await app.request("/probe?target=h:99999", {
      headers: { cookie: cookie.split(";")[0]! },
    });
    assert.equal(withCookie.status, 400);
  });

  test("another address than loopback without a token: refuses to start", async () => {
    await assert.rejects(
      startWeb({ host: "0.0.0.0", port: 0, probe, targets: () => [] }),
      (e: unknown) => isTeldocError(e, "TELDOC_ERR_USAGE"),
    );
  });

  test("/probe: a healthy telnet service, blackbox style", async () => {
    const web = await startWeb({ host: "127.0.0.1", port: 0, probe, targets: () => [] });
    try {
      const r = await fetch(`${web.url}/probe?target=127.0.0.1:${lab.port}&level=telnet`);
      assert.equal(r.status, 200);
      const text = await r.text();
      assert.match(text, /^probe_success\{?.*\}? 1$/m);
      assert.match(text, /teldoc_probe_info\{cause="healthy",stage="",level="telnet"\} 1/);
      assert.match(text, /teldoc_probe_duration_seconds\{phase="prompt"\} [\d.e-]+/);
    } finally {
      await web.close();
    }
  });

  test("/probe: a closed port names the cause and the stage", async () => {
    const app = webApp({ probe, targets: () => [] });
    const text = await (await app.request(`/probe?target=127.0.0.1:${closed}&level=tcp`)).text();
    assert.match(text, /^probe_success 0$/m);
    assert.match(text, /teldoc_probe_info\{cause="refused",stage="connect",level="tcp"\} 1/);
  });

  test("/probe: bad queries are 400 with what is wrong", async () => {
    const app = webApp({ probe, targets: () => [] });
    for (const q of [
      "",
      "target=127.0.0.1:99999",
      "target=h&level=ssh",
      "target=h&connects=many",
      "target=h&level=login",
      "target=h&color=red",
    ]) {
      const r = await app.request(`/probe?${q}`);
      assert.equal(r.status, 400, q);
      assert.ok((await r.text()).length > 5, q);
    }
  });

  test("/probe by a configured name: its level and credentials", async () => {
    const configured: MonitorTarget = {
      name: "lab-sw",
      host: "127.0.0.1",
      port: lab.port,
      level: "login",
      user: "demo",
      password: "demo",
      timeoutMs: 10_000,
      connects: 1,
      intervalMs: 60_000,
      tags: [],
    };
    const app = webApp({ probe, targets: () => [configured] });
    const text = await (await app.request("/probe?target=lab-sw")).text();
    assert.match(text, /teldoc_probe_info\{cause="healthy",stage="",level="login"\} 1/, text);
    assert.match(text, /teldoc_probe_duration_seconds\{phase="login"\}/);
    assert.ok(!text.includes('demo"'));
  });

  test("/metrics: the last rounds, failures by cause and stage, the monitor's health", async () => {
    const metrics = new MonitorMetrics("lan", {
      health: () => ({ skipped: 2, targets: 2, running: 0, pending: 0 }),
    });
    try {
      for (const [name, port, level] of [
        ["ok", lab.port, "telnet"],
        ["down", closed, "tcp"],
      ] as const) {
        const outcome = await probe({
          name,
          host: "127.0.0.1",
          port,
          level,
          timeoutMs: 5000,
          connects: 2,
        });
        metrics.observe({ kind: "round", outcome });
      }
      metrics.observe({ kind: "written", count: 2, ms: 3 });
      const app = webApp({ probe, targets: () => [], metrics });
      const text = await (await app.request("/metrics")).text();
      assert.match(text, /teldoc_probe_success\{target="ok",vantage="lan"\} 1/);
      assert.match(text, /teldoc_probe_success\{target="down",vantage="lan"\} 0/);
      assert.match(
        text,
        /teldoc_probe_failures_total\{target="down",cause="refused",stage="connect",vantage="lan"\} 1/,
      );
      assert.match(text, /teldoc_probe_connect_rtt_seconds_count\{vantage="lan"\} 2/);
      assert.match(text, /teldoc_monitor_rounds_skipped_total\{vantage="lan"\} 2/);
      assert.match(text, /teldoc_monitor_store_write_seconds_count\{vantage="lan"\} 1/);
      assert.match(text, /teldoc_monitor_event_loop_delay_p99_seconds/);
      metrics.retain(new Set(["ok"]));
      const later = await (await app.request("/metrics")).text();
      assert.ok(!later.includes('target="down"'), "a target no longer configured is gone");
    } finally {
      metrics.close();
    }
  });
});
