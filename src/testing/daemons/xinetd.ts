/**
 * @module Test support: a real xinetd on loopback ports, with the services a test asks for.
 */
import { spawn } from "node:child_process";
import { chmod, mkdtemp, readFile, symlink, writeFile } from "node:fs/promises";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN } from "./base.js";
import { daemonStopper, freePorts, listeningInodes, socketInodes } from "./processes.js";

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

/** Hold one of xinetd's slots: a raw TCP connection that has seen telnetd's first bytes. */
export async function holdSlot(port: number): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error("the slot holder got no bytes in 5 s")), 5000);
    socket.once("data", () => {
      clearTimeout(t);
      resolve();
    });
    socket.once("error", reject);
  });
  return socket;
}
