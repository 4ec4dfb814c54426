/**
 * @module `teldoc monitor report|export|import`: what the monitor stored, read back — the
 * patterns found (text, `--json`, `--markdown`), the samples as JSON Lines, and JSON Lines into
 * a store (a backup restored, or a move from SQLite to PostgreSQL).
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { TeldocError } from "../errors.js";
import { HeldCollector, type HeldSummary } from "../monitor/analysis/held.js";
import {
  type Report,
  reportMarkdown,
  reportText,
  type TargetReport,
} from "../monitor/analysis/index.js";
import { readReport } from "../monitor/report-read.js";
import { openStore } from "../monitor/store/open.js";
import type { Store } from "../monitor/store/types.js";
import { exportSamples, importSamples } from "../monitor/transfer.js";
import { parsePeriod } from "../util/duration.js";
import { toJson } from "../util/json.js";
import {
  DEFAULT_DB,
  type MonitorExportFlags,
  type MonitorImportFlags,
  type MonitorReportFlags,
} from "./options/monitor.js";

const DAY_MS = 86_400_000;

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

/** A report with each target's held-session summary (idle-related drops), where there is one. */
type WithHeld = Omit<Report, "targets"> & {
  readonly targets: readonly (TargetReport & { held?: HeldSummary })[];
};

function withHeld(report: Report, held: HeldCollector): WithHeld {
  const of = (target: string, vantage: string) =>
    report.targets.find((t) => t.target === target && t.vantage === vantage);
  const summaries = held.finish((t, v) => of(t, v)?.availability ?? null);
  const targets = report.targets.map((t) => {
    const own = summaries.find((s) => s.target === t.target && s.vantage === t.vantage);
    return own ? { ...t, held: own } : t;
  });
  return { ...report, targets };
}

/** The held-session lines under the report, for people. */
function heldText(report: WithHeld, format: "text" | "markdown"): string {
  const lines = report.targets.flatMap((t) =>
    t.held
      ? [
          `${format === "markdown" ? "- **" : ""}${t.target}${format === "markdown" ? "**" : ""} from ${t.vantage}: ${t.held.summary}`,
        ]
      : [],
  );
  if (lines.length === 0) return "";
  const head =
    format === "markdown"
      ? "\n## Held sessions (idle-related drops)\n\n"
      : "\nHeld sessions (idle-related drops):\n";
  return `${head}${lines.map((l) => (format === "markdown" ? l : `  ${l}`)).join("\n")}\n`;
}

/** `teldoc monitor report`. */
export async function runMonitorReport(flags: MonitorReportFlags): Promise<number> {
  const periodMs = flags.since !== undefined ? parsePeriod(flags.since, "--since") : 7 * DAY_MS;
  const until = Date.now();
  const since = until - periodMs;
  const only = {
    ...(flags.target !== undefined ? { target: flags.target } : {}),
    ...(flags.vantage !== undefined ? { vantage: flags.vantage } : {}),
  };
  const report = await withStore(flags.db, async (store) => {
    const base = await readReport(store, { since, until, ...only });
    // Held sessions' deaths, read only for the held series (NAME/held) the report has.
    const held = new HeldCollector();
    for (const t of base.targets.filter((x) => x.target.endsWith("/held")))
      for await (const s of store.samples({
        since,
        until,
        target: t.target,
        vantage: t.vantage,
        failedOnly: true,
      }))
        held.add(s);
    return withHeld(base, held);
  });
  if (flags.json) process.stdout.write(`${toJson(report)}\n`);
  else if (flags.markdown)
    process.stdout.write(reportMarkdown(report) + heldText(report, "markdown"));
  else process.stdout.write(reportText(report) + heldText(report, "text"));
  return 0;
}

/** Write a line (with its newline) to stdout, waiting when the pipe is full (bounded memory). */
function writeOut(line: string): Promise<void> | void {
  if (process.stdout.write(line)) return;
  return new Promise((resolve) => process.stdout.once("drain", resolve));
}

/** `teldoc monitor export`. */
export async function runMonitorExport(flags: MonitorExportFlags): Promise<number> {
  const since =
    flags.since !== undefined ? Date.now() - parsePeriod(flags.since, "--since") : undefined;
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
