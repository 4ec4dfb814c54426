/**
 * @module Test support: REAL Debian daemons on loopback for end-to-end tests (xinetd + inetutils
 * telnetd + the real /bin/login + bash, tcpd, sshd). Root only; every daemon binds 127.0.0.1
 * on a port picked here, and every wait is bounded.
 *
 * FACTS (measured on Debian 12: inetutils-telnetd 2:2.4-2+deb12u3, xinetd 1:2.3.15.3-1+b1
 * ("libwrap loadavg"), /bin/login from Debian's `login` package = shadow 4.13 (NOT util-linux's
 * login on Debian 12), bash 5.2.15, tcpd 7.6.q-32, OpenSSH 9.2p1; proven by daemons.test.ts):
 *
 * telnetd under xinetd (`server = /usr/sbin/telnetd`, `server_args = -h`):
 * - Speaks first, within ~10 ms, in this order: IAC WILL AUTHENTICATION(37), WILL ENCRYPT(38),
 *   DO TTYPE, DO TSPEED, DO XDISPLOC, DO NEW-ENVIRON, DO OLD-ENVIRON(36); WILL SGA, DO ECHO,
 *   DO LINEMODE, DO NAWS, WILL STATUS, DO LFLOW; WILL ECHO, DO TIMING-MARK, DO BINARY; and
 *   WILL SGA, WILL ECHO again. Refusing everything (WONT/DONT) is enough: `<hostname> login: `
 *   follows within ~20 ms (the prompt carries the machine's hostname, e.g. "vm login: ").
 * - Accepting SGA (DO SGA) but refusing LINEMODE: telnetd then sends WONT SGA on its own — BSD
 *   telnetd's "kludge linemode" — and the session runs with the server's ECHO only.
 * - `-h` (--no-hostinfo) suppresses the host banner printed before login; `-E PROG` would
 *   replace /bin/login. Nothing else is needed under xinetd (stdin/stdout = the socket).
 * - Good login: "Password: " (echo off) -> "\r\n" + motd (~30 ms) -> `user@host:~$ `.
 * - Wrong password (or unknown user): "\r\nLogin incorrect\r\n" ~3 s after the password
 *   (pam_faildelay delay=3000000 in /etc/pam.d/login; PAM randomizes it by up to 25 %: seen
 *   3.0 s and 3.6 s), then a fresh `<hostname> login: `
 *   prompt on the same connection (no close).
 * - `exit` in the shell: "logout\r\n", then FIN.
 * - XinetdHandle.stop() (SIGTERM to xinetd and its descendants): live sessions see a FIN.
 *
 * bash idle auto-logout (TMOUT): a login shell (login execs "-bash") reads /etc/profile, then the
 * FIRST of ~/.bash_profile, ~/.bash_login, ~/.profile. With `TMOUT=3; readonly TMOUT` in
 * ~/.bash_profile the server sends, 3.0 s after the prompt, exactly
 * "\x07timed out waiting for input: auto-logout\r\n" (note the leading BEL), then FIN (~2 ms).
 *
 * Login timeout: shadow's login reads LOGIN_TIMEOUT from /etc/login.defs (Debian: 60) at every
 * start; login has no flag for it and telnetd passes none. At the "login: " prompt it prints
 * "\r\nLogin timed out after N seconds.\r\n" exactly N s after it started, then FIN. Two ways:
 * `telnetdLogin({ loginTimeout: N })` runs telnetd in a private mount namespace with a copy of
 * login.defs bind-mounted over /etc/login.defs (nothing global changes; needs `unshare -m`), or
 * `withLoginTimeout(N, fn)` rewrites the real file for the duration of fn and restores it.
 *
 * tcpd: xinetd sets argv[0] to basename(server), but tcpd takes the daemon's path AND its
 * hosts.allow/deny name from argv[0]. So `server = /usr/sbin/tcpd` + `server_args = /path/name`
 * makes tcpd exec itself in a loop (100 % CPU, no bytes), and `flags = NAMEINARGS` makes the
 * xinetd child SIGSEGV (connection closed at once, "status=1"). What works: a script
 * `exec -a /dir/NAME /usr/sbin/tcpd -h` with /dir/NAME -> /usr/sbin/telnetd (telnetdViaTcpd).
 * - tcpd DENY: the handshake succeeds, no byte at all is sent, and the FIN comes only after
 *   5.0 s (tcp_wrappers' clean_exit() sleeps 5 s before exit) — not RST, not immediate.
 *   xinetd logs START then "EXIT: <svc> status=0 ... duration=5(sec)"; tcpd itself logs
 *   "refused connect from 127.0.0.1" to syslog only.
 *   Allowed: identical to plain telnetd (negotiation, then login prompt).
 *
 * xinetd's own refusals (all: no bytes unless banner_fail is set, then FIN within ~5 ms; the
 * listener keeps accepting, so the TCP handshake always succeeds — never RST, never refused):
 * - only_from / no_access:  log "FAIL: <svc> address from=127.0.0.1".
 * - instances = N (N+1th concurrent): log "FAIL: <svc> service_limit from=...".
 * - per_source = N:          log "FAIL: <svc> per_source_limit from=...".
 * - built-in libwrap (xinetd is compiled with it): checks hosts.allow/deny under the name given
 *   by the `libwrap` attribute, by default basename(server) — a host's "telnetd: ALL" line makes
 *   xinetd drop telnetd services itself: log "FAIL: <svc> libwrap from=...". This module sets
 *   `libwrap = <service name>` so host rules for "telnetd" do not leak into fixtures.
 * - banner_fail = FILE: the file's bytes are sent verbatim before the FIN on every one of these
 *   refusals (checked for only_from, per_source, instances and libwrap).
 * - A port that is already taken: xinetd logs "bind failed ... service = X" ten times, then
 *   "Service X failed to start and is deactivated." and keeps running the others.
 *
 * Concurrency: hosts.deny and login.defs edits are read-modify-write on shared files; two test
 * processes editing them at the same moment can race. Prefer the namespaced login timeout.
 *
 * sshd: needs /run/sshd (created here), `-D -e -f conf`; it sends its banner
 * "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10\r\n" within ~10 ms of a connection.
 */
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import {
  accessSync,
  existsSync,
  constants as fsConstants,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import {
  chmod,
  chown,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  symlink,
  writeFile,
} from "node:fs/promises";
import { connect, createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

// ---------------------------------------------------------------------------------------------
// Credentials and the messages the real programs print.

export const TEST_USER = "teldoctest";
export const TEST_PASSWORD = "Teld0c-test!";
export const IDLE_USER = "teldocidle";
export const IDLE_PASSWORD = "Teld0c-idle!";
/** bash TMOUT of IDLE_USER's login shell, in seconds. */
export const IDLE_TMOUT_SECONDS = 3;

/** Exact texts the real programs send (see the facts above). */
export const MESSAGES = {
  /** bash, on TMOUT expiry; preceded by BEL (0x07), followed by "\r\n" and a FIN. */
  bashAutoLogout: "timed out waiting for input: auto-logout",
  /** /bin/login (shadow), wrong user or password; preceded and followed by "\r\n". */
  loginIncorrect: "Login incorrect",
  /** /bin/login (shadow), at the LOGIN_TIMEOUT; preceded by "\r\n", then FIN. */
  loginTimedOut: (seconds: number) => `Login timed out after ${seconds} seconds.`,
  /** tcpd holds a denied connection this long (ms), sending nothing, then FIN. */
  tcpdDenyHoldMs: 5000,
} as const;

const BIN = {
  xinetd: "/usr/sbin/xinetd",
  telnetd: "/usr/sbin/telnetd",
  tcpd: "/usr/sbin/tcpd",
  sshd: "/usr/sbin/sshd",
  sshKeygen: "/usr/bin/ssh-keygen",
  login: "/bin/login",
  bash: "/bin/bash",
  useradd: "/usr/sbin/useradd",
  chpasswd: "/usr/sbin/chpasswd",
} as const;
const UNSHARE = "/usr/bin/unshare";
const LOGIN_DEFS = "/etc/login.defs";
const HOSTS_DENY = "/etc/hosts.deny";
const MARK = "# teldoc test fixture";

// ---------------------------------------------------------------------------------------------
// Can this machine run them?

export type Capability = { ok: true } | { ok: false; reason: string };

/** Root, Linux, the binaries present, logins allowed; TELDOC_SKIP_DAEMONS=1 opts out. */
export function canRunDaemons(): Capability {
  if (process.env["TELDOC_SKIP_DAEMONS"]) {
    return { ok: false, reason: "real-daemon tests disabled by TELDOC_SKIP_DAEMONS" };
  }
  if (process.platform !== "linux") {
    return { ok: false, reason: `real-daemon tests need Linux (this is ${process.platform})` };
  }
  if (process.getuid?.() !== 0) {
    return { ok: false, reason: "real-daemon tests need root (they add users and run xinetd)" };
  }
  const missing = Object.values(BIN).filter((path) => !isExecutable(path));
  if (missing.length > 0) {
    return {
      ok: false,
      reason: `real-daemon tests need ${missing.join(", ")}: run .ci/apt-packages as root`,
    };
  }
  for (const nologin of ["/run/nologin", "/etc/nologin"]) {
    if (existsSync(nologin)) {
      return { ok: false, reason: `${nologin} exists: pam_nologin refuses every non-root login` };
    }
  }
  return { ok: true };
}

let unshareCapability: Capability | undefined;

/** Whether `unshare --mount` works here (needed by telnetdLogin({ loginTimeout })). */
export function canUnshareMount(): Capability {
  if (unshareCapability) return unshareCapability;
  if (!isExecutable(UNSHARE)) {
    unshareCapability = { ok: false, reason: `${UNSHARE} is missing` };
  } else {
    const r = spawnSync(UNSHARE, ["--mount", "--propagation", "private", "/bin/true"], {
      timeout: 5000,
      encoding: "utf8",
    });
    unshareCapability =
      r.status === 0
        ? { ok: true }
        : { ok: false, reason: `unshare --mount failed: ${(r.stderr ?? "").trim() || r.error}` };
  }
  return unshareCapability;
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Cleanup that must happen even if a test process dies mid-way.

const exitHooks = new Set<() => void>();
let exitHookInstalled = false;

function onExit(hook: () => void): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on("exit", () => {
      for (const h of [...exitHooks]) {
        try {
          h();
        } catch {
          // best effort at exit
        }
      }
    });
  }
  exitHooks.add(hook);
  return () => exitHooks.delete(hook);
}

// ---------------------------------------------------------------------------------------------
// Users.

function run(
  file: string,
  args: string[],
  input?: string,
  timeoutMs = 10_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(file, args, { timeout: timeoutMs, encoding: "utf8" }, (err, so, se) => {
      const code = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      resolve({ code, stdout: so, stderr: se || (err && code === -1 ? String(err) : "") });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

async function passwdEntry(user: string): Promise<{ uid: number; gid: number; home: string }> {
  const r = await run("/usr/bin/getent", ["passwd", user]);
  const fields = r.stdout.trim().split(":");
  if (r.code !== 0 || fields.length < 7) throw new Error(`getent passwd ${user}: ${r.code}`);
  return { uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5] ?? "" };
}

async function ensureUser(
  user: string,
  password: string,
): Promise<{ uid: number; gid: number; home: string }> {
  for (let attempt = 0; ; attempt++) {
    const exists = (await run("/usr/bin/getent", ["passwd", user])).code === 0;
    if (exists) break;
    const r = await run(BIN.useradd, ["--create-home", "--shell", "/bin/bash", user]);
    if (r.code === 0 || r.code === 9 /* already exists: a concurrent process won */) break;
    // 10: /etc/passwd locked by a concurrent useradd; retry briefly.
    if (attempt >= 10) throw new Error(`useradd ${user} failed (${r.code}): ${r.stderr.trim()}`);
    await sleep(200);
  }
  for (let attempt = 0; ; attempt++) {
    const r = await run(BIN.chpasswd, [], `${user}:${password}\n`);
    if (r.code === 0) break;
    if (attempt >= 10) throw new Error(`chpasswd ${user} failed (${r.code}): ${r.stderr.trim()}`);
    await sleep(200);
  }
  const entry = await passwdEntry(user);
  await mkdir(entry.home, { recursive: true });
  await chown(entry.home, entry.uid, entry.gid);
  return entry;
}

/**
 * Create (idempotently) TEST_USER and IDLE_USER with known passwords, a home and /bin/bash.
 * IDLE_USER's ~/.bash_profile sets `TMOUT=IDLE_TMOUT_SECONDS; readonly TMOUT` (bash reads it,
 * not ~/.profile, because it exists; /bin/login starts bash as a login shell).
 */
export async function ensureTestUser(): Promise<void> {
  await ensureUser(TEST_USER, TEST_PASSWORD);
  const idle = await ensureUser(IDLE_USER, IDLE_PASSWORD);
  const profile = join(idle.home, ".bash_profile");
  await writeFile(
    profile,
    [
      "# Written by teldoc's test fixtures (src/testing/daemons.ts): idle sessions end quickly.",
      `TMOUT=${IDLE_TMOUT_SECONDS}`,
      "readonly TMOUT",
      "",
    ].join("\n"),
  );
  await chown(profile, idle.uid, idle.gid);
}

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
async function listeningInodes(port: number): Promise<Set<string>> {
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
async function socketInodes(pid: number): Promise<Set<string>> {
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

function alive(pid: number): boolean {
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
function daemonStopper(child: ChildProcess, dir: string): () => Promise<void> {
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

// ---------------------------------------------------------------------------------------------
// xinetd.

/** A file the service needs, created in the fixture's temp dir before xinetd starts. */
export interface FixtureFile {
  /** Relative to the temp dir. */
  path: string;
  /** File content ("{dir}" is replaced by the temp dir). */
  content?: string;
  mode?: number;
  /** Make a symlink to this target instead of a file. */
  symlinkTo?: string;
}

/**
 * One xinetd `service` block. In `server`, `serverArgs` and file contents, "{dir}" stands for
 * the fixture's temp dir. xinetd splits server_args on white space and has no quoting.
 */
export interface ServiceSpec {
  /** Service name (unique per xinetd), also the key of `XinetdHandle.ports`. */
  name: string;
  server: string;
  serverArgs?: string[];
  instances?: number;
  perSource?: number;
  onlyFrom?: string[];
  noAccess?: string[];
  /** Text sent by xinetd when it refuses a connection (limits, access control, libwrap). */
  bannerFail?: string;
  /** Name xinetd's built-in libwrap looks up in hosts.allow/deny; default: `name`. */
  libwrap?: string;
  /** Further raw attributes, e.g. { env: "FOO=1" }. */
  attributes?: Record<string, string>;
  files?: FixtureFile[];
}

export interface XinetdHandle {
  /** Port of each service, by service name. */
  ports: Record<string, number>;
  /** Port of a service; throws on an unknown name. */
  port(name: string): number;
  /** The temp dir holding the config, pid file, log and service files. */
  dir: string;
  /** xinetd's own messages (-filelog) and the services' log_type FILE, in one file. */
  logPath: string;
  pid: number;
  /** The log so far ("" if none yet). */
  log(): Promise<string>;
  /** Wait (bounded) until the log matches; returns the log, or throws with it. */
  waitForLog(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Kill xinetd and every process it started; remove the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const SERVICE_NAME = /^[A-Za-z0-9._-]+$/;

/** The xinetd configuration text for `services` at `ports` (exported for tests). */
export function xinetdConfig(
  services: ServiceSpec[],
  ports: Record<string, number>,
  dir: string,
): string {
  const sub = (s: string) => s.replaceAll("{dir}", dir);
  const value = (s: string) => {
    if (/[\n{}]/.test(s))
      throw new Error(`xinetd attribute value may not contain newline/braces: ${s}`);
    return s;
  };
  const logPath = join(dir, "xinetd.log");
  const lines = [
    "# Written by teldoc's test fixtures (src/testing/daemons.ts).",
    "defaults",
    "{",
    `  log_type = FILE ${logPath}`,
    "  log_on_success = PID HOST DURATION EXIT",
    "  log_on_failure = HOST ATTEMPT",
    "}",
  ];
  for (const s of services) {
    const attrs: Array<[string, string]> = [
      ["type", "UNLISTED"],
      ["bind", "127.0.0.1"],
      ["port", String(ports[s.name])],
      ["socket_type", "stream"],
      ["protocol", "tcp"],
      ["wait", "no"],
      ["user", "root"],
      ["server", sub(s.server)],
      ["libwrap", s.libwrap ?? s.name],
    ];
    if (s.serverArgs && s.serverArgs.length > 0) {
      attrs.push(["server_args", s.serverArgs.map(sub).join(" ")]);
    }
    if (s.instances !== undefined) attrs.push(["instances", String(s.instances)]);
    if (s.perSource !== undefined) attrs.push(["per_source", String(s.perSource)]);
    if (s.onlyFrom) attrs.push(["only_from", s.onlyFrom.join(" ")]);
    if (s.noAccess) attrs.push(["no_access", s.noAccess.join(" ")]);
    if (s.bannerFail !== undefined) attrs.push(["banner_fail", join(dir, `${s.name}.banner_fail`)]);
    for (const [k, v] of Object.entries(s.attributes ?? {})) attrs.push([k, sub(v)]);
    lines.push(`service ${s.name}`, "{");
    for (const [k, v] of attrs) lines.push(`  ${k} = ${value(v)}`);
    lines.push("}");
  }
  return lines.join("\n") + "\n";
}

async function writeFixtureFiles(services: ServiceSpec[], dir: string): Promise<void> {
  for (const s of services) {
    if (s.bannerFail !== undefined)
      await writeFile(join(dir, `${s.name}.banner_fail`), s.bannerFail);
    for (const f of s.files ?? []) {
      const path = join(dir, f.path);
      if (f.symlinkTo !== undefined) {
        await symlink(f.symlinkTo, path);
      } else {
        await writeFile(path, (f.content ?? "").replaceAll("{dir}", dir));
        if (f.mode !== undefined) await chmod(path, f.mode);
      }
    }
  }
}

/**
 * Start a private xinetd serving `services` on free 127.0.0.1 ports. Resolves once every port
 * is listening on a socket of that xinetd (≤ 5 s), else throws with the log. A port lost to a
 * race is retried with new ports (3 attempts).
 */
export async function startXinetd(services: ServiceSpec[]): Promise<XinetdHandle> {
  const names = new Set<string>();
  for (const s of services) {
    if (!SERVICE_NAME.test(s.name)) throw new Error(`bad service name: ${s.name}`);
    if (names.has(s.name)) throw new Error(`duplicate service name: ${s.name}`);
    names.add(s.name);
  }
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const result = await tryStartXinetd(services);
    if ("handle" in result) return result.handle;
    lastError = result.error;
    if (!result.retry) break;
  }
  throw lastError ?? new Error("xinetd did not start");
}

async function tryStartXinetd(
  services: ServiceSpec[],
): Promise<{ handle: XinetdHandle } | { error: Error; retry: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), "teldoc-xinetd-"));
  const logPath = join(dir, "xinetd.log");
  const portList = await freePorts(services.length);
  const ports: Record<string, number> = {};
  services.forEach((s, i) => {
    ports[s.name] = portList[i]!;
  });
  await writeFixtureFiles(services, dir);
  const confPath = join(dir, "xinetd.conf");
  await writeFile(confPath, xinetdConfig(services, ports, dir));

  let output = "";
  const child = spawn(
    BIN.xinetd,
    ["-dontfork", "-f", confPath, "-pidfile", join(dir, "pid"), "-filelog", logPath],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const spawnError = new Promise<Error>((resolve) => child.once("error", resolve));
  const pid = child.pid;
  const stop = daemonStopper(child, dir);
  const readLog = () => readFile(logPath, "utf8").catch(() => "");
  const handle: XinetdHandle = {
    ports,
    port(name) {
      const p = ports[name];
      if (p === undefined) throw new Error(`no xinetd service named ${name}`);
      return p;
    },
    dir,
    logPath,
    pid: pid ?? -1,
    log: readLog,
    async waitForLog(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await readLog();
        if (pattern.test(text)) return text;
        if (Date.now() >= deadline)
          throw new Error(`xinetd log never matched ${pattern}:\n${text}`);
        await sleep(50);
      }
    },
    stop,
  };

  const failure = async (why: string, retry: boolean) => {
    const log = await readLog();
    await handle.stop();
    return {
      error: new Error(`xinetd: ${why}\n--- output ---\n${output}\n--- ${logPath} ---\n${log}`),
      retry,
    };
  };

  if (pid === undefined) {
    const err = await Promise.race([spawnError, sleep(1000).then(() => new Error("no pid"))]);
    return failure(`could not spawn ${BIN.xinetd}: ${err.message}`, false);
  }
  const deadline = Date.now() + 5000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      return failure(`exited early (${child.exitCode ?? child.signalCode})`, false);
    }
    const log = await readLog();
    if (/failed to start and is deactivated/.test(log)) {
      return failure("a service could not bind its port", /bind failed/.test(log));
    }
    const own = await socketInodes(pid);
    let ready = true;
    for (const port of Object.values(ports)) {
      const listening = await listeningInodes(port);
      if (![...listening].some((inode) => own.has(inode))) {
        ready = false;
        break;
      }
    }
    if (ready) return { handle };
    if (Date.now() >= deadline) return failure("ports not listening after 5 s", false);
    await sleep(50);
  }
}

// ---------------------------------------------------------------------------------------------
// Service presets.

/**
 * inetutils telnetd (`-h`: no host banner) running the real /bin/login. With `loginTimeout`
 * and/or `loginRetries`, telnetd runs in a private mount namespace where /etc/login.defs is a
 * copy with that LOGIN_TIMEOUT / LOGIN_RETRIES (needs canUnshareMount(); the real file is
 * untouched). With LOGIN_RETRIES = N, login prints "Login incorrect" after the Nth wrong
 * password and exits (FIN) instead of asking again.
 */
export function telnetdLogin(
  options: { name?: string; loginTimeout?: number; loginRetries?: number } = {},
): ServiceSpec {
  const { loginTimeout, loginRetries } = options;
  const suffix =
    (loginTimeout === undefined ? "" : `-t${loginTimeout}`) +
    (loginRetries === undefined ? "" : `-r${loginRetries}`);
  const name = options.name ?? `teldoc-login${suffix}`;
  if (loginTimeout === undefined && loginRetries === undefined) {
    return { name, server: BIN.telnetd, serverArgs: ["-h"] };
  }
  let defs = readFileSync(LOGIN_DEFS, "utf8");
  if (loginTimeout !== undefined) defs = rewriteLoginTimeout(defs, loginTimeout);
  if (loginRetries !== undefined) defs = rewriteLoginDef(defs, "LOGIN_RETRIES", loginRetries);
  return {
    name,
    server: `{dir}/${name}.sh`,
    files: [
      { path: `${name}.login.defs`, content: defs },
      {
        path: `${name}.sh`,
        mode: 0o755,
        content: [
          "#!/bin/sh",
          "# A private mount namespace in which /etc/login.defs has our LOGIN_TIMEOUT/LOGIN_RETRIES.",
          `exec ${UNSHARE} --mount --propagation private /bin/sh -c \\`,
          `  'mount --bind "$0" ${LOGIN_DEFS} && exec ${BIN.telnetd} -h' {dir}/${name}.login.defs`,
          "",
        ].join("\n"),
      },
    ],
  };
}

const DAEMON_NAME = /^[A-Za-z0-9._-]+$/;

/**
 * telnetd behind tcpd, whose hosts.allow/deny name is `daemonName` (tcpd takes it from argv[0]:
 * a script execs tcpd with argv[0] = {dir}/daemonName, a symlink to telnetd).
 *
 * With `denied: true`, tcpd runs in a private mount namespace where /etc/hosts.deny is a copy
 * with a `daemonName: ALL` line (needs canUnshareMount() and an existing /etc/hosts.deny):
 * every connection is denied and the real file is never edited, so concurrent test processes
 * cannot race on it (denyWithTcpd edits the real file).
 */
export function telnetdViaTcpd(
  daemonName: string,
  options: { name?: string; denied?: boolean } = {},
): ServiceSpec {
  if (!DAEMON_NAME.test(daemonName)) throw new Error(`bad daemon name: ${daemonName}`);
  const name = options.name ?? `teldoc-tcpd-${daemonName}${options.denied ? "-denied" : ""}`;
  const exec = `exec -a {dir}/${daemonName} ${BIN.tcpd} -h`;
  const files: FixtureFile[] = [{ path: daemonName, symlinkTo: BIN.telnetd }];
  if (options.denied) {
    const current = readFileSync(HOSTS_DENY, "utf8");
    files.push(
      {
        path: `${name}.hosts.deny`,
        content:
          (current === "" || current.endsWith("\n") ? current : `${current}\n`) +
          denyLine(daemonName),
      },
      {
        path: `${name}.sh`,
        mode: 0o755,
        content: [
          "#!/bin/bash",
          "# A private mount namespace in which /etc/hosts.deny denies this daemon name; tcpd",
          "# takes the daemon's path and its hosts.allow/deny name from argv[0].",
          `exec ${UNSHARE} --mount --propagation private /bin/bash -c \\`,
          `  'mount --bind "$0" ${HOSTS_DENY} && ${exec}' {dir}/${name}.hosts.deny`,
          "",
        ].join("\n"),
      },
    );
  } else {
    files.push({
      path: `${name}.sh`,
      mode: 0o755,
      content: [
        "#!/bin/bash",
        "# tcpd takes the daemon's path and its hosts.allow/deny name from argv[0].",
        exec,
        "",
      ].join("\n"),
    });
  }
  return { name, server: `{dir}/${name}.sh`, files };
}

/** telnetd with xinetd's `instances` / `per_source` limits (and optional banner_fail). */
export function limited(options: {
  instances?: number;
  perSource?: number;
  bannerFail?: string;
  name?: string;
}): ServiceSpec {
  const spec: ServiceSpec = {
    name: options.name ?? "teldoc-limited",
    server: BIN.telnetd,
    serverArgs: ["-h"],
  };
  if (options.instances !== undefined) spec.instances = options.instances;
  if (options.perSource !== undefined) spec.perSource = options.perSource;
  if (options.bannerFail !== undefined) spec.bannerFail = options.bannerFail;
  return spec;
}

/** telnetd that xinetd only serves to `address` (so 127.0.0.1 is refused). */
export function onlyFrom(
  address: string,
  options: { name?: string; bannerFail?: string } = {},
): ServiceSpec {
  const spec: ServiceSpec = {
    name: options.name ?? "teldoc-onlyfrom",
    server: BIN.telnetd,
    serverArgs: ["-h"],
    onlyFrom: [address],
  };
  if (options.bannerFail !== undefined) spec.bannerFail = options.bannerFail;
  return spec;
}

/**
 * A /bin/sh script as the service (stdin/stdout are the socket), e.g. a banner and exit, or a
 * crash, or the wrong protocol: `shellService("teldoc-crash", "printf 'hi\\r\\n'; kill -SEGV $$")`.
 */
export function shellService(
  name: string,
  script: string,
  limits: Pick<
    ServiceSpec,
    "instances" | "perSource" | "onlyFrom" | "noAccess" | "bannerFail"
  > = {},
): ServiceSpec {
  return {
    ...limits,
    name,
    server: `{dir}/${name}.sh`,
    files: [{ path: `${name}.sh`, mode: 0o755, content: `#!/bin/sh\n${script}\n` }],
  };
}

// ---------------------------------------------------------------------------------------------
// /etc/hosts.deny (tcpd, and xinetd's built-in libwrap).

interface DenyRecord {
  added: string;
  createdFile: boolean;
}
const denies = new Map<string, DenyRecord & { forgetExitHook: () => void }>();

function denyLine(daemonName: string): string {
  return `${daemonName}: ALL ${MARK}\n`;
}

function undenySync(record: DenyRecord): void {
  let current: string;
  try {
    current = readFileSync(HOSTS_DENY, "utf8");
  } catch {
    return;
  }
  const at = current.lastIndexOf(record.added);
  if (at < 0) return;
  const restored = current.slice(0, at) + current.slice(at + record.added.length);
  if (record.createdFile && restored === "") {
    spawnSync("/bin/rm", ["-f", HOSTS_DENY]);
  } else {
    writeFileSync(HOSTS_DENY, restored);
  }
}

/** Append a marked `daemonName: ALL` line to /etc/hosts.deny (undone by undenyTcpd). */
export async function denyWithTcpd(daemonName: string): Promise<void> {
  if (!DAEMON_NAME.test(daemonName)) throw new Error(`bad daemon name: ${daemonName}`);
  if (denies.has(daemonName)) return;
  let original: string | undefined;
  try {
    original = await readFile(HOSTS_DENY, "utf8");
  } catch {
    original = undefined;
  }
  const text = original ?? "";
  const added = (text === "" || text.endsWith("\n") ? "" : "\n") + denyLine(daemonName);
  const record: DenyRecord = { added, createdFile: original === undefined };
  const forgetExitHook = onExit(() => undenySync(record));
  denies.set(daemonName, { ...record, forgetExitHook });
  await writeFile(HOSTS_DENY, text + added);
}

/** Remove exactly what denyWithTcpd(daemonName) added, leaving /etc/hosts.deny as it was. */
export async function undenyTcpd(daemonName: string): Promise<void> {
  const record = denies.get(daemonName);
  if (!record) return;
  denies.delete(daemonName);
  undenySync(record);
  record.forgetExitHook();
}

/** denyWithTcpd for the duration of `fn`, undone even if it throws. */
export async function withTcpdDeny<T>(daemonName: string, fn: () => Promise<T>): Promise<T> {
  await denyWithTcpd(daemonName);
  try {
    return await fn();
  } finally {
    await undenyTcpd(daemonName);
  }
}

// ---------------------------------------------------------------------------------------------
// LOGIN_TIMEOUT.

/** login.defs text with LOGIN_TIMEOUT set to `seconds` (line replaced in place, or appended). */
export function rewriteLoginTimeout(defs: string, seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < 1) throw new Error(`bad LOGIN_TIMEOUT: ${seconds}`);
  return rewriteLoginDef(defs, "LOGIN_TIMEOUT", seconds);
}

/** login.defs text with `key` set to a positive integer (line replaced in place, or appended). */
export function rewriteLoginDef(defs: string, key: string, value: number): string {
  if (!/^[A-Z_]+$/.test(key)) throw new Error(`bad login.defs key: ${key}`);
  if (!Number.isInteger(value) || value < 1) throw new Error(`bad ${key}: ${value}`);
  const line = new RegExp(`^[ \\t]*${key}[ \\t]+\\S+[ \\t]*$`, "m");
  if (line.test(defs)) return defs.replace(line, `${key}\t\t${value}`);
  return (defs === "" || defs.endsWith("\n") ? defs : defs + "\n") + `${key}\t\t${value}\n`;
}

/**
 * Rewrite LOGIN_TIMEOUT in the real /etc/login.defs for the duration of `fn`, then restore the
 * file byte for byte (also on failure and at process exit). Affects every login on the machine
 * meanwhile: prefer telnetdLogin({ loginTimeout }) where canUnshareMount() is ok.
 */
export async function withLoginTimeout<T>(seconds: number, fn: () => Promise<T>): Promise<T> {
  const original = await readFile(LOGIN_DEFS);
  const restore = () => writeFileSync(LOGIN_DEFS, original);
  const forgetExitHook = onExit(restore);
  try {
    await writeFile(LOGIN_DEFS, rewriteLoginTimeout(original.toString("utf8"), seconds));
    return await fn();
  } finally {
    restore();
    forgetExitHook();
  }
}

// ---------------------------------------------------------------------------------------------
// sshd.

export interface SshdHandle {
  port: number;
  /** The identification line sshd sent, e.g. "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u10". */
  banner: string;
  dir: string;
  /** sshd's stderr (-e) so far. */
  log(): string;
  stop(): Promise<void>;
}

/** Read the first line a TCP server sends (bounded); "" if it closes or times out first. */
export function readFirstLine(
  port: number,
  timeoutMs: number,
  host = "127.0.0.1",
): Promise<string> {
  return new Promise((resolve) => {
    let data = "";
    const socket = connect({ host, port });
    const done = (line: string) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(line);
    };
    const timer = setTimeout(() => done(""), timeoutMs);
    socket.on("data", (d: Buffer) => {
      data += d.toString("latin1");
      const nl = data.indexOf("\n");
      if (nl >= 0) done(data.slice(0, nl).replace(/\r$/, ""));
    });
    socket.on("error", () => done(""));
    socket.on("close", () => done(""));
  });
}

/**
 * sshd on a free 127.0.0.1 port with a private config and a fresh ed25519 host key in a temp
 * dir; resolves once its "SSH-2.0-" banner can be read (≤ 5 s). Password logins via PAM work
 * for TEST_USER.
 */
export async function startSshd(): Promise<SshdHandle> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    const r = await tryStartSshd();
    if ("handle" in r) return r.handle;
    lastError = r.error;
    if (!r.retry) break;
  }
  throw lastError ?? new Error("sshd did not start");
}

async function tryStartSshd(): Promise<{ handle: SshdHandle } | { error: Error; retry: boolean }> {
  const dir = await mkdtemp(join(tmpdir(), "teldoc-sshd-"));
  const key = join(dir, "ssh_host_ed25519_key");
  const keygen = await run(BIN.sshKeygen, ["-q", "-t", "ed25519", "-N", "", "-f", key]);
  if (keygen.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    return { error: new Error(`ssh-keygen failed: ${keygen.stderr}`), retry: false };
  }
  // sshd refuses to start without its privilege separation directory.
  await mkdir("/run/sshd", { recursive: true, mode: 0o755 });
  const [port] = await freePorts(1);
  const confPath = join(dir, "sshd_config");
  await writeFile(
    confPath,
    [
      "# Written by teldoc's test fixtures (src/testing/daemons.ts).",
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${key}`,
      `PidFile ${join(dir, "sshd.pid")}`,
      "UsePAM yes",
      "PasswordAuthentication yes",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin no",
      "LoginGraceTime 20",
      "",
    ].join("\n"),
  );
  const check = await run(BIN.sshd, ["-t", "-f", confPath]);
  if (check.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    return { error: new Error(`sshd -t: ${check.stderr}`), retry: false };
  }
  let output = "";
  const child = spawn(BIN.sshd, ["-D", "-e", "-f", confPath], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.once("error", (e) => {
    output += `spawn error: ${e.message}\n`;
  });
  const pid = child.pid;
  const stop = daemonStopper(child, dir);
  const handle: SshdHandle = {
    port: port!,
    banner: "",
    dir,
    log: () => output,
    stop,
  };
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null || pid === undefined) break;
    if (/Server listening on/.test(output)) {
      const line = await readFirstLine(port!, 2000);
      if (line.startsWith("SSH-2.0-")) {
        handle.banner = line;
        return { handle };
      }
    }
    await sleep(50);
  }
  await handle.stop();
  return {
    error: new Error(`sshd did not answer with SSH-2.0- within 5 s:\n${output}`),
    retry: /Bind to port|Cannot bind any address/.test(output),
  };
}
