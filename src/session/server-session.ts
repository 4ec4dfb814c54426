/**
 * @module The server role: a Telnet endpoint on an accepted socket (negotiation handled by the
 * sans-I/O TelnetConnection), with line reading, echo control, and the ways a server ends a
 * session: close (FIN), reset (RST). `createTelnetServer` listens and hands out sessions.
 */
import { EventEmitter } from "node:events";
import { createServer, type Server, type Socket } from "node:net";
import { type ConnectionEvent, TelnetConnection } from "../protocol/connection.js";
import { Opt } from "../protocol/constants.js";
import { decodeNaws, type WindowSize } from "../protocol/options/naws.js";
import { decodeTtype } from "../protocol/options/ttype.js";
import type { NegotiationPolicy } from "../protocol/policy.js";
import { type Clock, systemClock } from "./clock.js";

export interface ServerSessionOptions {
  readonly policy?: NegotiationPolicy;
  /** Longest line kept while reading (default 4096 bytes); longer input is cut. */
  readonly maxLine?: number;
  /** Advanced: where the session's time comes from (default: the system's clock). */
  readonly clock?: Clock;
}

/** After the last write has gone, how long a reset waits (see reset()). */
const RESET_BEAT_MS = 5;

/**
 * One accepted connection.
 * Events: `line` (text without CR LF), `data` (raw decoded bytes), `close` (hadError).
 */
export class ServerSession extends EventEmitter {
  readonly telnet: TelnetConnection;
  terminalType: string | undefined;
  windowSize: WindowSize | undefined;
  private lineBuf = "";
  private lastCr = false;
  /** Anything written yet (a reset right after a write needs care, see reset()). */
  private wrote = false;
  /** Echo typed input (while our ECHO option is in effect); off during a password. */
  private echo = true;
  private closed = false;
  private readonly maxLine: number;
  readonly clock: Clock;

  constructor(
    readonly socket: Socket,
    options: ServerSessionOptions = {},
  ) {
    super();
    this.maxLine = options.maxLine ?? 4096;
    this.clock = options.clock ?? systemClock;
    this.telnet = new TelnetConnection({ role: "server", policy: options.policy });
    socket.on("data", (chunk: Buffer) => this.handle(this.telnet.receive(chunk)));
    socket.on("error", () => {});
    socket.on("close", (hadError) => {
      this.closed = true;
      this.emit("close", hadError);
    });
  }

  /** Begin negotiation per the policy (WILL ECHO, WILL SGA, DO TTYPE...). */
  start(): void {
    this.handle(this.telnet.start());
  }

  get remote(): string {
    return `${this.socket.remoteAddress}:${this.socket.remotePort}`;
  }

  get isClosed(): boolean {
    return this.closed || this.socket.destroyed;
  }

  /** Write text (LF becomes CR LF). */
  write(text: string): void {
    if (this.isClosed) return;
    this.wrote = true;
    const bytes = Buffer.from(text.replace(/\r?\n/g, "\r\n"), "utf8");
    this.socket.write(this.telnet.sendData(bytes).data);
  }

  /** Echo typed input or not (off while a password is typed, as login does). */
  setEcho(on: boolean): void {
    this.echo = on;
  }

  /** Close in order: FIN after the pending output. */
  close(text?: string): void {
    if (text) this.write(text);
    if (!this.isClosed) this.socket.end();
  }

  /**
   * Abort with RST. Node turns a reset into an orderly FIN while a write is still in flight
   * (seen on Node 20), so after writing, the reset waits for the write to finish, plus a beat.
   */
  reset(): void {
    if (this.isClosed) return;
    const rst = () => {
      if (!this.socket.destroyed) this.socket.resetAndDestroy();
    };
    if (this.socket.writableLength === 0 && !this.wrote) rst();
    // The socket keeps the process alive while the beat waits.
    else this.socket.write(Buffer.alloc(0), () => this.clock.after(RESET_BEAT_MS, rst));
  }

  private handle(events: readonly ConnectionEvent[]): void {
    for (const e of events) {
      if (e.type === "send") {
        if (!this.isClosed) this.socket.write(e.data);
      } else if (e.type === "data") {
        this.emit("data", e.data);
        this.feedLines(e.data);
      } else if (e.type === "subneg") {
        if (e.option === Opt.TTYPE) {
          const m = decodeTtype(e.data);
          if (m?.kind === "is") this.terminalType = m.name;
        } else if (e.option === Opt.NAWS) {
          this.windowSize = decodeNaws(e.data) ?? this.windowSize;
        }
      }
    }
  }

  /**
   * Split input into lines (CR LF, CR NUL, a bare CR or LF end one), echoing what is typed
   * while our ECHO is in effect and not suppressed (a password), with backspace editing.
   */
  private feedLines(data: Buffer): void {
    const echo = this.echo && this.telnet.enabled("local", Opt.ECHO);
    let out = "";
    for (const c of data) {
      if (c === 0x0a && this.lastCr) {
        this.lastCr = false;
        continue;
      }
      this.lastCr = c === 0x0d;
      if (c === 0x0d || c === 0x0a) {
        if (echo) out += "\r\n";
        const line = this.lineBuf;
        this.lineBuf = "";
        if (out) this.rawWrite(out);
        out = "";
        this.emit("line", line);
      } else if (c === 0x7f || c === 0x08) {
        if (this.lineBuf.length > 0) {
          this.lineBuf = this.lineBuf.slice(0, -1);
          if (echo) out += "\b \b";
        }
      } else if (c >= 0x20 || c === 0x09) {
        if (this.lineBuf.length < this.maxLine) this.lineBuf += String.fromCharCode(c);
        if (echo) out += String.fromCharCode(c);
      }
    }
    if (out) this.rawWrite(out);
  }

  private rawWrite(text: string): void {
    this.wrote = true;
    if (!this.isClosed) this.socket.write(this.telnet.sendData(Buffer.from(text, "latin1")).data);
  }
}

export interface TelnetServerOptions extends ServerSessionOptions {
  readonly host?: string;
  readonly port?: number;
  /** Start negotiation as each connection arrives (default true). */
  readonly autoStart?: boolean;
}

/**
 * Listen and hand each connection to `onSession` as a started ServerSession.
 * @example
 * const { server, port } = await createTelnetServer({ port: 0 }, (s) => { s.write("hi\n"); s.close(); });
 */
export async function createTelnetServer(
  options: TelnetServerOptions,
  onSession: (session: ServerSession) => void,
): Promise<{ server: Server; port: number; host: string }> {
  const server = createServer({ noDelay: true }, (socket) => {
    const s = new ServerSession(socket, options);
    if (options.autoStart !== false) s.start();
    onSession(s);
  });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.removeListener("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port = address && typeof address === "object" ? address.port : 0;
  return { server, port, host };
}
