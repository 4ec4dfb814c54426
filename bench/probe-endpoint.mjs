// `/probe` against Debian's prometheus-blackbox-exporter (its tcp_connect module) on the same
// loopback target, in the same run: probes per second with 32 requests in flight, and CPU per
// probe of each server process (read from /proc). teldoc answers level=tcp, connects=1 — one
// TCP connect, like tcp_connect — and also names the cause. Goal: >= 1x blackbox_exporter's
// probes per CPU-second.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { Agent, get } from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const BLACKBOX = "/usr/bin/prometheus-blackbox-exporter";
const CHILD = fileURLToPath(new URL("./probe-server.mjs", import.meta.url));
const TICK = 100; // clock ticks per second (USER_HZ)

function cpuSeconds(pid) {
  const f = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = f.slice(f.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / TICK;
}

function waitLine(child, pattern, ms = 10_000) {
  return new Promise((resolve, reject) => {
    let text = "";
    const t = setTimeout(() => reject(new Error(`no ${pattern} in ${ms} ms: ${text}`)), ms);
    const on = (b) => {
      text += b.toString();
      const m = pattern.exec(text);
      if (m) {
        clearTimeout(t);
        resolve(m);
      }
    };
    child.stdout.on("data", on);
    child.stderr.on("data", on);
  });
}

async function load(url, n, concurrency, check) {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let i = 0;
  let bad = 0;
  const one = () =>
    new Promise((resolve) => {
      get(url, { agent }, (res) => {
        let body = "";
        res.on("data", (b) => {
          body += b;
        });
        res.on("end", () => {
          if (!check(body)) bad++;
          resolve();
        });
      }).on("error", () => {
        bad++;
        resolve();
      });
    });
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (i++ < n) await one();
    }),
  );
  agent.destroy();
  return { ms: performance.now() - t0, bad };
}

async function measure(name, pid, url, n, concurrency, check) {
  await load(url, 300, concurrency, check); // warm
  const c0 = cpuSeconds(pid);
  const { ms, bad } = await load(url, n, concurrency, check);
  const cpu = cpuSeconds(pid) - c0;
  return {
    name,
    probesPerSecond: Math.round((n / ms) * 1000),
    cpuMsPerProbe: Math.round((cpu / n) * 1e6) / 1000,
    probesPerCpuSecond: Math.round(n / Math.max(cpu, 0.01)),
    bad,
  };
}

export async function benchProbeEndpoint({ log = () => {}, n = 5000, concurrency = 32 } = {}) {
  if (!existsSync(BLACKBOX)) {
    log(`probe     skipped: ${BLACKBOX} is missing (Debian package prometheus-blackbox-exporter)`);
    return { skipped: `${BLACKBOX} is missing` };
  }
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-probe-"));
  const target = createServer((s) => {
    s.on("error", () => {});
    s.end();
  });
  await new Promise((r) => target.listen(0, "127.0.0.1", r));
  const tport = target.address().port;
  writeFileSync(
    join(dir, "blackbox.yml"),
    "modules:\n  tcp_connect:\n    prober: tcp\n    timeout: 5s\n",
  );
  const bport = 20_000 + Math.floor(Math.random() * 20_000);
  const children = [];
  try {
    const bb = spawn(
      BLACKBOX,
      [`--config.file=${join(dir, "blackbox.yml")}`, `--web.listen-address=127.0.0.1:${bport}`],
      { stdio: ["ignore", "pipe", "pipe"] },
    );
    children.push(bb);
    await waitLine(bb, /Listening on|listening/i);
    const td = spawn(process.execPath, [CHILD], { stdio: ["ignore", "pipe", "pipe"] });
    children.push(td);
    const [, port] = await waitLine(td, /^(\d+)$/m);
    const teldoc = await measure(
      "teldoc",
      td.pid,
      `http://127.0.0.1:${port}/probe?target=127.0.0.1:${tport}&level=tcp&connects=1`,
      n,
      concurrency,
      (b) => /^probe_success 1$/m.test(b) && /cause="healthy"/.test(b),
    );
    const blackbox = await measure(
      "blackbox_exporter",
      bb.pid,
      `http://127.0.0.1:${bport}/probe?target=127.0.0.1:${tport}&module=tcp_connect`,
      n,
      concurrency,
      (b) => /^probe_success 1$/m.test(b),
    );
    const result = {
      n,
      concurrency,
      teldoc,
      blackbox,
      throughputRatio: Math.round((teldoc.probesPerSecond / blackbox.probesPerSecond) * 100) / 100,
      perCpuRatio:
        Math.round((teldoc.probesPerCpuSecond / blackbox.probesPerCpuSecond) * 100) / 100,
      goal: 1,
    };
    log(
      `probe     /probe tcp, ${n} requests, ${concurrency} in flight: teldoc ${teldoc.probesPerSecond}/s (${teldoc.cpuMsPerProbe} ms CPU each), blackbox_exporter ${blackbox.probesPerSecond}/s (${blackbox.cpuMsPerProbe} ms CPU each); per CPU-second ${result.perCpuRatio}x, throughput ${result.throughputRatio}x (goal >= 1x per core: ${result.perCpuRatio >= 1 ? "met" : "MISSED"}); teldoc also names the cause`,
    );
    return result;
  } finally {
    for (const c of children) c.kill("SIGKILL");
    target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
