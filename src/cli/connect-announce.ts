/**
 * @module What the classic client says while it connects — `Trying ADDRESS...`, `Connected to
 * HOST.`, `Escape character is '^]'.` — on stderr (stdout is the session), and, when the connect
 * takes more than a moment, what it waits for, for how long and until when, updated in place
 * once a second and cleared when it connects or fails. Only for a terminal: the caller decides.
 */

import type { ClientSession } from "../session/client.js";
import type { Clock, Timer } from "../session/clock.js";
import type { TraceEvent } from "../trace/events.js";
import { ESCAPE_NAME } from "./escape-help.js";

/** What the connect is waiting for, since when (session time, ms). */
export type Waiting =
  | { readonly kind: "resolve"; readonly host: string; readonly since: number }
  | { readonly kind: "connect"; readonly address: string; readonly since: number };

/** Seconds for people: `10 s`, `2.5 s`. */
function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))} s`;
}

/** The line that stays: `Trying 192.0.2.7...` (nothing for a resolve). */
function waitingLine(w: Waiting): string {
  return w.kind === "connect" ? `Trying ${w.address}...` : "";
}

/**
 * The progress line after `elapsedMs` of waiting.
 * @example progressText({ kind: "connect", address: "198.18.0.9", since: 0 }, 3200, 10_000)
 * // "Trying 198.18.0.9... 3 s of 10 s (no answer yet)"
 */
export function progressText(w: Waiting, elapsedMs: number, timeoutMs: number): string {
  const s = Math.floor(elapsedMs / 1000);
  if (w.kind === "resolve") return `Resolving ${w.host}... ${s} s (waiting for DNS)`;
  return `${waitingLine(w)} ${s} s of ${seconds(timeoutMs)} (no answer yet)`;
}

export interface AnnounceOptions {
  /** Where the lines go: a terminal (stderr). */
  readonly out: NodeJS.WritableStream & { columns?: number };
  readonly connectTimeoutMs: number;
  /** Say `Escape character is '^]'.` (the session is interactive). */
  readonly escape: boolean;
}

/**
 * Announce a session's connect on a terminal; stops by itself once connected or failed.
 * @example announceConnect(session, { out: process.stderr, connectTimeoutMs: 10_000, escape: true });
 */
export function announceConnect(session: ClientSession, o: AnnounceOptions): void {
  const clock: Clock = session.clock;
  let waiting: Waiting | undefined;
  let timer: Timer | undefined;
  let drawn = false;
  const draw = (text: string) => {
    const width = Math.max(20, (o.out.columns ?? 80) - 1);
    o.out.write(`\r\u001b[2K${text.slice(0, width)}`);
    drawn = true;
  };
  const tick = () => {
    if (!waiting) return;
    const elapsed = session.recorder.elapsed() - waiting.since;
    if (elapsed >= 1000) draw(progressText(waiting, elapsed, o.connectTimeoutMs));
    timer = clock.after(1000 - (elapsed % 1000), tick);
  };
  /** Stop waiting: the progress part goes, the line that stays is ended. */
  const settle = () => {
    timer?.cancel();
    const line = waiting ? waitingLine(waiting) : "";
    if (drawn) draw(line);
    if (line) o.out.write("\n");
    else if (drawn) o.out.write("\r\u001b[2K");
    waiting = undefined;
    drawn = false;
  };
  const wait = (w: Waiting) => {
    settle();
    waiting = w;
    if (waitingLine(w)) o.out.write(waitingLine(w));
    tick();
  };
  const off = session.recorder.subscribe((e: TraceEvent) => {
    if (e.type === "resolving") wait({ kind: "resolve", host: e.host, since: e.t });
    else if (e.type === "resolved" || e.type === "resolve-failed" || e.type === "connect-failed")
      settle();
    else if (e.type === "connecting") wait({ kind: "connect", address: e.address, since: e.t });
    else if (e.type === "connected") {
      settle();
      off();
      o.out.write(`Connected to ${session.options.host}.\n`);
      if (o.escape) o.out.write(`Escape character is '${ESCAPE_NAME}'.\n`);
    } else if (e.type === "closed") {
      settle();
      off();
    }
  });
}
