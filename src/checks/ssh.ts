/**
 * @module The `ssh` check: does the host answer SSH (port 22 by default), and with which
 * version, so the advice can offer SSH instead of Telnet. Reads the server's identification
 * line (RFC 4253 §4.2) and sends nothing.
 */
import type { Socket } from "node:net";
import { type Clock, systemClock } from "../session/clock.js";
import { connectOnce } from "../session/dial.js";
import type { ConnectOutcome } from "../trace/events.js";
import { formatMs, formatRtt } from "../util/duration.js";
import type { CheckResult } from "./types.js";

/** `ssh [-p PORT] [USER@]HOST`, as short as the facts allow. */
function sshCommand(host: string, port: number, user?: string): string {
  return `ssh${port !== 22 ? ` -p ${port}` : ""} ${user ? `${user}@` : ""}${host}`;
}

export interface SshCheckOptions {
  readonly signal?: AbortSignal;
  /** The host as the user wrote it, for the `ssh` command in the advice. */
  readonly host?: string;
  /** The login name, for the same command. */
  readonly user?: string;
  readonly clock?: Clock;
}

/**
 * Read the identification string from `address`:`port`.
 * @example (await checkSsh("127.0.0.1", 4, 22, 3000)).data.version // "SSH-2.0-OpenSSH_9.2p1 Debian-2"
 */
export async function checkSsh(
  address: string,
  family: 4 | 6,
  port: number,
  timeoutMs: number,
  options: SshCheckOptions = {},
): Promise<CheckResult> {
  const clock = options.clock ?? systemClock;
  const t0 = clock.now();
  const c = await connectOnce(address, family, port, timeoutMs, options.signal, clock);
  if (!("socket" in c)) return noConnection(port, c, clock.now() - t0);
  const connectMs = clock.now() - t0;
  const line = await firstLine(c.socket, timeoutMs, clock);
  c.socket.destroy();
  const durationMs = clock.now() - t0;
  if (line?.startsWith("SSH-")) {
    const command = sshCommand(options.host ?? address, port, options.user);
    return sshAnswers(port, line, command, connectMs, durationMs);
  }
  return notSsh(port, line, timeoutMs, durationMs);
}

/** The connection failed: no SSH alternative here. */
function noConnection(
  port: number,
  c: { code: string; outcome: ConnectOutcome },
  durationMs: number,
): CheckResult {
  const why =
    c.outcome === "refused"
      ? "refused"
      : c.outcome === "timeout"
        ? "no answer (filtered or down)"
        : `${c.outcome} (${c.code})`;
  return {
    id: "ssh",
    status: "warn",
    summary: `no SSH on port ${port}: ${why}; there is no SSH alternative here`,
    durationMs,
    data: { port, available: false, outcome: c.outcome, errno: c.code },
  };
}

/**
 * The server's identification line (other lines may come first, RFC 4253 §4.2), else what it
 * sent by the end, the timeout or 4 kB (undefined when nothing).
 */
function firstLine(socket: Socket, timeoutMs: number, clock: Clock): Promise<string | undefined> {
  return new Promise<string | undefined>((resolve) => {
    let buf = "";
    const done = (v: string | undefined) => {
      timer.cancel();
      socket.removeAllListeners("data");
      resolve(v);
    };
    // The open socket keeps the process alive while the timer waits.
    const timer = clock.after(timeoutMs, () => done(buf === "" ? undefined : buf));
    socket.on("data", (b: Buffer) => {
      buf += b.toString("latin1");
      const m = /^(SSH-[^\r\n]*)\r?\n/m.exec(buf);
      if (m) done(m[1]);
      else if (buf.length > 4096) done(buf);
    });
    socket.once("end", () => done(buf === "" ? undefined : buf));
    socket.once("error", () => done(buf === "" ? undefined : buf));
  });
}

/** SSH answers: its version, and the `ssh` command to offer instead of Telnet. */
function sshAnswers(
  port: number,
  line: string,
  command: string,
  connectMs: number,
  durationMs: number,
): CheckResult {
  const m = /^SSH-([\d.]+)-(\S+)(?:\s+(.*))?$/.exec(line);
  const version = line.slice(0, 255);
  return {
    id: "ssh",
    status: "pass",
    summary: `SSH answers on port ${port} in ${formatRtt(connectMs)}: ${version}`,
    durationMs,
    data: {
      port,
      available: true,
      version,
      protocol: m?.[1],
      software: m?.[2],
      comments: m?.[3],
    },
    advice: [
      `SSH answers on port ${port} (${m?.[2] ?? version}): if you have an account there, \`${command}\` is encrypted and keeps sessions alive with ServerAliveInterval.`,
    ],
  };
}

/** The port answers, but with silence or another protocol. */
function notSsh(
  port: number,
  line: string | undefined,
  timeoutMs: number,
  durationMs: number,
): CheckResult {
  return {
    id: "ssh",
    status: "warn",
    summary:
      line === undefined
        ? `port ${port} accepts connections but sent no SSH identification in ${formatMs(timeoutMs)}`
        : `port ${port} answers, but not with SSH: "${line.slice(0, 60).replace(/[\r\n]+/g, " ")}"`,
    durationMs,
    data: { port, available: false, outcome: "not-ssh", firstBytes: line?.slice(0, 120) },
  };
}
