/**
 * @module Run a system tool (ping, tracepath, mtr, traceroute) with a time limit. A tool that
 * is absent or not permitted is a result, not an error: the route check degrades gracefully.
 */
import { spawn } from "node:child_process";
import { type Clock, systemClock } from "../../session/clock.js";

export interface ToolRun {
  /** ok: exited (any code); absent: not installed; denied: not permitted; timeout: killed at the limit. */
  readonly status: "ok" | "absent" | "denied" | "timeout";
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
}

const MAX_OUTPUT = 256 * 1024;

/**
 * Run `cmd args` for at most `timeoutMs`; whatever it printed by then is kept (tracepath and
 * traceroute print hop by hop, so a partial path is still a path).
 * @example await runTool("ping", ["-c", "1", "127.0.0.1"], 3000)
 */
export function runTool(
  cmd: string,
  args: readonly string[],
  timeoutMs: number,
  signal?: AbortSignal,
  clock: Clock = systemClock,
): Promise<ToolRun> {
  const t0 = clock.now();
  return new Promise((resolve) => {
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    let settled = false;
    const child = spawn(cmd, args, {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, LC_ALL: "C" },
    });
    const finish = (status: ToolRun["status"], exitCode: number | null) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      signal?.removeEventListener("abort", onAbort);
      resolve({ status, exitCode, stdout, stderr, durationMs: clock.now() - t0 });
    };
    const kill = () => {
      timedOut = true;
      child.kill("SIGKILL");
    };
    const onAbort = () => kill();
    // The child keeps the process alive while the timer waits.
    const timer = clock.after(timeoutMs, kill);
    signal?.addEventListener("abort", onAbort, { once: true });
    child.stdout.on("data", (b: Buffer) => {
      if (stdout.length < MAX_OUTPUT) stdout += b.toString("utf8");
    });
    child.stderr.on("data", (b: Buffer) => {
      if (stderr.length < MAX_OUTPUT) stderr += b.toString("utf8");
    });
    child.on("error", (err: NodeJS.ErrnoException) =>
      finish(err.code === "ENOENT" ? "absent" : err.code === "EACCES" ? "denied" : "ok", null),
    );
    child.on("close", (code) => {
      if (timedOut) return finish("timeout", code);
      const denied = /operation not permitted|permission denied|must be root|requires root/i.test(
        stderr,
      );
      finish(denied && code !== 0 ? "denied" : "ok", code);
    });
  });
}

/** True when this process runs as root (raw sockets, fast probe intervals). */
export function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}
