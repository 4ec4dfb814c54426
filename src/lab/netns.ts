/**
 * @module Path lab: three network namespaces (client, middlebox, server) joined by veth pairs,
 * and faults on the middlebox (or in the client's own firewall) that reproduce every path
 * cause of the contract: filtered, unreachable, local-firewall, middlebox-timeout,
 * network-failure. Linux and root only; nothing touches the root namespace: every link and
 * address lives in namespaces created here, 198.18.0.0/15 only, and none has a route out.
 *
 * Topology (names are `<prefix>-<id>-c|m|s`, the id random, so parallel runs never clash):
 *
 *   client 198.18.1.2/24 (eth0) ── 198.18.1.1 middlebox 198.18.2.1 ── (eth0) 198.18.2.2/24 server
 *
 * The middlebox forwards (ip_forward=1) through an nftables `forward` chain that always uses
 * conntrack; faults are rules in its `faults` and `loss` chains (and, for local-firewall, in the
 * client's own `output` chain). What the client sees (measured on Linux 6.x):
 * - filtered: SYNs to the server port are dropped; connect() never completes (teldoc: TIMEOUT
 *   after --connect-timeout, TCPRetransFail unchanged).
 * - unreachable: everything to the server is answered with ICMP host-unreachable by the
 *   middlebox; connect() fails with EHOSTUNREACH within a millisecond or two.
 * - local-firewall: the client's OUTPUT chain drops its SYNs to the server port; connect() never
 *   completes, and every SYN retransmission fails to leave (TCPRetransFail grows).
 * - middlebox-timeout: the middlebox's conntrack forgets established TCP flows after
 *   `idleSeconds` without a packet (per-namespace sysctl), `nf_conntrack_tcp_loose=0` keeps it
 *   from adopting mid-stream packets again, and only SYNs may open new flows: after the idle
 *   period the client's next segment is INVALID and dropped (or answered with RST, `reset`),
 *   while a new connection works.
 * - network-failure: the middlebox drops everything in both directions, new connections too.
 */
import { type ChildProcess, type SpawnOptions, spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { formatMs } from "../util/duration.js";
import { PATH_ADDRESSES, type PathFault } from "./path-faults.js";

export { PATH_ADDRESSES, PATH_FAULTS, type PathFault } from "./path-faults.js";

export type PathRole = "client" | "middlebox" | "server";

/** Linux's default established-TCP conntrack timeout (5 days), restored by clearFaults(). */
const DEFAULT_CT_ESTABLISHED = 432_000;

export interface PathLabOptions {
  /** Namespace name prefix (default "teldoc"); names are `<prefix>-<6 hex>-c|m|s`. */
  readonly prefix?: string;
}

export interface FaultOptions {
  /** The server's TCP port the fault aims at (filtered, local-firewall; default 23). */
  readonly port?: number;
  /** middlebox-timeout: seconds an established flow may idle before it is forgotten (default 30). */
  readonly idleSeconds?: number;
  /** middlebox-timeout: answer packets of a forgotten flow with RST instead of dropping them. */
  readonly reset?: boolean;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export interface ExecOptions {
  /** Written to the command's standard input. */
  readonly input?: string;
  /** Kill the command after this long (default 10 s). */
  readonly timeoutMs?: number;
  /** Resolve with a non-zero exit code instead of rejecting. */
  readonly allowFailure?: boolean;
}

export interface PathLab {
  /** The random part of the names. */
  readonly id: string;
  /** The namespace names, for `ip netns exec NAME ...`. */
  readonly names: Readonly<Record<PathRole, string>>;
  readonly addresses: typeof PATH_ADDRESSES;
  /** Faults in effect (loss is not listed). */
  readonly faults: readonly PathFault[];
  /** Run a command to completion in a namespace; rejects on a non-zero exit unless allowed. */
  exec(
    ns: PathRole,
    cmd: string,
    args: readonly string[],
    options?: ExecOptions,
  ): Promise<ExecResult>;
  /** Start a long-running process in a namespace; it is killed on teardown. */
  spawn(ns: PathRole, cmd: string, args: readonly string[], options?: SpawnOptions): ChildProcess;
  /** Resolve when something listens on TCP `port` in the namespace (rejects after timeoutMs). */
  waitListening(ns: PathRole, port: number, timeoutMs?: number): Promise<void>;
  /** Add a fault (faults add up; clearFaults() removes them all). */
  fault(kind: PathFault, options?: FaultOptions): Promise<void>;
  /**
   * Drop this percentage of forwarded packets at random (0 turns loss off). `echoReplies`:
   * drop exactly one ICMP echo reply in every 100/percent instead (deterministic, for tests of
   * what ping and mtr report; TCP is untouched).
   */
  loss(percent: number, options?: { echoReplies?: boolean }): Promise<void>;
  /** Remove every fault and the loss; the path works again. */
  clearFaults(): Promise<void>;
  /** Kill the processes and delete the namespaces; idempotent. */
  teardown(): Promise<void>;
}

/** Why path labs cannot run here, or undefined when they can (root, `ip netns` works). */
export function pathLabUnsupported(): string | undefined {
  if (process.platform !== "linux") return "network namespaces need Linux";
  if (process.getuid?.() !== 0) return "network namespaces need root (run as root or with sudo)";
  const r = spawnSync("ip", ["netns", "list"], { encoding: "utf8", timeout: 5000 });
  if (r.error)
    return `cannot run \`ip\` (${(r.error as NodeJS.ErrnoException).code}): install iproute2`;
  if (r.status !== 0) return `\`ip netns list\` failed: ${r.stderr.trim()}`;
  const n = spawnSync("nft", ["--version"], { encoding: "utf8", timeout: 5000 });
  if (n.error || n.status !== 0) return "cannot run `nft`: install nftables";
  return undefined;
}

/** Run a program to completion (no shell), with a bounded time. */
function run(cmd: string, args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const limit = options.timeoutMs ?? 10_000;
    const timer = setTimeout(() => child.kill("SIGKILL"), limit);
    child.once("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      const r = { stdout, stderr, code: code ?? 128 };
      if (r.code === 0 || options.allowFailure) resolve(r);
      else {
        const why = signal ? `killed by ${signal} after ${formatMs(limit)}` : `exit ${r.code}`;
        reject(new Error(`${cmd} ${args.join(" ")}: ${why}: ${stderr.trim()}`));
      }
    });
    child.stdin.on("error", () => {});
    child.stdin.end(options.input ?? "");
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Labs not torn down yet, for the exit and signal handlers. */
const live = new Set<PathLabImpl>();
let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on("exit", () => {
    for (const lab of live) lab.teardownSync();
  });
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    const onSignal = () => {
      for (const lab of live) lab.teardownSync();
      // Alone on this signal: keep its default meaning (end the process).
      if (process.listenerCount(sig) === 1) {
        process.removeListener(sig, onSignal);
        process.kill(process.pid, sig);
      }
    };
    process.on(sig, onSignal);
  }
}

class PathLabImpl implements PathLab {
  readonly addresses = PATH_ADDRESSES;
  readonly children = new Set<ChildProcess>();
  private active: PathFault[] = [];
  private gone = false;
  private created: string[] = [];

  constructor(
    readonly id: string,
    readonly names: Readonly<Record<PathRole, string>>,
  ) {}

  get faults(): readonly PathFault[] {
    return [...this.active];
  }

  exec(
    ns: PathRole,
    cmd: string,
    args: readonly string[],
    options?: ExecOptions,
  ): Promise<ExecResult> {
    if (this.gone) return Promise.reject(new Error("the path lab was torn down"));
    return run("ip", ["netns", "exec", this.names[ns], cmd, ...args], options);
  }

  spawn(
    ns: PathRole,
    cmd: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ): ChildProcess {
    if (this.gone) throw new Error("the path lab was torn down");
    // `ip netns exec` execs the command: the child's pid is the program's.
    const child = spawn("ip", ["netns", "exec", this.names[ns], cmd, ...args], options);
    this.children.add(child);
    child.once("exit", () => this.children.delete(child));
    child.once("error", () => this.children.delete(child));
    return child;
  }

  async waitListening(ns: PathRole, port: number, timeoutMs = 10_000): Promise<void> {
    const t0 = Date.now();
    while (Date.now() - t0 < timeoutMs) {
      const r = await this.exec(ns, "ss", ["-Hltn", `sport = :${port}`], { allowFailure: true });
      if (r.code === 0 && r.stdout.trim() !== "") return;
      await sleep(50);
    }
    throw new Error(
      `nothing listens on TCP port ${port} in ${this.names[ns]} after ${formatMs(timeoutMs)}`,
    );
  }

  /** Build the namespaces, links, addresses, routes and base firewalls. */
  async build(): Promise<void> {
    const { client: c, middlebox: m, server: s } = this.names;
    for (const ns of [c, m, s]) {
      await run("ip", ["netns", "add", ns]);
      this.created.push(ns);
    }
    // Both ends of each veth pair are created inside namespaces, never in the root one.
    for (const [end, peer] of [
      [c, "to-client"],
      [s, "to-server"],
    ] as const)
      await run("ip", [
        "-n",
        end,
        "link",
        "add",
        "eth0",
        "type",
        "veth",
        "peer",
        "name",
        peer,
        "netns",
        m,
      ]);
    const ip = (ns: string, ...args: string[]) => run("ip", ["-n", ns, ...args]);
    await ip(c, "addr", "add", `${PATH_ADDRESSES.client}/24`, "dev", "eth0");
    await ip(m, "addr", "add", `${PATH_ADDRESSES.middleboxClientSide}/24`, "dev", "to-client");
    await ip(m, "addr", "add", `${PATH_ADDRESSES.middleboxServerSide}/24`, "dev", "to-server");
    await ip(s, "addr", "add", `${PATH_ADDRESSES.server}/24`, "dev", "eth0");
    for (const [ns, dev] of [
      [c, "lo"],
      [c, "eth0"],
      [m, "lo"],
      [m, "to-client"],
      [m, "to-server"],
      [s, "lo"],
      [s, "eth0"],
    ] as const)
      await ip(ns, "link", "set", dev, "up");
    await ip(c, "route", "add", "default", "via", PATH_ADDRESSES.middleboxClientSide);
    await ip(s, "route", "add", "default", "via", PATH_ADDRESSES.middleboxServerSide);
    await this.exec("middlebox", "sysctl", ["-qw", "net.ipv4.ip_forward=1"]);
    await this.nft(
      "middlebox",
      `table inet teldoc {
  chain forward {
    type filter hook forward priority filter; policy accept;
    jump loss
    jump faults
    ct state established,related accept
  }
  chain loss {
  }
  chain faults {
  }
}
`,
    );
    await this.nft(
      "client",
      `table inet teldoc {
  chain output {
    type filter hook output priority filter; policy accept;
  }
}
`,
    );
  }

  private nft(ns: PathRole, script: string): Promise<ExecResult> {
    return this.exec(ns, "nft", ["-f", "-"], { input: script });
  }

  async fault(kind: PathFault, options: FaultOptions = {}): Promise<void> {
    const port = options.port ?? 23;
    const server = PATH_ADDRESSES.server;
    switch (kind) {
      case "filtered":
        await this.nft(
          "middlebox",
          `add rule inet teldoc faults ip daddr ${server} tcp dport ${port} tcp flags & (syn | ack) == syn drop\n`,
        );
        break;
      case "unreachable":
        await this.nft(
          "middlebox",
          `add rule inet teldoc faults ip daddr ${server} reject with icmp type host-unreachable\n`,
        );
        break;
      case "local-firewall":
        await this.nft(
          "client",
          `add rule inet teldoc output ip daddr ${server} tcp dport ${port} drop\n`,
        );
        break;
      case "middlebox-timeout": {
        const idle = options.idleSeconds ?? 30;
        if (!Number.isInteger(idle) || idle < 1)
          throw new Error(`idleSeconds must be a whole number of at least 1, not ${idle}`);
        await this.exec("middlebox", "sysctl", [
          "-qw",
          `net.netfilter.nf_conntrack_tcp_timeout_established=${idle}`,
          "net.netfilter.nf_conntrack_tcp_loose=0",
        ]);
        await this.nft(
          "middlebox",
          `add rule inet teldoc faults ct state established,related accept
add rule inet teldoc faults meta l4proto { icmp, ipv6-icmp } accept
add rule inet teldoc faults tcp flags & (fin | syn | rst | ack) == syn ct state new accept
${options.reset ? "add rule inet teldoc faults meta l4proto tcp reject with tcp reset\n" : ""}add rule inet teldoc faults drop
`,
        );
        break;
      }
      case "network-failure":
        await this.nft("middlebox", "add rule inet teldoc faults drop\n");
        break;
      default:
        throw new Error(`unknown fault ${String(kind)}`);
    }
    this.active.push(kind);
  }

  async loss(percent: number, options: { echoReplies?: boolean } = {}): Promise<void> {
    if (!Number.isInteger(percent) || percent < 0 || percent > 100)
      throw new Error(`loss must be a whole percentage 0..100, not ${percent}`);
    const rule = options.echoReplies
      ? `icmp type echo-reply numgen inc mod ${Math.max(1, Math.round(100 / percent))} == 0 drop`
      : `numgen random mod 100 < ${percent} drop`;
    await this.nft(
      "middlebox",
      `flush chain inet teldoc loss\n${percent > 0 ? `add rule inet teldoc loss ${rule}\n` : ""}`,
    );
  }

  async clearFaults(): Promise<void> {
    await this.nft("middlebox", "flush chain inet teldoc faults\nflush chain inet teldoc loss\n");
    await this.nft("client", "flush chain inet teldoc output\n");
    await this.exec("middlebox", "sysctl", [
      "-qw",
      `net.netfilter.nf_conntrack_tcp_timeout_established=${DEFAULT_CT_ESTABLISHED}`,
      "net.netfilter.nf_conntrack_tcp_loose=1",
    ]);
    this.active = [];
  }

  async teardown(): Promise<void> {
    if (this.gone) return;
    this.gone = true;
    live.delete(this);
    const running = [...this.children].filter(
      (ch) => ch.exitCode === null && ch.signalCode === null,
    );
    for (const ch of running) ch.kill("SIGTERM");
    const t0 = Date.now();
    while (
      Date.now() - t0 < 2000 &&
      running.some((ch) => ch.exitCode === null && ch.signalCode === null)
    )
      await sleep(20);
    for (const ch of running)
      if (ch.exitCode === null && ch.signalCode === null) ch.kill("SIGKILL");
    this.removeNamespaces();
  }

  /** For process exit and signals: everything at once, synchronously. */
  teardownSync(): void {
    if (this.gone) return;
    this.gone = true;
    live.delete(this);
    for (const ch of this.children)
      if (ch.exitCode === null && ch.signalCode === null) ch.kill("SIGKILL");
    this.removeNamespaces();
  }

  /** Kill whatever still runs inside our namespaces (only ours), then delete them. */
  private removeNamespaces(): void {
    for (const ns of this.created) {
      const pids = spawnSync("ip", ["netns", "pids", ns], { encoding: "utf8", timeout: 5000 });
      for (const p of (pids.stdout ?? "").split(/\s+/).filter((x) => /^\d+$/.test(x))) {
        try {
          process.kill(Number(p), "SIGKILL");
        } catch {
          // already gone
        }
      }
    }
    for (const ns of this.created) spawnSync("ip", ["netns", "del", ns], { timeout: 5000 });
    this.created = [];
  }
}

/**
 * Build a fresh client / middlebox / server topology. Tear it down with teardown(); it is also
 * torn down when the process exits or gets SIGINT/SIGTERM.
 * @example
 * const lab = await createPathLab();
 * lab.spawn("server", process.execPath, ["bin/teldoc.js", "lab", "--host", "198.18.2.2", "--port", "23"]);
 * await lab.fault("filtered");
 * await lab.teardown();
 */
export async function createPathLab(options: PathLabOptions = {}): Promise<PathLab> {
  const why = pathLabUnsupported();
  if (why) throw new Error(why);
  const prefix = options.prefix ?? "teldoc";
  if (!/^[A-Za-z0-9_.-]{1,30}$/.test(prefix)) throw new Error(`bad namespace prefix "${prefix}"`);
  const id = randomBytes(3).toString("hex");
  const lab = new PathLabImpl(id, {
    client: `${prefix}-${id}-c`,
    middlebox: `${prefix}-${id}-m`,
    server: `${prefix}-${id}-s`,
  });
  installHandlers();
  live.add(lab);
  try {
    await lab.build();
  } catch (err) {
    await lab.teardown();
    throw err;
  }
  return lab;
}
