/**
 * @module teldoc as a library: `connect()` opens a TelnetSession — login, exec, expect, send,
 * close, async iteration, a Duplex view — over the same ClientSession the CLI uses, so every
 * session records trace events and ends with the contract's `end` object and its diagnosis.
 * Every failure is a SessionError with a stable code; one that ended the session says why.
 */
import { isAscii } from "node:buffer";
import { EventEmitter } from "node:events";
import type { Duplex } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { endEvent } from "../diagnosis/index.js";
import type { ErrorCode, TeldocError } from "../errors.js";
import { Opt } from "../protocol/constants.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import type {
  ExecOptions,
  ExpectMatch,
  LoginOptions,
  LoginResult,
  SessionEvents,
  WaitOptions,
} from "./api-types.js";
import { ClientSession } from "./client.js";
import type { Timer } from "./clock.js";
import {
  type ExpectError,
  type FailedWait,
  SessionError,
  type SessionSnapshot,
  type SessionState,
  waitError,
} from "./errors.js";
import { type ExecResult, runCommand } from "./exec.js";
import { Inbox } from "./inbox.js";
import { libraryEnd } from "./library-advice.js";
import { runLogin } from "./login-dialogue.js";
import {
  type ConnectOptions,
  durationMs,
  type ResolvedOptions,
  resolveOptions,
  toRegExp,
} from "./options.js";
import { TurnQueue } from "./queue.js";
import { type DataSource, dataIterator, dataStream } from "./stream.js";
import { traceSink } from "./trace-file.js";

const outputOf = (r: ExecResult): string => r.output;

/**
 * A Telnet session opened by `connect()`. Emits `data` (decoded server bytes), `event` (every
 * trace event), `end` (the contract's end object, with `diagnosis`) and `warning` (a TeldocError
 * beside the session, such as a trace file that could not be written).
 * @example
 * const s = await connect({ host: "127.0.0.1", port: 2323 });
 * await s.login({ user: "demo", password: "demo" });
 * console.log(await s.exec("show version"));
 * const end = await s.close(); // end.diagnosis.cause === "local-close"
 */
export class TelnetSession extends EventEmitter<SessionEvents> implements AsyncIterable<Buffer> {
  /** The session underneath (ClientSession: negotiation state, recorder, counters). */
  readonly client: ClientSession;
  /** Resolves with the end object when the session ends (never rejects). */
  readonly closed: Promise<EndEvent>;
  /** @internal The text the waits read. */
  readonly inbox: Inbox;
  private readonly o: ResolvedOptions;
  private readonly decoder: StringDecoder;
  private readonly dataListeners = new Set<(b: Buffer) => void>();
  private stateNow: SessionState = "connecting";
  private endObject: EndEvent | undefined;
  /** One operation at a time: exec, expect and login queue behind each other (FIFO). */
  private readonly turns = new TurnQueue();
  private readonly execHost = {
    inbox: undefined as unknown as Inbox,
    write: (t: string) => this.send(t),
  };
  /** The clock's now() when data last moved either way (idleTimeout counts from it). */
  private lastActivity = 0;
  private idleTimer: Timer | undefined;
  private utf8Pending = false;
  /** The last prompt seen (login or exec), drawn. */
  private knownPrompt: string | undefined;
  private connected!: Promise<boolean>;

  /** Use `connect()`: it opens the session and throws when it cannot. */
  constructor(readonly options: ConnectOptions) {
    super();
    this.o = resolveOptions(options);
    const o = this.o;
    this.decoder = new StringDecoder(o.encoding);
    this.client = new ClientSession({
      host: o.host,
      port: o.port,
      connectTimeoutMs: o.connectTimeoutMs,
      keepaliveMs: o.keepaliveMs,
      deadPeerMs: o.deadPeerMs,
      terminalTypes: options.terminalTypes ?? ["dumb"],
      windowSize: options.windowSize ?? { width: 1024, height: 24 },
      rawIo: typeof options.trace === "string",
      signal: options.signal,
      clock: o.clock,
      // A long automation run must not hold 20 000 events: the diagnosis reads the first
      // (connect, negotiation, login) and the latest ones; a trace file has them all.
      maxLoggedEvents: 4000,
    });
    this.inbox = new Inbox(o.maxBuffer, o.clock);
    this.execHost.inbox = this.inbox;
    this.closed = this.start();
  }

  /** The session's state: connecting, connected, login, ready, closing, ended. */
  get state(): SessionState {
    return this.stateNow;
  }

  get ended(): boolean {
    return this.endObject !== undefined;
  }

  /** The end object once the session has ended. */
  get end(): EndEvent | undefined {
    return this.endObject;
  }

  /** Every trace event so far (the bounded log the diagnosis reads). */
  get events(): TraceEvent[] {
    return this.client.recorder.events();
  }

  /** Resolves once TCP is connected; throws TELDOC_ERR_CONNECT_FAILED with the diagnosis. */
  async open(): Promise<this> {
    if (await this.connected) return this;
    const end = await this.closed;
    throw new SessionError(
      this.options.signal?.aborted ? "TELDOC_ERR_ABORTED" : "TELDOC_ERR_CONNECT_FAILED",
      `could not open a Telnet session to ${this.o.host} port ${this.o.port}`,
      { end, snapshot: this.snapshot() },
    );
  }

  private start(): Promise<EndEvent> {
    const rec = this.client.recorder;
    const trace = traceSink(
      this.options.trace,
      (stream, written) => this.client.throttle(stream, written),
      (err) => this.warn(err),
    );
    let onConnected: (ok: boolean) => void = () => {};
    this.connected = new Promise((resolve) => {
      onConnected = resolve;
    });
    rec.subscribe((e) => {
      if (e.type === "connected") {
        this.stateNow = "connected";
        this.lastActivity = this.o.clock.now();
        this.armIdle();
        onConnected(true);
      } else if (
        e.type === "command" &&
        e.dir === "in" &&
        (e.command === "GA" || e.command === "EOR")
      )
        this.inbox.mark(e.command);
      // The login waits for the negotiation to settle before it answers a prompt.
      else if ((e.type === "option" || e.type === "subneg") && e.dir === "in") this.inbox.touch();
      trace?.write(e);
      if (this.listenerCount("event") > 0) this.emit("event", e);
    });
    const idle = this.o.idleTimeoutMs !== undefined;
    this.client.onData((b, latin1) => {
      if (idle) this.lastActivity = this.o.clock.now();
      this.inbox.push(this.decode(b, latin1));
      for (const l of this.dataListeners) l(b);
      if (this.listenerCount("data") > 0) this.emit("data", b);
    });
    const onAbort = () => this.client.close("signal");
    this.options.signal?.addEventListener("abort", onAbort, { once: true });
    return this.client.run().then((r) => {
      this.options.signal?.removeEventListener("abort", onAbort);
      this.idleTimer?.cancel();
      const c = this.client;
      // Its advice names options and calls, not the CLI's flags (library-advice.ts).
      const end = libraryEnd(
        endEvent(r.events, c.recorder.elapsed(), { bytesIn: c.bytesIn, bytesOut: c.bytesOut }),
      );
      this.endObject = end;
      this.stateNow = "ended";
      this.inbox.push(this.decoder.end());
      this.inbox.close();
      onConnected(false);
      trace?.write(end);
      trace?.end();
      this.emit("end", end);
      return end;
    });
  }

  /** Tell the user of a problem beside the session: a `warning` event, else a process warning. */
  private warn(err: TeldocError): void {
    if (this.listenerCount("warning") > 0) this.emit("warning", err);
    else process.emitWarning(err);
  }

  /** Server bytes as text: the latin1 text the session built is the same text for ASCII. */
  private decode(b: Buffer, latin1: string | undefined): string {
    if (latin1 !== undefined && (this.o.encoding === "latin1" || (!this.utf8Pending && isAscii(b))))
      return latin1;
    const text = this.decoder.write(b);
    // A chunk that ends in an ASCII byte leaves no partial character in the decoder.
    this.utf8Pending = b.length > 0 && b[b.length - 1] >= 0x80;
    return text;
  }

  /**
   * Close the session when nothing moved either way for idleTimeout. One timer runs lazily (data
   * must not cost a timer set and cleared): when it fires it looks at the last activity, and
   * waits again for the rest of the time, or closes.
   */
  private armIdle(): void {
    const ms = this.o.idleTimeoutMs;
    if (!ms || this.ended) return;
    const clock = this.o.clock;
    const left = ms - (clock.now() - this.lastActivity);
    this.idleTimer = clock.after(Math.max(1, left), () => {
      if (this.ended) return;
      if (clock.now() - this.lastActivity < ms) return this.armIdle();
      this.client.recorder.emit({ type: "step", what: `idle for ${formatMs(ms)}`, ok: false });
      this.stateNow = "closing";
      this.client.close("script");
    });
  }

  /** How the session tells a prompt now. */
  private promptBy(): SessionSnapshot["promptBy"] {
    const last = this.inbox.marks.at(-1);
    if (last) return last.by;
    return this.client.telnet.enabled("remote", Opt.EOR) ? "EOR" : "pattern";
  }

  /** The state an error reports. */
  snapshot(): SessionSnapshot {
    const c = this.client;
    return {
      state: this.stateNow,
      host: this.o.host,
      port: this.o.port,
      bytesIn: c.bytesIn,
      bytesOut: c.bytesOut,
      ...(c.bytesIn > 0 ? { sinceLastInMs: Math.max(0, c.recorder.elapsed() - c.lastInAt) } : {}),
      promptBy: this.promptBy(),
    };
  }

  private ensureOpen(what: string): void {
    if (!this.ended && this.stateNow !== "closing") return;
    throw this.endedError(what);
  }

  private endedError(what: string): SessionError {
    return new SessionError(
      "TELDOC_ERR_SESSION_ENDED",
      `cannot ${what}: the session to ${this.o.host} port ${this.o.port} has ${this.ended ? "ended" : "been closed"}`,
      { end: this.endObject, snapshot: this.snapshot() },
    );
  }

  /** Send text (or bytes) as typed; nothing is added. `masked` hides it in every record. */
  send(data: string | Buffer, options: { masked?: boolean } = {}): void {
    this.ensureOpen("send");
    if (this.o.idleTimeoutMs !== undefined) this.lastActivity = this.o.clock.now();
    this.client.send(data, options);
  }

  /** The line end sent now: `ors`, else CR LF, or CR while we send in BINARY mode. */
  get lineEnd(): string {
    return this.o.ors ?? this.client.lineEnd;
  }

  /** Send a line: the text and the line end (see `lineEnd`). */
  sendLine(text: string, options: { masked?: boolean } = {}): void {
    this.send(`${text}${this.lineEnd}`, options);
  }

  private timeoutOf(o: WaitOptions | undefined, fallback: number, key: string): number {
    return durationMs(o?.timeout, key) ?? fallback;
  }

  /** Turn a failed wait into the error to throw (after the end is known, when it ended). */
  private async failure(
    outcome: FailedWait,
    codes: { timeout: ErrorCode; what: string },
    pattern: string,
  ): Promise<ExpectError> {
    const end = outcome.why === "ended" ? await this.closed : undefined;
    return waitError(outcome, codes, pattern, this.inbox.tail(), this.snapshot(), end);
  }

  /**
   * Wait for `pattern` in the server's text (since the last match), consume through it.
   * @example const m = await s.expect(/Password:\s*$/, { timeout: "5s" });
   */
  expect(pattern: RegExp | string, options?: WaitOptions): Promise<ExpectMatch> {
    const re = toRegExp(pattern);
    const timeoutMs = this.timeoutOf(options, this.o.commandTimeoutMs, "timeout");
    return this.turns.run(async () => {
      const inbox = this.inbox;
      const r = await inbox.wait(
        () => {
          const text = inbox.since(inbox.consumed);
          const m = re.exec(text);
          if (!m) return undefined;
          inbox.consumed += m.index + m[0].length;
          return { value: { match: m[0], groups: m.slice(1), before: text.slice(0, m.index) } };
        },
        timeoutMs,
        options?.signal,
      );
      if (r.ok) return r.value;
      throw await this.failure(
        r,
        { timeout: "TELDOC_ERR_EXPECT_TIMEOUT", what: "expected" },
        String(pattern),
      );
    });
  }

  /**
   * Run a command and return its output (echo and prompt removed, lines joined by LF).
   * @example const version = await s.exec("show version", { timeout: "30s" });
   */
  exec(command: string, options?: ExecOptions): Promise<string> {
    return this.execDetails(command, options).then(outputOf);
  }

  /** exec, with how it was read: the prompt, pages answered, the rule that ended it, the time. */
  execDetails(command: string, options?: ExecOptions): Promise<ExecResult> {
    const timeoutMs = this.timeoutOf(options, this.o.commandTimeoutMs, "timeout");
    const prompt = options?.prompt === undefined ? this.o.prompt : toRegExp(options.prompt);
    return this.turns.run(() => this.execNow(command, prompt, timeoutMs, options?.signal));
  }

  /** One command, its turn come (promises chained by hand: this runs once per round trip). */
  private execNow(
    command: string,
    prompt: RegExp,
    timeoutMs: number,
    signal: AbortSignal | undefined,
  ): Promise<ExecResult> {
    if (this.ended || this.stateNow === "closing")
      return Promise.reject(this.endedError(`run ${JSON.stringify(command)}`));
    const o = this.o;
    const rules = {
      prompt,
      pager: o.pager,
      // A prompt-like line must stay quiet longer than the path takes to deliver the rest
      // ("echo $" of "echo $HOME" cut by a slow path is no prompt).
      quietMs: Math.max(o.quietMs, 2 * Math.min(this.client.rttMs, 2000)),
      maxOutput: o.maxOutput,
      knownPrompt: this.knownPrompt,
    };
    return runCommand(this.execHost, command, this.lineEnd, rules, timeoutMs, signal).then((r) => {
      if (r.ok) {
        if (r.value.prompt !== "") this.knownPrompt = r.value.prompt;
        return r.value;
      }
      const what = `${JSON.stringify(command)}: prompt`;
      return this.failure(r, { timeout: "TELDOC_ERR_COMMAND_TIMEOUT", what }, String(prompt)).then(
        (e) => Promise.reject(e),
      );
    });
  }

  /**
   * Answer the login dialogue: user name, password (masked in every record), shell prompt.
   * A refusal closes the session and throws TELDOC_ERR_LOGIN_FAILED with the diagnosis.
   * @example await s.login({ user: "admin", password: process.env.PW });
   */
  login(options: LoginOptions = {}): Promise<LoginResult> {
    const timeoutMs = this.timeoutOf(options, this.o.loginTimeoutMs, "loginTimeout");
    return this.turns.run(async () => {
      this.ensureOpen("log in");
      this.stateNow = "login";
      const rec = this.client.recorder;
      const host = {
        inbox: this.inbox,
        lineEnd: () => this.lineEnd,
        write: (t: string, masked: boolean) => this.send(t, { masked }),
        step: (what: string, ok: boolean) => rec.emit({ type: "step", what, ok }),
      };
      const rules = {
        prompt: this.o.prompt,
        quietMs: this.o.quietMs,
        prompts: options.prompts,
        // Answer a prompt once the negotiation that came with it has settled (see login.ts).
        settleMs: () => 50 + 2 * Math.min(this.client.rttMs, 2000),
      };
      const r = await runLogin(host, options, rules, timeoutMs, options.signal);
      if (r.ok && r.value.status === "ok") {
        this.client.loginDone = true;
        this.inbox.consumed = this.inbox.end;
        this.stateNow = "ready";
        rec.emit({ type: "step", what: "logged in", ok: true });
        const { prompt, sentUser, sentPassword } = r.value;
        this.knownPrompt = prompt;
        return { prompt, sentUser, sentPassword };
      }
      if (r.ok || r.why === "timeout") {
        const failed = r.ok;
        rec.emit({ type: "step", what: failed ? "login refused" : "login timed out", ok: false });
        if (!failed)
          rec.emit({
            type: "timer",
            name: "login",
            detail: `no login after ${formatMs(timeoutMs)}`,
          });
        this.stateNow = "closing";
        this.client.close(failed ? "script" : "login-timeout");
        const end = await this.closed;
        throw new SessionError(
          failed ? "TELDOC_ERR_LOGIN_FAILED" : "TELDOC_ERR_LOGIN_TIMEOUT",
          failed
            ? `the login to ${this.o.host} was refused (${r.value.reason}); the session was closed`
            : `the login to ${this.o.host} did not reach a prompt within ${formatMs(timeoutMs)}; last text seen: ${JSON.stringify(this.inbox.tail(160))}`,
          { end, snapshot: this.snapshot() },
        );
      }
      throw await this.failure(r, { timeout: "TELDOC_ERR_LOGIN_TIMEOUT", what: "login" }, "prompt");
    });
  }

  /** Close from our side; resolves with the end object (its diagnosis: local-close). */
  close(): Promise<EndEvent> {
    if (!this.ended && this.stateNow !== "closing") {
      this.stateNow = "closing";
      this.client.close("user");
    }
    return this.closed;
  }

  private source(): DataSource {
    const self = this;
    return {
      subscribe: (l) => {
        this.dataListeners.add(l);
        return () => this.dataListeners.delete(l);
      },
      closed: this.closed,
      get ended() {
        return self.ended;
      },
      pause: () => this.client.pause(),
      resume: () => this.client.resume(),
      write: (b) => {
        if (!this.ended) this.send(b);
      },
      close: () => void this.close(),
    };
  }

  /** Iterate over the server's data (decoded Buffers) from now until the session ends. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Buffer> {
    return dataIterator(this.source());
  }

  /**
   * A Duplex view for piping: readable = server data, writable = sent as typed; ending the
   * writable side closes the session.
   * @example process.stdin.pipe(s.stream()).pipe(process.stdout);
   */
  stream(): Duplex {
    return dataStream(this.source());
  }
}
