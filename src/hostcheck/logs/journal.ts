/**
 * @module `--journal`: systemd's journal through `journalctl -o json` (one JSON object a line),
 * from `--since` on. journalctl missing is said plainly, with what to give instead.
 */
import { spawn } from "node:child_process";
import { TeldocError } from "../../errors.js";
import { type LineSource, splitLines } from "./lines.js";

export interface JournalOptions {
  /** Entries from this time on (ms since the epoch). */
  readonly since?: number;
  /** The journalctl to run (default: `journalctl` on PATH). */
  readonly journalctl?: string;
  /** More arguments (tests: `--directory`, `--file`). */
  readonly args?: readonly string[];
}

const MISSING =
  "journalctl was not found: --journal reads systemd's journal with it. On a host without systemd, give the log files instead (e.g. teldoc logs /var/log/auth.log /var/log/messages)";

/**
 * The journal as a line source; the error when journalctl is missing or fails is a TeldocError.
 * @example const src = journalLines({ since: Date.now() - 3_600_000 });
 */
export function journalLines(options: JournalOptions = {}): LineSource {
  const args = ["-o", "json", "--no-pager", ...(options.args ?? [])];
  if (options.since !== undefined) args.push(`--since=@${Math.floor(options.since / 1000)}`);
  return {
    name: "journal",
    reference: Date.now(),
    batches: run(options.journalctl ?? "journalctl", args),
  };
}

async function* run(bin: string, args: string[]): AsyncGenerator<string[]> {
  const child = spawn(bin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    if (stderr.length < 4096) stderr += d.toString();
  });
  const exited = new Promise<{ code: number | null; error?: NodeJS.ErrnoException }>((resolve) => {
    child.once("error", (error: NodeJS.ErrnoException) => resolve({ code: null, error }));
    child.once("close", (code) => resolve({ code }));
  });
  try {
    yield* splitLines(child.stdout);
  } finally {
    if (child.exitCode === null) child.kill();
  }
  const { code, error } = await exited;
  if (error?.code === "ENOENT") throw new TeldocError("TELDOC_ERR_USAGE", MISSING);
  if (error)
    throw new TeldocError("TELDOC_ERR_USAGE", `journalctl could not run: ${error.message}`);
  if (code !== 0)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `journalctl failed (exit ${code}): ${stderr.trim() || "no message"}`,
    );
}
