/**
 * @module Test support: free loopback ports, and a daemon's process tree stopped for good (every
 * wait bounded).
 */
import type { ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { readdir, readFile, readlink, rm } from "node:fs/promises";
import { createServer, type Server } from "node:net";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { onExit } from "./base.js";

// ---------------------------------------------------------------------------------------------
// Ports and processes.

/** Distinct free loopback ports: listen on port 0, note the port, close (all held at once). */
export async function freePorts(count: number, host = "127.0.0.1"): Promise<number[]> {
  const servers: Server[] = [];
  try {
    const ports: number[] = [];
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, host, () => resolve());
      });
      const address = server.address();
      if (!address || typeof address === "string") throw new Error("no port assigned");
      ports.push(address.port);
    }
    return ports;
  } finally {
    await Promise.all(servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** Socket inodes listening on TCP `port` (IPv4 and IPv6), from /proc/net/tcp{,6}. */
export async function listeningInodes(port: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  for (const file of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    const text = await readFile(file, "utf8").catch(() => "");
    for (const line of text.split("\n").slice(1)) {
      const f = line.trim().split(/\s+/);
      const local = f[1];
      if (!local || f[3] !== "0A") continue; // 0A = LISTEN
      if (Number.parseInt(local.slice(local.lastIndexOf(":") + 1), 16) === port)
        inodes.add(f[9] ?? "");
    }
  }
  return inodes;
}

/** Socket inodes held open by process `pid`. */
export async function socketInodes(pid: number): Promise<Set<string>> {
  const inodes = new Set<string>();
  const dir = `/proc/${pid}/fd`;
  const fds = await readdir(dir).catch(() => [] as string[]);
  for (const fd of fds) {
    const target = await readlink(join(dir, fd)).catch(() => "");
    const m = /^socket:\[(\d+)\]$/.exec(target);
    if (m?.[1]) inodes.add(m[1]);
  }
  return inodes;
}

/** All live descendants of `root` (children first found by ppid), from /proc. */
function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  let entries: string[] = [];
  try {
    entries = readdirSync("/proc");
  } catch {
    return [];
  }
  for (const name of entries) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, "utf8");
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  const out: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    for (const child of children.get(pid) ?? []) {
      out.push(child);
      queue.push(child);
    }
  }
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** SIGTERM `child` and everything it started; SIGKILL what is left after `graceMs`. */
async function killTree(child: ChildProcess, graceMs = 2000): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  const tree = [pid, ...descendants(pid)];
  const exited =
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((r) => child.once("exit", () => r()));
  signalAll(tree, "SIGTERM");
  const deadline = Date.now() + graceMs;
  await Promise.race([exited, sleep(graceMs)]);
  while (Date.now() < deadline && tree.some(alive)) await sleep(50);
  signalAll(tree.filter(alive), "SIGKILL");
  await Promise.race([exited, sleep(1000)]);
}

function killTreeSync(pid: number): void {
  signalAll([pid, ...descendants(pid)], "SIGKILL");
}

/**
 * How a daemon's handle stops: kill its process tree and remove its folder, once; and kill it
 * anyway if the test process exits first.
 */
export function daemonStopper(child: ChildProcess, dir: string): () => Promise<void> {
  const pid = child.pid;
  const forgetExitHook = onExit(() => {
    if (pid !== undefined) killTreeSync(pid);
  });
  let stopped = false;
  return async () => {
    if (stopped) return;
    stopped = true;
    await killTree(child);
    forgetExitHook();
    await rm(dir, { recursive: true, force: true });
  };
}
