// The monitor's probe engine. Two measures, each against a reference in the same run:
// - burst: TCP-level probe rounds per second (one connect each, 64 at once) against a bare
//   `net.connect` loop to the same loopback server; goal >= 0.7x.
// - fleet: 10,000 targets at a 60 s interval, telnet level (3 connects + the telnet check up to
//   the login prompt), against the lab's healthy servers in another process; the monitor's own
//   CPU (one core = 100%), event-loop delay p99, peak RSS, rounds/s achieved, skipped rounds.
//   Goal: no round skipped, CPU < 100% of one core.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../bin/teldoc.js", import.meta.url));

async function pool(n, concurrency, fn) {
  let i = 0;
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i++ < n) await fn();
    }),
  );
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(c0);
  return {
    perSecond: Math.round((n / ms) * 1000),
    cpuUsPer: Math.round((cpu.user + cpu.system) / n),
  };
}

export async function benchBurst({ log = () => {}, n = 20_000, concurrency = 64 } = {}) {
  const { probeOnce } = await import("../dist/monitor/probe.js");
  const { systemClock } = await import("../dist/session/clock.js");
  const server = createServer((s) => {
    s.on("error", () => {});
    s.end();
  });
  await new Promise((r) => server.listen(0, "127.0.0.1", r));
  const port = server.address().port;
  const bare = () =>
    new Promise((resolve) => {
      const s = connect({ host: "127.0.0.1", port });
      s.once("connect", () => {
        s.destroy();
        resolve();
      });
      s.once("error", resolve);
    });
  const spec = { name: "t", host: "127.0.0.1", port, level: "tcp", timeoutMs: 5000, connects: 1 };
  const ctx = { vantage: "bench", clock: systemClock, wallNow: Date.now };
  let failed = 0;
  const probe = async () => {
    const r = await probeOnce(spec, ctx);
    if (!r.sample.ok) failed++;
  };
  try {
    // Warm both, then alternate so a load change hits both alike.
    await pool(2000, concurrency, bare);
    await pool(2000, concurrency, probe);
    const a = await pool(n, concurrency, bare);
    const b = await pool(n, concurrency, probe);
    const a2 = await pool(n, concurrency, bare);
    const b2 = await pool(n, concurrency, probe);
    const bareRate = Math.round((a.perSecond + a2.perSecond) / 2);
    const probeRate = Math.round((b.perSecond + b2.perSecond) / 2);
    const result = {
      probes: n * 2,
      concurrency,
      probesPerSecond: probeRate,
      bareConnectsPerSecond: bareRate,
      vsBare: Math.round((probeRate / bareRate) * 100) / 100,
      cpuUsPerProbe: Math.round((b.cpuUsPer + b2.cpuUsPer) / 2),
      cpuUsPerBareConnect: Math.round((a.cpuUsPer + a2.cpuUsPer) / 2),
      failed,
      goal: 0.7,
    };
    log(
      `monitor burst: ${probeRate} tcp probes/s vs ${bareRate} bare connects/s = ${result.vsBare}x (goal >= 0.7: ${result.vsBare >= 0.7 ? "met" : "MISSED"}); CPU ${result.cpuUsPerProbe} vs ${result.cpuUsPerBareConnect} us each; ${failed} failed`,
    );
    return result;
  } finally {
    server.close();
  }
}

/** A port the system says is free now (bound to port 0, then released). */
async function freePort() {
  const s = createServer();
  await new Promise((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

/** Lab servers in a child process each: the monitor's CPU is measured alone. */
async function startLabs(count) {
  const children = [];
  const ports = [];
  for (let i = 0; i < count; i++) {
    const port = await freePort();
    const child = spawn(process.execPath, [BIN, "lab", "healthy", "--port", String(port)], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let said = "";
    child.stderr.on("data", (b) => {
      said += b;
    });
    children.push({ child, said: () => said });
    ports.push(port);
  }
  // Wait until each accepts.
  for (const [i, port] of ports.entries()) {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const ok = await new Promise((r) => {
        const s = connect({ host: "127.0.0.1", port });
        s.once("connect", () => {
          s.destroy();
          r(true);
        });
        s.once("error", () => r(false));
      });
      if (ok) break;
      if (Date.now() > deadline)
        throw new Error(`lab on port ${port} did not start: ${children[i].said()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    ports,
    stop: () => {
      for (const c of children) c.child.kill();
    },
  };
}

export async function benchFleet({
  log = () => {},
  targets = 10_000,
  intervalMs = 60_000,
  runMs = 75_000,
  labs = 2,
  store: storeKind = "sqlite",
} = {}) {
  const { Monitor } = await import("../dist/monitor/monitor.js");
  const { systemClock } = await import("../dist/session/clock.js");
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-"));
  // "none": samples are counted and dropped (the engine alone).
  let store = {
    url: "none",
    write: async () => {},
    putTargets: async () => {},
    keepTrace: async () => {},
    compact: async () => ({}),
    close: async () => {},
  };
  if (storeKind === "sqlite") {
    const { openStore } = await import("../dist/monitor/store/open.js");
    store = await openStore(`sqlite:${join(dir, "bench.db")}`);
  }
  const lab = await startLabs(labs);
  const list = Array.from({ length: targets }, (_, i) => ({
    name: `sw-${i}`,
    host: "127.0.0.1",
    port: lab.ports[i % lab.ports.length],
    level: "telnet",
    timeoutMs: 10_000,
    connects: 3,
    intervalMs,
    tags: [],
  }));
  let failed = 0;
  let rounds = 0;
  const causes = {};
  const m = new Monitor({
    vantage: "bench",
    store,
    clock: systemClock,
    wallNow: Date.now,
    compactEveryMs: 0,
    concurrency: 512,
    onEvent: (e) => {
      if (e.kind !== "round") return;
      rounds++;
      if (!e.outcome.sample.ok) {
        failed++;
        causes[e.outcome.sample.cause] = (causes[e.outcome.sample.cause] ?? 0) + 1;
      }
    },
  });
  const h = monitorEventLoopDelay({ resolution: 10 });
  let rss = 0;
  const rssTimer = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage().rss);
  }, 500);
  try {
    h.enable();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await m.start(list);
    await new Promise((r) => setTimeout(r, runMs));
    const stats = m.stats;
    const cpu = process.cpuUsage(c0);
    const wallMs = performance.now() - t0;
    await m.stop();
    h.disable();
    const result = {
      targets,
      intervalS: intervalMs / 1000,
      runS: Math.round(wallMs / 1000),
      rounds,
      roundsPerSecond: Math.round((rounds / wallMs) * 1000 * 10) / 10,
      expectedPerSecond: Math.round((targets / intervalMs) * 1000 * 10) / 10,
      skipped: stats.scheduler.skipped,
      failed,
      causes,
      cpuPercentOfOneCore: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
      eventLoopDelayP99Ms: Math.round((h.percentile(99) / 1e6) * 10) / 10,
      peakRssMB: Math.round(rss / 1e6),
      stored: stats.writer.written,
      store: storeKind,
    };
    log(
      `monitor fleet: ${targets} targets every ${result.intervalS} s (telnet level, 3 connects), ${result.runS} s: ${result.roundsPerSecond} rounds/s (schedule ${result.expectedPerSecond}/s), ${result.skipped} skipped, ${failed} failed; CPU ${result.cpuPercentOfOneCore}% of one core, event-loop delay p99 ${result.eventLoopDelayP99Ms} ms, peak RSS ${result.peakRssMB} MB, ${result.stored} samples stored (${result.store})`,
    );
    return result;
  } finally {
    clearInterval(rssTimer);
    lab.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMonitor({ log = () => {}, fleet = {} } = {}) {
  const burst = await benchBurst({ log });
  const f = await benchFleet({ log, ...fleet });
  return { burst, fleet: f };
}
