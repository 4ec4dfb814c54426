/**
 * @module Test support: a real sshd on a loopback port (throwaway host keys), for the ssh check.
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { BIN } from "./base.js";
import { daemonStopper, freePorts } from "./processes.js";
import { run } from "./users.js";

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
