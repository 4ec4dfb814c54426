/**
 * @module Resolve a name and connect to its addresses in order, recording every fact:
 * resolution (addresses, time), each attempt and its result (local and remote address, errno).
 */
import { lookup } from "node:dns/promises";
import { isIP, type Socket, connect as tcpConnect } from "node:net";
import type { ConnectOutcome } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import { type Clock, systemClock } from "./clock.js";
import { connectOutcome, errnoCode } from "./errno.js";
import { readTcpRetransFail, readTcpRetransFailBefore } from "./kernel-counters.js";
import { readNextHop } from "./next-hop.js";
import type { Recorder } from "./recorder.js";

export interface DialOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export type DialResult =
  | {
      readonly ok: true;
      readonly socket: Socket;
      readonly address: string;
      readonly family: 4 | 6;
      /** The TCP handshake's time: a first measure of the round trip. */
      readonly connectMs: number;
    }
  | {
      readonly ok: false;
      readonly stage: "resolve" | "connect";
      readonly outcome?: ConnectOutcome;
      readonly code: string;
    };

/** Resolve `host` (A and AAAA, in the system's order). */
async function resolveHost(
  host: string,
  rec: Recorder,
  port?: number,
): Promise<{ address: string; family: 4 | 6 }[] | { code: string }> {
  rec.emit({ type: "resolving", host, ...(port !== undefined ? { port } : {}) });
  const t0 = rec.elapsed();
  const literal = isIP(host);
  if (literal !== 0) {
    const addresses = [{ address: host, family: literal as 4 | 6 }];
    rec.emit({ type: "resolved", host, addresses, durationMs: 0 });
    return addresses;
  }
  try {
    const found = await lookup(host, { all: true, verbatim: true });
    const addresses = found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    rec.emit({ type: "resolved", host, addresses, durationMs: rec.elapsed() - t0 });
    return addresses;
  } catch (err) {
    const code = errnoCode(err);
    const message = err instanceof Error ? err.message : String(err);
    rec.emit({ type: "resolve-failed", host, code, message, durationMs: rec.elapsed() - t0 });
    return { code };
  }
}

/** One TCP connect attempt with a timeout (on `clock`). */
export function connectOnce(
  address: string,
  family: 4 | 6,
  port: number,
  timeoutMs: number,
  signal?: AbortSignal,
  clock: Clock = systemClock,
): Promise<{ socket: Socket } | { code: string; outcome: ConnectOutcome }> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: address, port, family, noDelay: true });
    let done = false;
    const finish = (r: { socket: Socket } | { code: string; outcome: ConnectOutcome }) => {
      if (done) return;
      done = true;
      timer.cancel();
      signal?.removeEventListener("abort", onAbort);
      socket.removeListener("error", onError);
      if (!("socket" in r)) socket.destroy();
      resolve(r);
    };
    const onError = (err: Error) => {
      const code = errnoCode(err);
      finish({ code, outcome: connectOutcome(code) });
    };
    const onAbort = () => finish({ code: "ABORTED", outcome: "local-error" });
    // The connecting socket keeps the process alive while the timer waits.
    const timer = clock.after(timeoutMs, () => finish({ code: "TIMEOUT", outcome: "timeout" }));
    socket.once("connect", () => finish({ socket }));
    socket.once("error", onError);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Failures that may mean a neighbour (the host, or the gateway) never answered ARP/ND: the
 * kernel's EHOSTUNREACH after ~3 s, or our connect timer when it fires first.
 */
const NEIGHBOUR_CODES = new Set(["EHOSTUNREACH", "EHOSTDOWN", "TIMEOUT", "ETIMEDOUT"]);

/** Resolve and connect, trying each address in order; every step is recorded (time: the recorder's clock). */
export async function dial(options: DialOptions, rec: Recorder): Promise<DialResult> {
  const resolved = await resolveHost(options.host, rec, options.port);
  if (!Array.isArray(resolved)) return { ok: false, stage: "resolve", code: resolved.code };
  let last: DialResult = { ok: false, stage: "connect", outcome: "local-error", code: "ENOADDR" };
  let attempt = 0;
  for (const a of resolved) {
    attempt++;
    rec.emit({
      type: "connecting",
      address: a.address,
      family: a.family,
      port: options.port,
      attempt,
    });
    const failsBefore = await readTcpRetransFailBefore(rec.clock);
    const t0 = rec.elapsed();
    const r = await connectOnce(
      a.address,
      a.family,
      options.port,
      options.connectTimeoutMs,
      options.signal,
      rec.clock,
    );
    const durationMs = rec.elapsed() - t0;
    if ("socket" in r) {
      const s = r.socket;
      rec.emit({
        type: "connected",
        local: { address: s.localAddress ?? "", port: s.localPort ?? 0 },
        remote: { address: s.remoteAddress ?? a.address, port: s.remotePort ?? options.port },
        family: a.family,
        durationMs,
      });
      return { ok: true, socket: s, address: a.address, family: a.family, connectMs: durationMs };
    }
    if (r.code === "TIMEOUT")
      rec.emit({ type: "timer", name: "connect", detail: formatMs(options.connectTimeoutMs) });
    const failsAfter = failsBefore === undefined ? undefined : await readTcpRetransFail();
    // Read at once: the kernel keeps a failed ARP entry only for a while.
    const nextHop = NEIGHBOUR_CODES.has(r.code)
      ? await readNextHop(a.address, a.family)
      : undefined;
    rec.emit({
      type: "connect-failed",
      address: a.address,
      port: options.port,
      outcome: r.outcome,
      code: r.code,
      durationMs,
      ...(failsBefore !== undefined && failsAfter !== undefined
        ? { localSendFailures: Math.max(0, failsAfter - failsBefore) }
        : {}),
      ...(nextHop ? { nextHop } : {}),
    });
    last = { ok: false, stage: "connect", outcome: r.outcome, code: r.code };
    if (r.code === "ABORTED") break;
  }
  return last;
}
