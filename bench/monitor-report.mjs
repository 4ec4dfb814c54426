// `teldoc monitor report` over a fleet: 10,000 targets × 30 days. `benchMonitorReport`: the
// analysis alone, over 1-h rollups (and, on a tenth of the fleet, 5-min rollups) built in
// memory by the synthetic generator a chunk of targets at a time; only the builder's time is
// measured. `benchMonitorReportStore`: end to end from a real SQLite store, through
// `readReport` (what `teldoc monitor report` runs): the days with their hours (one row per
// target and day) against every 1-h rollup in the same run. Goal: under 2 s.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual } from "node:util";
import Database from "better-sqlite3";
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

/**
 * A rollup's accumulator with a made-up sketch whose nearest-rank p50/p90 fall on the rollup's
 * (1 connect at min, up to half at p50, up to 90 % at p90, the rest at max).
 */
function accOf(r, sketchKey) {
  const n = r.answered;
  const sketch = new Map();
  const put = (ms, count) => {
    if (count <= 0) return;
    const k = sketchKey(ms);
    sketch.set(k, (sketch.get(k) ?? 0) + count);
  };
  const { min, p50, p90, max } = r.rttMs;
  if (n > 0 && p50 !== null) {
    const [c50, c90] = [Math.ceil(0.5 * n), Math.ceil(0.9 * n)];
    put(min, 1);
    put(p50, c50 - 1);
    put(p90, c90 - c50);
    put(max, n - c90);
  }
  return {
    start: r.start,
    seconds: r.seconds,
    vantage: r.vantage,
    target: r.target,
    rounds: r.rounds,
    ok: r.ok,
    skipped: r.skipped,
    byCause: r.byCause,
    byStage: r.byStage,
    sent: r.sent,
    answered: r.answered,
    rttMin: n > 0 ? min : null,
    rttMax: n > 0 ? max : null,
    sketch,
  };
}

/**
 * The bench-only bulk path: a SQLite store of `targets` × `days` written straight into its
 * tables (the store's own schema and codecs): every 1-h rollup, the days built from them by the
 * store's `dayOfHours`, the failed samples of the last 7 days (raw retention), the targets with
 * their tags. Writing 7.2 M rollups through `write()` would take the bench an hour.
 */
async function buildStore(path, targets, days) {
  const { openStore } = await import("../dist/monitor/store/open.js");
  const until = SYNTHETIC_SINCE + days * DAY;
  const store = await openStore(`sqlite:${path}`);
  const infos = [];
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = OFF");
  const write = await chunkWriter(db, until);
  let rows = 0;
  let failures = 0;
  for (let from = 0; from < targets; from += CHUNK) {
    const h = synthetic({
      ...chunkOptions(from, Math.min(CHUNK, targets - from), days, 3600),
      samples: true,
    });
    infos.push(...h.targets);
    const n = db.transaction(() => write(h, `chunk${from}.example`))();
    rows += n.rows;
    failures += n.failures;
  }
  db.close();
  await store.putTargets("office-lan", infos);
  await store.close();
  return { rows, failures, until };
}

/** Writes one chunk's series: its 1-h rollups, its days, its failed samples since `until` − 7 d. */
async function chunkWriter(db, until) {
  const { encodeAcc, encodeMeasures, packStatus } = await import("../dist/monitor/store/codec.js");
  const { dayOfHours } = await import("../dist/monitor/store/day-hours.js");
  const { encodeDay } = await import("../dist/monitor/store/day-codec.js");
  const { sketchKey } = await import("../dist/monitor/store/rtt-sketch.js");
  const sql = (s) => db.prepare(s);
  const addSeries = sql("INSERT INTO series (vantage, target) VALUES (?, ?)");
  const addEndpoint = sql("INSERT INTO endpoint (host, port, level) VALUES (?, ?, ?)");
  const addRollup = sql("INSERT INTO rollup (seconds, series, bucket, data) VALUES (?, ?, ?, ?)");
  const addSample = sql(
    "INSERT INTO sample (series, t, endpoint, status, m, evidence) VALUES (?, ?, ?, ?, ?, ?)",
  );
  return (h, host) => {
    const ids = new Map();
    let hours = [];
    const flush = () => {
      if (!hours.length) return;
      const { acc, hours: dayHours } = dayOfHours(hours);
      addRollup.run(86400, ids.get(acc.target), acc.start / DAY, encodeDay(acc, dayHours));
      hours = [];
    };
    for (const r of h.rollups) {
      if (!ids.has(r.target)) {
        flush();
        ids.set(r.target, addSeries.run(r.vantage, r.target).lastInsertRowid);
      }
      const acc = accOf(r, sketchKey);
      if (hours.length && Math.floor(hours[0].start / DAY) !== Math.floor(r.start / DAY)) flush();
      hours.push(acc);
      addRollup.run(3600, ids.get(r.target), r.start / 3_600_000, encodeAcc(acc));
    }
    flush();
    const endpoint = addEndpoint.run(host, 23, "telnet").lastInsertRowid;
    let failures = 0;
    for (const f of h.failures) {
      const t = Date.parse(f.t);
      if (t < until - 7 * DAY) continue;
      const m = encodeMeasures(f.connects, f.timings, f.durationMs);
      const status = packStatus({ ...f, skipped: false });
      addSample.run(ids.get(f.target), t, endpoint, status, m, JSON.stringify(f.evidence));
      failures++;
    }
    return { rows: h.rollups.length, failures };
  };
}

async function timed(fn) {
  const t0 = performance.now();
  const out = await fn();
  return { ms: Math.round(performance.now() - t0), out };
}

async function count(it) {
  let n = 0;
  for await (const _ of it) n++;
  return n;
}

/**
 * In a fresh process (a clean heap, as `teldoc monitor report` has): `readReport` over the days
 * first (cold, what one CLI run sees) and again (warm); then its reads alone, streamed and
 * dropped as it streams them — the days, the failed rounds it reads (those of minutes that
 * could be correlated) and all of them — the analysis being the rest of the warm run; then
 * the 1-h path, read alone and end to end.
 */
async function measure(path, since, until) {
  const { openStore } = await import("../dist/monitor/store/open.js");
  const { readReport } = await import("../dist/monitor/report-read.js");
  const store = await openStore(`sqlite:${path}`);
  try {
    const q = { since, until };
    const cold = await timed(() => readReport(store, q));
    const warm = await timed(() => readReport(store, q));
    const dayRead = await timed(() => count(store.days(q)));
    const b = reportBuilder({ ...q, targets: await store.targets() });
    for await (const d of store.days(q)) b.addDay(d);
    const minPerMinute = b.failuresWorthReading();
    const failRead = await timed(() => count(store.failures({ ...q, minPerMinute })));
    const allFailures = await timed(() => count(store.failures(q)));
    const hourRead = await timed(() => count(store.rollups({ ...q, seconds: 3600 })));
    const hours = await timed(() => readReport(store, { ...q, read: "hours" }));
    return {
      days: dayRead.out,
      hourRows: hourRead.out,
      minPerMinute,
      failedRoundsRead: failRead.out,
      failedRounds: allFailures.out,
      coldMs: cold.ms,
      warmMs: warm.ms,
      readDaysMs: dayRead.ms,
      readFailuresMs: failRead.ms,
      readAllFailuresMs: allFailures.ms,
      analysisMs: warm.ms - dayRead.ms - failRead.ms,
      hoursReadMs: hourRead.ms,
      hoursEndToEndMs: hours.ms,
      findings: cold.out.findings.length,
      sameFindings: isDeepStrictEqual(cold.out.findings, hours.out.findings),
    };
  } finally {
    await store.close();
  }
}

/** `measure` in a child process; its result. */
function measureApart(path, since, until) {
  const me = fileURLToPath(import.meta.url);
  const out = execFileSync(
    process.execPath,
    [me, "--measure", path, String(since), String(until)],
    {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    },
  );
  return JSON.parse(out);
}

function logResult(log, r) {
  log(
    `monitor report  from SQLite, days with their hours: ${r.coldMs} ms end to end (a fresh process, as one CLI run; ${r.warmMs} ms again): read ${r.days} days ${r.readDaysMs} ms, ${r.failedRoundsRead} failed rounds of minutes with ${r.minPerMinute}+ ${r.readFailuresMs} ms (all ${r.failedRounds}: ${r.readAllFailuresMs} ms), analysis the rest ~${r.analysisMs} ms; ${r.findings} findings; goal < 2000 ms: ${r.coldMs < 2000 ? "met" : "MISSED"}`,
  );
  log(
    `monitor report  from SQLite, every 1-h rollup (the reference, same run): ${r.hoursEndToEndMs} ms end to end (read ${r.hourRows} rollups ${r.hoursReadMs} ms); ${(r.hoursEndToEndMs / r.coldMs).toFixed(1)}x the day path; same findings: ${r.sameFindings ? "yes" : "NO"}`,
  );
}

/** End to end from SQLite: the day path and the 1-h path, each read alone and in full. */
export async function benchMonitorReportStore({
  log = () => {},
  targets = 10_000,
  days = 30,
} = {}) {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-report-"));
  try {
    const path = join(dir, "report.db");
    const built = await timed(() => buildStore(path, targets, days));
    const { rows, failures, until } = built.out;
    log(
      `monitor report  store: ${targets} targets × ${days} days: ${rows} 1-h rollups, ${rows / 24} days, ${failures} failed samples (last 7 days), built in ${Math.round(built.ms / 1000)} s`,
    );
    const result = { targets, days, ...measureApart(path, SYNTHETIC_SINCE, until), goalMs: 2000 };
    logResult(log, result);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const at = process.argv.indexOf("--measure");
  if (at > 0) {
    const [path, since, until] = process.argv.slice(at + 1);
    process.stdout.write(JSON.stringify(await measure(path, Number(since), Number(until))));
  } else {
    const log = (l) => process.stdout.write(`${l}\n`);
    const targets = Number(process.env.TARGETS ?? 10_000);
    if (!process.argv.includes("--store-only")) await benchMonitorReport({ log, targets });
    await benchMonitorReportStore({ log, targets });
  }
}
