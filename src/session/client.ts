/**
 * @module The Telnet client session: sockets and time around the sans-I/O TelnetConnection.
 * It dials, negotiates, moves data both ways, runs the keepalive, NOP, anti-idle, login and
 * dead-peer timers, and records every fact as a trace event. It draws no conclusions: the
 * diagnosis reads its events.
 */
import type { Socket } from "node:net";
import type { Writable } from "node:stream";
import { type ConnectionEvent, TelnetConnection } from "../protocol/connection.js";
import { type CommandName, Opt, optionName } from "../protocol/constants.js";
import { describeSubneg } from "../protocol/options/describe.js";
import type { WindowSize } from "../protocol/options/naws.js";
import type { EnvEntry } from "../protocol/options/new-environ.js";
import { CONNECT_TRANSPORT, type TraceEvent, type Transport } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import { type Clock, systemClock, type Timer } from "./clock.js";
import { connectOnce, dial } from "./dial.js";
import { errnoCode } from "./errno.js";
import { Recorder } from "./recorder.js";
import { MASK, SecretLine } from "./secret-line.js";

export interface ClientOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs?: number;
  /** TCP keepalive and IAC NOP at this interval. */
  readonly keepaliveMs?: number;
  /** Real keystrokes at an interval (defeats the server's idle policy). */
  readonly antiIdle?: { readonly text: string; readonly everyMs: number };
  /** Give up when the login has not completed in this time. */
  readonly loginTimeoutMs?: number;
  /** After sending, how long without any answer before the path is called dead (default 30 s). */
  readonly deadPeerMs?: number;
  readonly terminalTypes?: readonly string[];
  readonly windowSize?: WindowSize;
  readonly environment?: readonly EnvEntry[];
  /** Record raw reads and writes (hex) as `read`/`write` events. */
  readonly rawIo?: boolean;
  readonly clock?: Clock;
  readonly signal?: AbortSignal;
  /** Events the bounded log keeps for the diagnosis: the first half and the latest (default 20 000). */
  readonly maxLoggedEvents?: number;
}

export interface SessionEnd {
  readonly transport: Transport;
  readonly events: TraceEvent[];
  readonly address?: string;
  readonly family?: 4 | 6;
}

/** `latin1`: the data as latin1 text, when the session built it anyway (short data). */
export type DataListener = (data: Buffer, latin1?: string) => void;

/** An RST to our first write after at least this much quiet triggers a probe connection. */
const RESET_CHECK_IDLE_MS = 2000;

/** The probe connection (see probePath): its connect timeout, and how long it listens for a word. */
const PROBE_CONNECT_MS = 5000;
const PROBE_LISTEN_MS = 1500;

/** How much of a data event the session keeps when nobody records everything. */
const TEXT_TAIL = 2048;

const MASK_HEX = Buffer.from(MASK, "latin1").toString("hex");

/**
 * One client session.
 * @example
 * const s = new ClientSession({ host: "::1", port: 2323 });
 * s.onData((b) => process.stdout.write(b));
 * const end = await s.run();
 */
export class ClientSession {
  readonly recorder: Recorder;
  readonly telnet: TelnetConnection;
  private socket: Socket | undefined;
  readonly clock: Clock;
  private connectMs = 0;
  private readonly rttSamples: number[] = [];
  /** When we sent a message about an option that the server has not spoken of since. */
  private readonly askedAt = new Map<number, number>();
  private readonly dataListeners: DataListener[] = [];
  private readonly timers = new Map<string, Timer>();
  private address: string | undefined;
  private family: 4 | 6 | undefined;
  private finSeen = false;
  private errorCode: string | undefined;
  private localReason: string | undefined;
  private transportOverride: Transport | undefined;
  private settle: ((end: SessionEnd) => void) | undefined;
  private ended = false;
  /** Aborts the dial while run() is connecting. */
  private dialing: AbortController | undefined;
  bytesIn = 0;
  bytesOut = 0;
  lastInAt = 0;
  lastOutAt = 0;
  loginDone = false;
  /** Clock time of the oldest send not yet answered by any byte from the server. */
  private unansweredSince: number | undefined;
  /** How long the line had been quiet before the latest send. */
  private idleBeforeSend = 0;
  /** An RST answered our first write after a quiet stretch: check the path before settling. */
  private resetAfterIdle = false;
  /** Outputs whose write() returned false and that have not drained yet. */
  private readonly undrained = new Set<Writable>();
  /** Whether the user is typing a secret (after a password prompt). */
  private readonly secrets = new SecretLine();
  /** Secret bytes went out whose line has not ended: recorded once, when it does. */
  private secretUnrecorded = false;

  constructor(readonly options: ClientOptions) {
    this.clock = options.clock ?? systemClock;
    this.recorder = new Recorder(this.clock, options.maxLoggedEvents);
    this.telnet = new TelnetConnection({
      role: "client",
      terminalTypes: options.terminalTypes,
      windowSize: options.windowSize,
      environment: options.environment,
      // The session joins data per chunk anyway: let the parser gather it in one copy.
      gatherBelow: 4096,
    });
  }

  /**
   * The path's round trip as the application sees it: the TCP connect time, or, when longer,
   * the median time the server took to answer an option message of ours with a message about
   * the same option (our DO SGA answered by WILL SGA, our WILL TTYPE by SB TTYPE SEND): a slow
   * relay or a loaded device shows there. Waits that must not mistake a slow answer for
   * silence grow with it.
   */
  get rttMs(): number {
    const n = this.rttSamples.length;
    if (n === 0) return this.connectMs;
    const sorted = [...this.rttSamples].sort((a, b) => a - b);
    return Math.max(this.connectMs, sorted[n >> 1]);
  }

  /** The line end to send now: CR LF, or CR while we send in BINARY mode (RFC 856). */
  get lineEnd(): string {
    return this.telnet.enabled("local", Opt.BINARY) ? "\r" : "\r\n";
  }

  /** Decoded data from the server, as it arrives. */
  onData(listener: DataListener): void {
    this.dataListeners.push(listener);
  }

  /** The server's unfinished last line (raw text: escapes not drawn), e.g. `"Password: "`. */
  get serverLine(): string {
    return this.secrets.serverLine;
  }

  /** close() was called (by the user, a script, a timer): the session is on its way out. */
  get closeRequested(): boolean {
    return this.localReason !== undefined;
  }

  get connected(): boolean {
    return this.socket !== undefined && !this.ended;
  }

  /** Dial, run the session, resolve when it has ended (never rejects). */
  async run(): Promise<SessionEnd> {
    const o = this.options;
    this.dialing = new AbortController();
    const r = await dial(
      {
        host: o.host,
        port: o.port,
        connectTimeoutMs: o.connectTimeoutMs ?? 10_000,
        signal: o.signal ? AbortSignal.any([o.signal, this.dialing.signal]) : this.dialing.signal,
      },
      this.recorder,
    );
    this.dialing = undefined;
    if (!r.ok) {
      this.ended = true;
      const transport: Transport =
        this.localReason !== undefined
          ? "local-close"
          : r.stage === "resolve"
            ? "dns"
            : CONNECT_TRANSPORT[r.outcome ?? "local-error"];
      return { transport, events: this.recorder.events() };
    }
    this.address = r.address;
    this.family = r.family;
    const done = new Promise<SessionEnd>((resolve) => {
      this.settle = resolve;
    });
    this.connectMs = r.connectMs;
    this.attach(r.socket);
    return done;
  }

  /**
   * Send user data (text is sent as UTF-8). `masked` hides it in every record; so is what the
   * user types after a password prompt, up to the line end (see secret-line.ts).
   */
  send(data: Buffer | string, options: { masked?: boolean } = {}): void {
    const raw = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    if (!this.connected || raw.length === 0) return;
    this.noteSend();
    const cut = this.secrets.cut(raw, options.masked === true);
    if (cut.secret) this.sendSecret(cut.secret, cut.lineEnded);
    if (!cut.rest) return;
    // The trace's text is the bytes as latin1: for ASCII (same length) that is the string itself.
    const text =
      cut.rest === raw && typeof data === "string" && data.length === raw.length
        ? data
        : cut.rest.toString("latin1");
    this.recorder.emit({ type: "data", dir: "out", text });
    this.writeRaw(this.telnet.sendData(cut.rest).data);
    this.armDeadPeer();
  }

  /**
   * Send secret bytes; record them only when their line ends (one placeholder per line, so
   * neither the bytes nor the keystrokes' count show). The server answers the line, not each
   * keystroke: only a whole line arms the dead-peer timer.
   */
  private sendSecret(raw: Buffer, lineEnded: boolean): void {
    const bytes = this.telnet.sendData(raw).data;
    if (this.socket && !this.socket.destroyed) this.socket.write(bytes);
    this.secretUnrecorded = true;
    if (!lineEnded) return;
    this.recordSecret();
    this.armDeadPeer();
  }

  /** The one record of a secret line: MASK as its text, its raw bytes and its byte count. */
  private recordSecret(): void {
    if (!this.secretUnrecorded) return;
    this.secretUnrecorded = false;
    this.recorder.emit({ type: "data", dir: "out", text: MASK, masked: true });
    this.bytesOut += MASK.length;
    if (this.options.rawIo)
      this.recorder.emit({ type: "write", bytes: MASK.length, hex: MASK_HEX, masked: true });
  }

  private noteSend(): void {
    const now = this.recorder.elapsed();
    this.idleBeforeSend = now - Math.max(this.lastInAt, this.lastOutAt);
    this.lastOutAt = now;
  }

  /** Send a Telnet command (AYT, NOP, BRK, IP...). */
  sendCommand(command: CommandName): void {
    if (!this.connected) return;
    this.recorder.emit({ type: "command", dir: "out", command });
    this.writeRaw(this.telnet.sendCommand(command).data);
    if (command === "AYT") this.armDeadPeer();
  }

  /** Tell the server a new window size (NAWS), when NAWS is in effect. */
  resize(size: WindowSize): void {
    if (this.connected) this.handle(this.telnet.setWindowSize(size));
  }

  /** Close from our side, recording why. */
  close(
    reason: "user" | "script" | "stdin-eof" | "signal" | "login-timeout" | "dead-peer" | "error",
  ): void {
    if (this.ended || this.localReason !== undefined) return;
    if (!this.socket) {
      // Still connecting: give up the dial (Ctrl-C must not wait for --connect-timeout).
      if (!this.dialing) return;
      this.localReason = reason;
      this.recorder.emit({ type: "local-close", reason });
      this.dialing.abort();
      return;
    }
    this.localReason = reason;
    this.recordSecret();
    if (!this.finSeen) this.recorder.emit({ type: "local-close", reason });
    if (reason === "dead-peer") this.socket.destroy();
    else this.socket.end();
    // A peer that never answers our FIN must not keep us waiting.
    this.startTimer("close", 2000, () => this.socket?.destroy());
  }

  /**
   * Backpressure for any output fed from this session (stdout, a trace or pcap file): pass a
   * stream and what its write() returned. While any of them has not drained, the session stops
   * reading from the server, so memory stays bounded however slow the disk or the reader.
   * A stream that failed (disk full) never drains: it no longer holds the session back.
   * @example session.throttle(file, file.write(line));
   */
  throttle(stream: Writable, written: boolean): void {
    if (written || stream.destroyed || this.undrained.has(stream)) return;
    this.undrained.add(stream);
    this.pause();
    const release = () => {
      stream.off("drain", release);
      stream.off("close", release);
      this.undrained.delete(stream);
      if (this.undrained.size === 0) this.resume();
    };
    stream.on("drain", release);
    stream.on("close", release);
  }

  /** Stop reading from the server (backpressure), and start again. */
  pause(): void {
    this.socket?.pause();
  }
  resume(): void {
    this.socket?.resume();
  }

  /** Change the keepalive interval during the session (0: off). */
  setKeepalive(ms: number): void {
    this.stopTimer("keepalive");
    this.socket?.setKeepAlive(ms > 0, ms);
    if (ms > 0) this.keepaliveLoop(ms);
  }

  private attach(socket: Socket): void {
    this.socket = socket;
    const o = this.options;
    socket.on("data", (chunk: Buffer) => this.onChunk(chunk));
    socket.on("end", () => {
      this.recordSecret();
      this.finSeen = true;
      this.recorder.emit({ type: "fin" });
    });
    socket.on("error", (err) => {
      this.errorCode = errnoCode(err);
      this.recordSecret();
      this.recorder.emit({ type: "socket-error", code: this.errorCode, message: err.message });
      const unanswered = this.lastOutAt > this.lastInAt;
      if (
        (this.errorCode === "ECONNRESET" || this.errorCode === "EPIPE") &&
        unanswered &&
        !this.finSeen &&
        this.idleBeforeSend >= RESET_CHECK_IDLE_MS
      )
        this.resetAfterIdle = true;
    });
    socket.on("close", () => this.finish());
    if (o.signal) {
      const onAbort = () => this.close("signal");
      if (o.signal.aborted) onAbort();
      else {
        o.signal.addEventListener("abort", onAbort, { once: true });
        socket.once("close", () => o.signal?.removeEventListener("abort", onAbort));
      }
    }
    if (o.keepaliveMs) this.setKeepalive(o.keepaliveMs);
    if (o.antiIdle) this.antiIdleLoop(o.antiIdle.text, o.antiIdle.everyMs);
    const loginMs = o.loginTimeoutMs;
    if (loginMs) {
      this.startTimer("login", loginMs, () => {
        if (this.loginDone) return;
        this.recorder.emit({
          type: "timer",
          name: "login",
          detail: `no login after ${formatMs(loginMs)}`,
        });
        this.close("login-timeout");
      });
    }
    this.handle(this.telnet.start());
  }

  private onChunk(chunk: Buffer): void {
    this.bytesIn += chunk.length;
    this.lastInAt = this.recorder.elapsed();
    // Answered: the dead-peer timer, if running, finds nothing to wait for (see armDeadPeer).
    this.unansweredSince = undefined;
    if (this.options.rawIo)
      this.recorder.emit({ type: "read", bytes: chunk.length, hex: chunk.toString("hex") });
    this.handle(this.telnet.receive(chunk));
  }

  /** Act on the protocol's events: write what it sends, record what it says, deliver data. */
  private handle(events: readonly ConnectionEvent[]): void {
    let data: Buffer[] | undefined;
    for (const e of events) {
      switch (e.type) {
        case "data":
          if (!data) data = [];
          data.push(e.data);
          break;
        case "send":
          this.recordSend(e);
          this.writeRaw(e.data);
          break;
        case "option":
          data = this.flushData(data);
          this.answered(e.option);
          this.recorder.emit({
            type: "option",
            dir: "in",
            verb: e.verb,
            option: optionName(e.option),
            code: e.option,
          });
          break;
        case "subneg":
          data = this.flushData(data);
          this.answered(e.option);
          this.recorder.emit({
            type: "subneg",
            dir: "in",
            option: optionName(e.option),
            code: e.option,
            text: describeSubneg(e.option, e.data),
            bytes: e.data.length,
          });
          break;
        case "command":
          data = this.flushData(data);
          this.recorder.emit({ type: "command", dir: "in", command: e.command });
          break;
        case "error":
          this.recorder.emit({ type: "protocol-error", code: e.code, message: e.message });
          break;
        default:
          break;
      }
    }
    this.flushData(data);
  }

  private flushData(data: Buffer[] | undefined): undefined {
    if (!data || data.length === 0) return undefined;
    const buf = data.length === 1 ? data[0] : Buffer.concat(data);
    // The bounded log keeps only a tail of each data event: build the whole text only for a
    // subscriber that asked for it (--json). A trace has the raw bytes in its read events.
    let text: string | undefined;
    if (this.recorder.wantsFullText || buf.length <= TEXT_TAIL) {
      text = buf.toString("latin1");
      // Before anyone sees the text (and answers it): is it asking for a password?
      this.secrets.serverText(text);
      this.recorder.emit({ type: "data", dir: "in", text });
    } else {
      const tail = buf.toString("latin1", buf.length - TEXT_TAIL);
      this.secrets.serverText(tail);
      this.recorder.emit({ type: "data", dir: "in", text: tail, bytes: buf.length });
    }
    for (const l of this.dataListeners) l(buf, text);
    return undefined;
  }

  /** The server spoke of `option`: if we had, that is a round-trip sample. */
  private answered(option: number): void {
    const at = this.askedAt.get(option);
    if (at === undefined) return;
    this.askedAt.delete(option);
    if (this.rttSamples.length < 16) this.rttSamples.push(this.recorder.elapsed() - at);
  }

  private recordSend(e: Extract<ConnectionEvent, { type: "send" }>): void {
    const w = e.what;
    if ((w.kind === "option" || w.kind === "subneg") && !this.askedAt.has(w.option))
      this.askedAt.set(w.option, this.recorder.elapsed());
    if (w.kind === "option") {
      this.recorder.emit({
        type: "option",
        dir: "out",
        verb: w.verb,
        option: optionName(w.option),
        code: w.option,
      });
    } else if (w.kind === "subneg") {
      this.recorder.emit({
        type: "subneg",
        dir: "out",
        option: optionName(w.option),
        code: w.option,
        text: describeSubneg(w.option, w.payload),
        bytes: w.payload.length,
      });
    } else if (w.kind === "command") {
      this.recorder.emit({ type: "command", dir: "out", command: w.command });
    }
  }

  private writeRaw(bytes: Buffer): void {
    if (!this.socket || this.socket.destroyed) return;
    this.bytesOut += bytes.length;
    if (this.options.rawIo)
      this.recorder.emit({ type: "write", bytes: bytes.length, hex: bytes.toString("hex") });
    this.socket.write(bytes);
  }

  /**
   * After we send, an answer must come within deadPeerMs, or the path is dead. One timer runs
   * lazily (a command per round trip must not cost a timer set and cleared): when it fires it
   * looks at the oldest unanswered send, and waits again for the rest of its time, or stops.
   */
  private armDeadPeer(): void {
    const ms = this.options.deadPeerMs ?? 30_000;
    if (ms <= 0) return;
    if (this.unansweredSince === undefined) this.unansweredSince = this.clock.now();
    if (!this.timers.has("dead-peer")) this.startTimer("dead-peer", ms, () => this.deadPeerDue(ms));
  }

  private deadPeerDue(ms: number): void {
    if (this.unansweredSince === undefined) return;
    const left = this.unansweredSince + ms - this.clock.now();
    if (left > 0) this.startTimer("dead-peer", left, () => this.deadPeerDue(ms));
    else void this.deadPeer(ms);
  }

  private async deadPeer(ms: number): Promise<void> {
    if (this.ended || !this.address) return;
    this.recorder.emit({
      type: "timer",
      name: "dead-peer",
      detail: `no answer ${formatMs(ms)} after sending`,
    });
    await this.probePath("dead-peer-check");
    this.transportOverride = "timeout";
    this.close("dead-peer");
  }

  /**
   * Connect once more to the same address and see whether the server answers: a path that
   * works for a new connection while the old one died points at a middlebox that forgot it.
   */
  private async probePath(purpose: "dead-peer-check" | "reset-check"): Promise<void> {
    if (!this.address) return;
    const t0 = this.recorder.elapsed();
    const family = this.family ?? 4;
    const port = this.options.port;
    const probe = await connectOnce(
      this.address,
      family,
      port,
      PROBE_CONNECT_MS,
      undefined,
      this.clock,
    );
    let gotData = false;
    if ("socket" in probe) {
      // The probe's socket keeps the process alive while its timer waits.
      gotData = await new Promise<boolean>((resolve) => {
        const t = this.clock.after(PROBE_LISTEN_MS, () => resolve(false));
        probe.socket.once("data", () => {
          t.cancel();
          resolve(true);
        });
        probe.socket.once("error", () => {
          t.cancel();
          resolve(false);
        });
      });
      probe.socket.destroy();
    }
    this.recorder.emit({
      type: "probe",
      purpose,
      ok: "socket" in probe,
      outcome: "socket" in probe ? "connected" : probe.outcome,
      durationMs: this.recorder.elapsed() - t0,
      gotData,
    });
  }

  private keepaliveLoop(ms: number): void {
    this.startTimer("keepalive", ms, () => {
      if (!this.connected) return;
      this.recorder.emit({ type: "timer", name: "nop", detail: `IAC NOP every ${formatMs(ms)}` });
      this.sendCommand("NOP");
      this.keepaliveLoop(ms);
    });
  }

  private antiIdleLoop(text: string, ms: number): void {
    this.startTimer("anti-idle", ms, () => {
      if (!this.connected) return;
      this.recorder.emit({ type: "timer", name: "anti-idle", detail: `every ${formatMs(ms)}` });
      this.send(text);
      this.antiIdleLoop(text, ms);
    });
  }

  private startTimer(name: string, ms: number, fn: () => void): void {
    this.stopTimer(name);
    this.timers.set(
      name,
      this.clock.after(ms, () => {
        this.timers.delete(name);
        fn();
      }),
    );
  }

  private stopTimer(name: string): void {
    this.timers.get(name)?.cancel();
    this.timers.delete(name);
  }

  private finish(): void {
    if (this.ended) return;
    this.recordSecret();
    this.ended = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    if (this.resetAfterIdle) void this.probePath("reset-check").finally(() => this.settleEnd());
    else this.settleEnd();
  }

  private settleEnd(): void {
    let transport: Transport;
    if (this.transportOverride) transport = this.transportOverride;
    else if (this.errorCode === "ECONNRESET" || this.errorCode === "EPIPE") transport = "rst";
    else if (
      this.errorCode === "ETIMEDOUT" ||
      this.errorCode === "EHOSTUNREACH" ||
      this.errorCode === "ENETUNREACH"
    )
      transport = "timeout";
    else if (this.finSeen) transport = "fin";
    else if (this.localReason !== undefined) transport = "local-close";
    else transport = this.errorCode ? "local-error" : "fin";
    const by = this.localReason !== undefined && !this.finSeen ? "local" : "remote";
    this.recorder.emit({ type: "closed", by, transport });
    this.settle?.({
      transport,
      events: this.recorder.events(),
      address: this.address,
      family: this.family,
    });
  }
}
