/**
 * @module Test support: BusyBox telnetd on a loopback port (`busybox telnetd -F -b 127.0.0.1:PORT
 * -l PROGRAM`), with the real /bin/login or a plain shell behind it. Root only (telnetd opens
 * ptys and login changes user). Debian's dynamic `busybox` package has no telnetd applet; the
 * `busybox-static` package has (it replaces `busybox`), or TELDOC_BUSYBOX names any binary
 * with the applet.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { type Capability, freePorts } from "./daemons.js";

const CANDIDATES = ["/bin/busybox", "/usr/bin/busybox"];

let found: { path: string } | { reason: string } | undefined;

/** A busybox binary with the telnetd applet, or why there is none. */
function findBusybox(): { path: string } | { reason: string } {
  if (found) return found;
  const env = process.env["TELDOC_BUSYBOX"];
  for (const path of env ? [env] : CANDIDATES) {
    const r = spawnSync(path, ["--list"], { encoding: "utf8", timeout: 5000 });
    if (r.status === 0 && r.stdout.split("\n").includes("telnetd")) {
      found = { path };
      return found;
    }
  }
  found = {
    reason: env
      ? `TELDOC_BUSYBOX=${env} has no telnetd applet`
      : "no busybox with a telnetd applet: install busybox-static (Debian's busybox has none) or set TELDOC_BUSYBOX",
  };
  return found;
}

/** Whether busybox telnetd can run here: root, and a busybox with the applet. */
export function canRunBusyboxTelnetd(): Capability {
  if (process.platform !== "linux")
    return { ok: false, reason: "busybox telnetd tests need Linux" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "busybox telnetd tests need root" };
  const b = findBusybox();
  return "path" in b ? { ok: true } : { ok: false, reason: b.reason };
}

export interface BusyboxHandle {
  readonly port: number;
  readonly pid: number;
  /** SIGTERM telnetd and its sessions (their own process groups are not ours to kill). */
  stop(): Promise<void>;
}

/**
 * Start `busybox telnetd -F` on 127.0.0.1 and a free port, serving `program` (default
 * /bin/login), and wait (bounded) until it accepts connections.
 * @example const bb = await startBusyboxTelnetd({ program: "/bin/sh" });
 */
export async function startBusyboxTelnetd(
  options: { program?: string; issue?: string } = {},
): Promise<BusyboxHandle> {
  const b = findBusybox();
  if (!("path" in b)) throw new Error(b.reason);
  const [port] = await freePorts(1);
  const args = ["telnetd", "-F", "-b", `127.0.0.1:${port}`, "-l", options.program ?? "/bin/login"];
  if (options.issue) args.push("-f", options.issue);
  const child: ChildProcess = spawn(b.path, args, { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`busybox telnetd exited: ${stderr.trim()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`busybox telnetd did not listen on ${port} within 5 s: ${stderr.trim()}`);
    }
    await sleep(50);
  }
  return {
    port,
    pid: child.pid ?? 0,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}
