/**
 * @module Test support: run the real CLI (bin/teldoc.js) as a child process, collect its
 * output, SIGKILL it after a bound. Used by the CLI and end-to-end tests.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** The real CLI, relative to this compiled file (dist/testing/ -> bin/). */
export const TELDOC_BIN = fileURLToPath(new URL("../../bin/teldoc.js", import.meta.url));

export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  /** True when the run hit `limitMs` and was killed. */
  readonly killed: boolean;
}

/**
 * Run `teldoc ARGS`; NO_COLOR is set unless `env` says otherwise. `input` is piped to its
 * stdin (then closed); without it, stdin is /dev/null.
 * @example const r = await runTeldoc(["diagnose", "127.0.0.1", "2323", "--json"]);
 */
export function runTeldoc(
  args: readonly string[],
  opts: { env?: Record<string, string>; limitMs?: number; input?: string } = {},
): Promise<CliRun> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, [TELDOC_BIN, ...args], {
      env: { ...process.env, NO_COLOR: "1", ...opts.env },
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    child.stdin?.on("error", () => {}); // it may exit before reading all of it
    child.stdin?.end(opts.input);
    let stdout = "";
    let stderr = "";
    let killed = false;
    child.stdout?.on("data", (b: Buffer) => {
      stdout += b.toString();
    });
    child.stderr?.on("data", (b: Buffer) => {
      stderr += b.toString();
    });
    const timer = setTimeout(() => {
      killed = true;
      child.kill("SIGKILL");
    }, opts.limitMs ?? 20_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: Date.now() - t0, killed });
    });
  });
}
