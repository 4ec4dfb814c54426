/**
 * @module Test support for real daemons: the credentials, the exact texts real programs print, the
 * binaries, whether this machine can run them, and cleanup that must happen even if a test process
 * dies.
 */
import { spawnSync } from "node:child_process";
import { accessSync, existsSync, constants as fsConstants } from "node:fs";

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

export const BIN = {
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
export const UNSHARE = "/usr/bin/unshare";
export const LOGIN_DEFS = "/etc/login.defs";
export const HOSTS_DENY = "/etc/hosts.deny";
export const MARK = "# teldoc test fixture";

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

export function onExit(hook: () => void): () => void {
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
