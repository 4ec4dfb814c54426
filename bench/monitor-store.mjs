// The monitor's SQLite store: samples written per second (batches of 1,000 realistic samples:
// ~97 % healthy, failures with evidence, a few skipped), against a bare better-sqlite3 insert
// of the same rows as JSON text into a one-column table (same pragmas, one transaction per
// batch); database bytes per target and year at a 60 s interval with the default retention,
// MEASURED by writing one target's 400 days the way the monitor does (one write a minute,
// compaction once a simulated day) and checked against many interleaved targets; and rollups
// read per second by `rollups()` over 10,000 targets × 30 days of 1-h rollups (the `report`).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";

const DAY = 86_400_000;

function dbBytes(path) {
  const db = new Database(path);
  db.pragma("wal_checkpoint(TRUNCATE)");
  const pageSize = db.pragma("page_size", { simple: true });
  const pages = db.pragma("page_count", { simple: true });
  const free = db.pragma("freelist_count", { simple: true });
  db.close();
  return { used: (pages - free) * pageSize, file: statSync(path).size };
}

async function writeRate(dir, history, batches) {
  const { openStore } = await import("../dist/monitor/store/open.js");
  const targets = Array.from({ length: 1000 }, (_, i) => `sw-${String(i).padStart(4, "0")}`);
  const rounds = Array.from({ length: batches }, (_, r) =>
    history({ targets, start: Date.UTC(2026, 0, 1) + r * 60_000, rounds: 1, seed: r + 1 }),
  );
  const store = await openStore(`sqlite:${join(dir, "rate.db")}`);
  const t0 = performance.now();
  for (const batch of rounds) await store.write(batch);
  const storeS = (performance.now() - t0) / 1000;
  await store.close();

  const path = join(dir, "json.db");
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = FULL");
  db.exec("CREATE TABLE s (j TEXT NOT NULL)");
  const insert = db.prepare("INSERT INTO s (j) VALUES (?)");
  const tx = db.transaction((batch) => {
    for (const s of batch) insert.run(JSON.stringify(s));
  });
  const t1 = performance.now();
  for (const batch of rounds) tx(batch);
  const jsonS = (performance.now() - t1) / 1000;
  db.close();
  const n = batches * 1000;
  return {
    samples: n,
    perSecond: Math.round(n / storeS),
    jsonPerSecond: Math.round(n / jsonS),
    vsJson: Number((jsonS / storeS).toFixed(2)),
    bytesPerSample: Math.round(dbBytes(join(dir, "rate.db")).used / n),
    jsonBytesPerSample: Math.round(dbBytes(path).used / n),
  };
}

/** One target (or several, interleaved) for `days` at 60 s, a write a minute, compaction daily. */
async function simulate(dir, name, targets, days, history) {
  const { openStore } = await import("../dist/monitor/store/open.js");
  const path = join(dir, `${name}.db`);
  const store = await openStore(`sqlite:${path}`);
  const start = Date.UTC(2025, 0, 1);
  const t0 = performance.now();
  for (let d = 0; d < days; d++) {
    const day = history({ targets, start: start + d * DAY, rounds: 1440, seed: d + 1 });
    for (let i = 0; i < day.length; i += targets.length)
      await store.write(day.slice(i, i + targets.length));
    await store.compact(start + (d + 1) * DAY);
  }
  const seconds = (performance.now() - t0) / 1000;
  await store.close();
  const bytes = dbBytes(path);
  return {
    ...bytes,
    perTarget: Math.round(bytes.used / targets.length),
    seconds: Math.round(seconds),
  };
}

/** 10,000 targets × 30 days of 1-h rollups (realistic blobs), read back through `rollups()`. */
export async function rollupRead(dir, history, targets, days) {
  const { openStore } = await import("../dist/monitor/store/open.js");
  const { foldSamples } = await import("../dist/monitor/store/rollup.js");
  const { encodeAcc } = await import("../dist/monitor/store/codec.js");
  const path = join(dir, "report.db");
  const store = await openStore(`sqlite:${path}`);
  await store.close();
  const pool = foldSamples(
    history({ targets: ["x"], start: Date.UTC(2026, 0, 1), rounds: 60 * 200, seed: 9 }),
    3600,
  ).map((acc) => encodeAcc(acc));
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  const addSeries = db.prepare("INSERT INTO series (vantage, target) VALUES (?, ?)");
  const addRollup = db.prepare(
    "INSERT INTO rollup (seconds, series, bucket, data) VALUES (3600, ?, ?, ?)",
  );
  const first = Math.floor(Date.UTC(2026, 0, 1) / 3_600_000);
  const hours = days * 24;
  db.transaction(() => {
    for (let t = 0; t < targets; t++) {
      const id = addSeries.run("lan", `sw-${String(t).padStart(5, "0")}`).lastInsertRowid;
      for (let h = 0; h < hours; h++) addRollup.run(id, first + h, pool[(t + h) % pool.length]);
    }
  })();
  db.close();
  const again = await openStore(`sqlite:${path}`);
  const t0 = performance.now();
  let rows = 0;
  let rounds = 0;
  for await (const r of again.rollups({ seconds: 3600 })) {
    rows++;
    rounds += r.rounds;
  }
  const seconds = (performance.now() - t0) / 1000;
  await again.close();
  return {
    targets,
    days,
    rows,
    rounds,
    seconds: Number(seconds.toFixed(2)),
    rowsPerSecond: Math.round(rows / seconds),
  };
}

export async function benchMonitorStore({ log = () => {}, quick = false } = {}) {
  const { history } = await import("../dist/testing/monitor-samples.js");
  const { DEFAULT_RETENTION } = await import("../dist/monitor/store/types.js");
  const dir = mkdtempSync(join(tmpdir(), "teldoc-bench-store-"));
  try {
    const rate = await writeRate(dir, history, quick ? 20 : 100);
    log(
      `monitor-store  write: ${rate.perSecond} samples/s (batches of 1,000; WAL, synchronous=FULL; rollups kept at write), bare JSON insert ${rate.jsonPerSecond}/s (${rate.vsJson}x); ${rate.bytesPerSample} B/sample raw+index+rollups vs ${rate.jsonBytesPerSample} B as JSON`,
    );
    const year = await simulate(dir, "year", ["core-sw1"], quick ? 60 : 400, history);
    log(
      `monitor-store  one target, ${quick ? 60 : 400} days at 60 s, compacted daily (retention ${DEFAULT_RETENTION.rawDays} d raw, ${DEFAULT_RETENTION.rollup5mDays} d 5-min, ${DEFAULT_RETENTION.rollup1hDays} d 1-h): ${(year.used / 1e6).toFixed(2)} MB used (${(year.file / 1e6).toFixed(2)} MB file) in ${year.seconds} s; goal <= 2 MB: ${year.used <= 2e6 ? "met" : "MISSED"}`,
    );
    const fleet = await simulate(
      dir,
      "fleet",
      Array.from({ length: 50 }, (_, i) => `sw${i}`),
      10,
      history,
    );
    log(
      `monitor-store  50 targets interleaved, ${10} days: ${(fleet.perTarget / 1e3).toFixed(0)} kB per target (${(fleet.used / 1e6).toFixed(2)} MB used) in ${fleet.seconds} s`,
    );
    const read = await rollupRead(dir, history, quick ? 1000 : 10_000, 30);
    log(
      `monitor-store  rollups(): ${read.rows} 1-h rollups (${read.targets} targets × ${read.days} days) in ${read.seconds} s = ${read.rowsPerSecond} rows/s (a report past 3 days reads days instead: monitor-report.mjs)`,
    );
    return { rate, year, fleet, read, goalBytesPerTargetYear: 2e6 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await benchMonitorStore({ log: console.log, quick: process.argv.includes("--quick") });
}
