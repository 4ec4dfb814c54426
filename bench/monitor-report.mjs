// `teldoc monitor report` over a fleet: 10,000 targets × 30 days of 1-h rollups (and, on a
// tenth of the fleet, of 5-min rollups), built in memory by the synthetic generator a chunk of
// targets at a time, then fed to the report builder; only the builder's time is measured (the
// generation is not). Goal: the 1-h report in under 2 s.
import { reportBuilder } from "../dist/monitor/analysis/builder.js";
import { SYNTHETIC_SINCE, synthetic } from "../dist/monitor/analysis/synthetic.js";

const DAY = 86_400_000;
const CHUNK = 500;

/** A fleet like a real one: mostly healthy, some noisy, a few with patterns to find. */
function chunkOptions(from, n, days, seconds) {
  const names = Array.from({ length: n }, (_, i) => `t${String(from + i + 1).padStart(5, "0")}`);
  const pick = (every) => names.filter((_, i) => (from + i) % every === 0);
  return {
    seed: 1 + from,
    days,
    seconds,
    targets: names,
    failureRate: 0.001,
    rates: Object.fromEntries(pick(10).map((t) => [t, 0.01])),
    windows: [{ targets: pick(50), weekday: 0, startUtc: "02:00", minutes: 30 }],
    rttSteps: pick(97).map((target) => ({ target, at: SYNTHETIC_SINCE + 12 * DAY, factor: 10 })),
    rtt: { medianMs: 5, sigma: 0.3 },
    samples: false,
    tags: (_t, i) => [`site:${(from + i) % 20}`, `role:${(from + i) % 3 ? "access" : "core"}`],
  };
}

function run({ targets, days, seconds }) {
  const until = SYNTHETIC_SINCE + days * DAY;
  const b = reportBuilder({ since: SYNTHETIC_SINCE, until });
  let ms = 0;
  let rollups = 0;
  for (let from = 0; from < targets; from += CHUNK) {
    const h = synthetic(chunkOptions(from, Math.min(CHUNK, targets - from), days, seconds));
    const t0 = performance.now();
    for (const r of h.rollups) b.addRollup(r);
    ms += performance.now() - t0;
    rollups += h.rollups.length;
  }
  const t0 = performance.now();
  const report = b.finish();
  ms += performance.now() - t0;
  return {
    targets,
    days,
    seconds,
    rollups,
    ms: Math.round(ms),
    rollupsPerSecond: Math.round(rollups / (ms / 1000)),
    findings: report.findings.length,
  };
}

export async function benchMonitorReport({ log = () => {}, targets = 10_000, days = 30 } = {}) {
  const hourly = run({ targets, days, seconds: 3600 });
  log(
    `monitor report  ${targets} targets × ${days} days of 1-h rollups (${hourly.rollups} rollups): ${hourly.ms} ms, ${hourly.rollupsPerSecond} rollups/s, ${hourly.findings} findings; goal < 2000 ms: ${hourly.ms < 2000 ? "met" : "MISSED"}`,
  );
  const fiveMin = run({ targets: Math.ceil(targets / 10), days, seconds: 300 });
  log(
    `monitor report  ${fiveMin.targets} targets × ${days} days of 5-min rollups (${fiveMin.rollups} rollups): ${fiveMin.ms} ms, ${fiveMin.rollupsPerSecond} rollups/s (× 10 for the fleet: ~${Math.round((fiveMin.ms * targets) / fiveMin.targets)} ms)`,
  );
  return { hourly, fiveMin, goalMs: 2000 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMonitorReport({ log: (l) => process.stdout.write(`${l}\n`) });
}
