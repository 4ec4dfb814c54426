/**
 * @module Test support: a private syslog for login's and telnetd's lines. login, PAM and
 * telnetd log to /dev/log, which is system-wide, so nothing global is touched: BusyBox's
 * syslogd runs in a private mount namespace whose /dev is a tmpfs where `log` is a symlink to
 * a socket in the test's own directory (BusyBox syslogd follows that symlink and binds the
 * socket there), and `telnetdWithSyslog` runs telnetd (and so login) in a private mount
 * namespace whose /dev is a tmpfs holding the devices it needs, the pty directory, and `log`
 * pointing at that socket. /dev/ptmx must be the `pts/ptmx` symlink: a bind-mounted ptmx node
 * does not find its devpts ("Out of ptys"). Needs root and canUnshareMount().
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN, UNSHARE } from "./base.js";
import type { ServiceSpec } from "./xinetd.js";

export const BUSYBOX = "/usr/bin/busybox";

export interface SyslogHandle {
  /** The directory holding the socket (`log`) and the file (`syslog`). */
  readonly dir: string;
  readonly logPath: string;
  /** The log so far. */
  log(): Promise<string>;
  /** Wait (bounded) until the log matches; returns it, or throws with it. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  stop(): Promise<void>;
}

/** Start BusyBox syslogd writing to DIR/syslog, its socket at DIR/log (ready within 5 s). */
export async function startPrivateSyslog(): Promise<SyslogHandle> {
  const dir = await mkdtemp(join(tmpdir(), "teldoc-syslog-"));
  await mkdir(join(dir, "sdev"));
  await mkdir(join(dir, "newdev"));
  const logPath = join(dir, "syslog");
  const script =
    'mount -t tmpfs -o mode=755 tmpfs "$0/sdev" && ln -s "$0/log" "$0/sdev/log" && touch "$0/sdev/null" && ' +
    'mount --bind /dev/null "$0/sdev/null" && mount --bind "$0/sdev" /dev && exec busybox syslogd -n -O "$0/syslog"';
  const child = spawn(
    UNSHARE,
    ["--mount", "--propagation", "private", "/bin/sh", "-c", script, dir],
    {
      stdio: "ignore",
    },
  );
  const log = () => readFile(logPath, "utf8").catch(() => "");
  const handle: SyslogHandle = {
    dir,
    logPath,
    log,
    async waitFor(pattern, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const text = await log();
        if (pattern.test(text)) return text;
        if (Date.now() >= deadline) throw new Error(`syslog never matched ${pattern}:\n${text}`);
        await sleep(50);
      }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const gone = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([gone, sleep(2000)]);
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
  await handle.waitFor(/syslogd started/, 5000).catch(async (err) => {
    await handle.stop();
    throw err;
  });
  return handle;
}

/**
 * telnetd + /bin/login under xinetd, logging to `syslog`'s socket (see the module's note).
 * `loginDefs` (optional): a login.defs text bind-mounted over /etc/login.defs in the same
 * namespace (LOGIN_TIMEOUT, LOGIN_RETRIES).
 */
export function telnetdWithSyslog(
  syslog: SyslogHandle,
  options: { name?: string; loginDefs?: string } = {},
): ServiceSpec {
  const name = options.name ?? "teldoc-syslogged";
  const d = syslog.dir;
  const defs =
    options.loginDefs === undefined
      ? ""
      : 'mount --bind "{dir}/login.defs.' + name + '" /etc/login.defs\n';
  const content = [
    "#!/bin/sh",
    `exec ${UNSHARE} --mount --propagation private /bin/sh -c '`,
    `n=${d}/newdev`,
    'mount -t tmpfs -o mode=755 tmpfs "$n" || exit 1',
    'for f in null zero full random urandom tty console; do touch "$n/$f"; mount --bind "/dev/$f" "$n/$f"; done',
    'mkdir "$n/pts" "$n/shm"; mount --rbind /dev/pts "$n/pts"; mount --rbind /dev/shm "$n/shm"',
    `ln -s pts/ptmx "$n/ptmx"; ln -s /proc/self/fd "$n/fd"; ln -s ${d}/log "$n/log"`,
    `${defs}mount --rbind "$n" /dev && exec ${BIN.telnetd} -h'`,
    "",
  ].join("\n");
  return {
    name,
    server: `{dir}/${name}.sh`,
    files: [
      { path: `${name}.sh`, mode: 0o755, content },
      ...(options.loginDefs !== undefined
        ? [{ path: `login.defs.${name}`, content: options.loginDefs }]
        : []),
    ],
  };
}
