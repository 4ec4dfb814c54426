/**
 * @module The live host's processes as server-check needs them (proc(5)): pid, comm, argv and
 * the socket inodes each holds open (`socket:[N]` links under /proc/PID/fd). Read-only; a
 * process that ends while it is read, or whose fds are not ours to read, is skipped quietly.
 */
import { readdir, readFile, readlink } from "node:fs/promises";

export interface ProcessInfo {
  readonly pid: number;
  readonly comm: string;
  readonly argv: readonly string[];
  readonly sockets: ReadonlySet<string>;
}

async function socketsOf(pid: string): Promise<Set<string>> {
  const out = new Set<string>();
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  for (const fd of fds) {
    const m = /^socket:\[(\d+)\]$/.exec(await readlink(`/proc/${pid}/fd/${fd}`).catch(() => ""));
    if (m?.[1]) out.add(m[1]);
  }
  return out;
}

/** Every process with its comm, argv and socket inodes. */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const pids = (await readdir("/proc").catch(() => [] as string[])).filter((n) => /^\d+$/.test(n));
  const out: ProcessInfo[] = [];
  for (const pid of pids) {
    const comm = await readFile(`/proc/${pid}/comm`, "utf8").catch(() => undefined);
    if (comm === undefined) continue;
    const cmdline = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    out.push({
      pid: Number(pid),
      comm: comm.trim(),
      argv: cmdline.split("\0").filter((a) => a !== ""),
      sockets: await socketsOf(pid),
    });
  }
  return out;
}
