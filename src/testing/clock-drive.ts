/**
 * @module Test support for a manual clock over real sockets: the clock moves only when a test
 * says so, while I/O happens in real time. `until` waits (in real time) for I/O a test started;
 * `settle` waits until the loopback I/O under way has arrived; `drive` runs a whole piece of
 * work to its end — let I/O settle, move the clock to the next timer, repeat: "do I/O, await it,
 * then advance", in a loop.
 *
 * `settle` knows when loopback I/O has arrived because it sees every TCP socket of this process
 * (diagnostics_channel `net.client.socket` and `net.server.socket`) and pairs their ends: a
 * pair is quiet when each side has read what the other wrote and seen its FIN or RST.
 */
import { subscribe } from "node:diagnostics_channel";
import type { Socket } from "node:net";
import { setTimeout as delay, setImmediate as immediate } from "node:timers/promises";
import type { ManualClock } from "./manual-clock.js";

/** A TCP socket of this process, named by its ends once connected (names outlive the handle). */
interface Tracked {
  readonly socket: Socket;
  /** "local>remote", and the peer's name for the same connection. */
  me?: string;
  peer?: string;
  /** When it was first seen connected to loopback with no peer in this process (real ms). */
  unpairedSince?: number;
}

/** Every TCP socket this process made or accepted, until both ends have closed. */
const tracked = new Map<Socket, Tracked>();

const track = (m: unknown) => {
  const socket = (m as { socket?: Socket }).socket;
  if (!socket || tracked.has(socket)) return;
  const t: Tracked = { socket };
  tracked.set(socket, t);
  const name = () => {
    const local = `${socket.localAddress}:${socket.localPort}`;
    const remote = `${socket.remoteAddress}:${socket.remotePort}`;
    t.me = `${local}>${remote}`;
    t.peer = `${remote}>${local}`;
  };
  if (socket.remotePort === undefined) socket.once("connect", name);
  else name();
};
subscribe("net.client.socket", track);
subscribe("net.server.socket", track);

/** How long a loopback connection may wait for its server side to appear here. */
const UNPAIRED_GRACE_MS = 200;

/** True when what `from` sent has reached `to`'s reader (or `to` does not read). */
function delivered(from: Socket, to: Socket): boolean {
  if (to.destroyed || to.readableFlowing !== true) return true;
  if (from.writableLength > 0 || from.bytesWritten !== to.bytesRead) return false;
  // A FIN (or a close) sent must have been seen.
  return !(from.writableFinished || from.destroyed) || to.readableEnded;
}

/** One socket's part of ioQuiet: false while its I/O is under way. */
function quiet(t: Tracked, byName: ReadonlyMap<string, Tracked>): boolean {
  const s = t.socket;
  if (t.me === undefined) {
    if (s.destroyed) tracked.delete(s);
    return s.destroyed;
  }
  const p = t.peer === undefined ? undefined : byName.get(t.peer);
  if (!p) {
    if (s.destroyed) tracked.delete(s);
    if (s.destroyed || !/^(127\.|::1|::ffff:127\.)/.test(s.remoteAddress ?? "")) return true;
    // Connected, but the server may not have taken the connection in yet.
    t.unpairedSince ??= performance.now();
    return performance.now() - t.unpairedSince > UNPAIRED_GRACE_MS;
  }
  if (s.destroyed && p.socket.destroyed) {
    tracked.delete(s);
    return true;
  }
  return delivered(s, p.socket);
}

/** True when no loopback I/O between this process's sockets is under way. */
function ioQuiet(): boolean {
  const byName = new Map<string, Tracked>();
  for (const t of tracked.values()) if (t.me !== undefined) byName.set(t.me, t);
  let all = true;
  for (const t of [...tracked.values()]) if (!quiet(t, byName)) all = false;
  return all;
}

/**
 * Let I/O that is under way happen: wait (in real time, turn by turn) until the loopback
 * sockets are quiet and stay quiet for a few more turns (what follows a read may start more:
 * a close after a FIN, a new connection after a file read). Gives up after `limitMs` of real
 * time. I/O other than TCP (files, DNS) is not seen: only the turns give it time.
 */
async function settle(limitMs = 2000): Promise<void> {
  const t0 = performance.now();
  const late = () => performance.now() - t0 >= limitMs;
  for (;;) {
    do await immediate();
    while (!ioQuiet() && !late());
    for (let i = 0; i < 3; i++) await immediate();
    if (ioQuiet() || late()) return;
  }
}

/**
 * Wait in real time until `cond()` holds (I/O the test started has happened).
 * @example await until(() => session.connected, "connected");
 */
export async function until(cond: () => boolean, what: string, limitMs = 10_000): Promise<void> {
  const t0 = performance.now();
  while (!cond()) {
    if (performance.now() - t0 > limitMs) throw new Error(`gave up waiting for: ${what}`);
    await delay(1);
  }
}

export interface DriveOptions {
  /** The clock moves at most this far at once (ms; default: to the next timer). */
  readonly stepMs?: number;
  /**
   * Real time each settle may wait for quiet sockets (ms, default 2000). A server that floods
   * is never quiet: give it a few ms, and a `stepMs`.
   */
  readonly settleLimitMs?: number;
  /** Fail when the clock has moved this far and the work is not done (ms, default 1 h). */
  readonly limitMs?: number;
  /** Fail when the work has not ended after this much real time (ms, default 60 s). */
  readonly realLimitMs?: number;
}

/**
 * Run `work` to its end: let I/O settle, move the clock to its next timer (at most `stepMs`),
 * repeat. With no timer waiting the clock stays: the work is waiting for I/O alone.
 * @example const report = await drive(clock, runChecklist({ ...options, clock }));
 */
export async function drive<T>(
  clock: ManualClock,
  work: Promise<T>,
  options: DriveOptions = {},
): Promise<T> {
  const stepMs = options.stepMs ?? Number.POSITIVE_INFINITY;
  const limitMs = options.limitMs ?? 3_600_000;
  const realLimitMs = options.realLimitMs ?? 60_000;
  let done = false;
  work.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  const start = clock.now();
  const realStart = performance.now();
  while (!done) {
    await settle(options.settleLimitMs);
    if (done) break;
    if (clock.now() - start > limitMs)
      throw new Error(`the work did not end within ${limitMs} ms of the manual clock`);
    if (performance.now() - realStart > realLimitMs)
      throw new Error(`the work did not end within ${realLimitMs} ms of real time`);
    const next = clock.nextIn;
    if (next !== undefined) clock.advance(Math.min(stepMs, Math.max(0, next)));
    else await delay(1);
  }
  return work;
}
