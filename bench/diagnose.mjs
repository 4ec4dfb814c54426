// `teldoc diagnose` on a healthy loopback host (the lab's healthy server): wall time of the
// real CLI (node start included) and the checklist's own time, median of 7 runs; every check
// that runs by default (dns, route with ping and path tools, tcp, telnet, ssh). Goal: < 2 s.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const BIN = fileURLToPath(new URL("../bin/teldoc.js", import.meta.url));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
};

export async function benchDiagnose({ log = () => {}, runs = 7 } = {}) {
  const { startLab } = await import("../dist/lab/server.js");
  const lab = await startLab({ scenario: "healthy", port: 0 });
  const wall = [];
  const inner = [];
  const checks = {};
  let verdict;
  try {
    // Node's own start, for scale.
    const n0 = performance.now();
    await run(process.execPath, ["-e", "0"]);
    const nodeStartMs = performance.now() - n0;
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      const { stdout } = await run(process.execPath, [
        BIN,
        "diagnose",
        "127.0.0.1",
        String(lab.port),
        "--json",
      ]).catch((e) => e);
      wall.push(performance.now() - t0);
      const report = JSON.parse(stdout);
      verdict = report.verdict.cause;
      inner.push(report.durationMs);
      for (const c of report.checks) {
        checks[c.id] ??= [];
        checks[c.id].push(c.durationMs);
      }
    }
    const result = {
      runs,
      verdict,
      wallMs: Math.round(median(wall)),
      checklistMs: Math.round(median(inner)),
      nodeStartMs: Math.round(nodeStartMs),
      checks: Object.fromEntries(
        Object.entries(checks).map(([id, xs]) => [id, Math.round(median(xs))]),
      ),
      goalMs: 2000,
    };
    log(
      `diagnose  healthy loopback: ${result.wallMs} ms wall (node start ${result.nodeStartMs} ms), checklist ${result.checklistMs} ms, verdict ${verdict}`,
    );
    return result;
  } finally {
    await lab.close();
  }
}
