/**
 * @module `teldoc monitor report|export|import`: what the monitor stored, read back — the
 * patterns found (text, `--json`, `--markdown`), the samples as JSON Lines, and JSON Lines into
 * a store (a backup restored, or a move from SQLite to PostgreSQL).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { TeldocError } from "../errors.js";
import { reportMarkdown, reportText } from "../monitor/analysis/index.js";
import { readReport } from "../monitor/report-read.js";
import { openStore } from "../monitor/store/open.js";
import type { Store } from "../monitor/store/types.js";
import { exportSamples, importSamples } from "../monitor/transfer.js";
import { parseDuration } from "../util/duration.js";
import { toJson } from "../util/json.js";
import {
  DEFAULT_DB,
  type MonitorExportFlags,
  type MonitorImportFlags,
  type MonitorReportFlags,
} from "./options/monitor.js";

const DAY_MS = 86_400_000;

/**
 * A period back from now: the durations of the contract plus days and weeks (`7d`, `4w`).
 * @example parseSince("7d") // 604800000
 */
export function parseSince(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(d|w)\s*$/i.exec(text);
  if (m) {
    const ms = Number(m[1]) * (m[2]!.toLowerCase() === "w" ? 7 * DAY_MS : DAY_MS);
    if (ms <= 0)
      throw new TeldocError("TELDOC_ERR_BAD_DURATION", `--since: "${text}" must be more than 0`);
    return ms;
  }
  return parseDuration(text, "--since");
}

/** The store to read: --db, else the default file in the current directory. */
async function storeOf(db: string | undefined): Promise<Store> {
  return openStore(db ?? DEFAULT_DB);
}

async function withStore<T>(db: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await storeOf(db);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/** `teldoc monitor report`. */
export async function runMonitorReport(flags: MonitorReportFlags): Promise<number> {
  const periodMs = flags.since !== undefined ? parseSince(flags.since) : 7 * DAY_MS;
  const until = Date.now();
  const report = await withStore(flags.db, (store) =>
    readReport(store, {
      since: until - periodMs,
      until,
      ...(flags.target !== undefined ? { target: flags.target } : {}),
      ...(flags.vantage !== undefined ? { vantage: flags.vantage } : {}),
    }),
  );
  if (flags.json) process.stdout.write(`${toJson(report)}\n`);
  else if (flags.markdown) process.stdout.write(reportMarkdown(report));
  else process.stdout.write(reportText(report));
  return 0;
}

/** Write a line (with its newline) to stdout, waiting when the pipe is full (bounded memory). */
function writeOut(line: string): Promise<void> | void {
  if (process.stdout.write(line)) return;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** `teldoc monitor export`. */
export async function runMonitorExport(flags: MonitorExportFlags): Promise<number> {
  const since = flags.since !== undefined ? Date.now() - parseSince(flags.since) : undefined;
  await withStore(flags.db, (store) =>
    exportSamples(store, since !== undefined ? { since } : {}, writeOut),
  );
  return 0;
}

/** `teldoc monitor import FILE|-`. */
export async function runMonitorImport(file: string, flags: MonitorImportFlags): Promise<number> {
  const input = file === "-" ? process.stdin : createReadStream(file);
  const opened = new Promise<void>((resolve, reject) => {
    if (file === "-") return resolve();
    input.once("open", () => resolve());
    input.once("error", (e: NodeJS.ErrnoException) =>
      reject(new TeldocError("TELDOC_ERR_USAGE", `cannot read ${file}: ${e.code ?? e.message}`)),
    );
  });
  await opened;
  const where = file === "-" ? "stdin" : file;
  // The reader is made once the store is open: lines read before anyone iterates are lost.
  const count = await withStore(flags.db, (store) =>
    importSamples(store, createInterface({ input, crlfDelay: Number.POSITIVE_INFINITY }), where),
  );
  process.stderr.write(`imported ${count} sample(s)\n`);
  return 0;
}
