/**
 * @module Test support: a deliberately tiny Telnet client over a plain `node:net` socket, so tests
 * of the daemon fixtures do not depend on teldoc's own client. It refuses every option
 * (DO x -> WONT x, WILL x -> DONT x, each answered once), strips commands from the text it keeps,
 * and records how the connection ended: a FIN (`end` event), an RST (`ECONNRESET`/`EPIPE`), or
 * neither within the wait.
 */
import { connect, type Socket } from "node:net";

import { DO, DONT, IAC, SB, SE, WILL, WONT } from "../protocol/constants.js";

/** How the peer ended the connection. */
export type CloseKind = "fin" | "rst" | "error";

export interface CloseInfo {
  kind: CloseKind;
  /** Milliseconds from the moment the TCP connection was established. */
  afterMs: number;
  /** The socket error code for "rst"/"error" (ECONNRESET, EPIPE, ...). */
  code?: string;
}

export interface RawTelnetOptions {
  host?: string;
  port: number;
  /** Bounded connect wait; default 5000 ms. */
  connectTimeoutMs?: number;
  /** Answer negotiation (WONT/DONT to everything); default true. */
  refuseOptions?: boolean;
}

/** A minimal Telnet (or raw TCP) client that records everything it receives. */
export class RawTelnet {
  readonly socket: Socket;
  /** Every byte received, commands included. */
  raw: Buffer = Buffer.alloc(0);
  /** Received bytes with Telnet commands removed, as latin1 text. */
  text = "";
  /** Commands seen, as [verb, option] pairs, e.g. [DO, 24]. */
  readonly negotiation: Array<[number, number]> = [];
  /** Set once the peer has closed (or reset) the connection. */
  closed: CloseInfo | undefined;
  connectedAt = 0;

  private state: "data" | "iac" | "opt" | "sb" | "sbiac" = "data";
  private verb = 0;
  private readonly answered = new Set<string>();
  private readonly waiters = new Set<() => void>();

  private constructor(
    socket: Socket,
    private readonly refuse: boolean,
  ) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => this.onData(chunk));
    socket.on("end", () => this.onClose({ kind: "fin", afterMs: this.elapsed() }));
    socket.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "UNKNOWN";
      const kind: CloseKind = code === "ECONNRESET" || code === "EPIPE" ? "rst" : "error";
      this.onClose({ kind, afterMs: this.elapsed(), code });
    });
    socket.on("close", () => this.notify());
  }

  /** Connect (bounded) and start recording. */
  static open(options: RawTelnetOptions): Promise<RawTelnet> {
    const host = options.host ?? "127.0.0.1";
    const timeoutMs = options.connectTimeoutMs ?? 5000;
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port: options.port });
      const client = new RawTelnet(socket, options.refuseOptions ?? true);
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`connect to ${host}:${options.port} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("connect", () => {
        clearTimeout(timer);
        client.connectedAt = Date.now();
        resolve(client);
      });
      socket.once("error", (err) => {
        clearTimeout(timer);
        if (client.connectedAt === 0) reject(err);
      });
    });
  }

  elapsed(): number {
    return this.connectedAt === 0 ? 0 : Date.now() - this.connectedAt;
  }

  /** Send text; "\n" is NOT translated, so pass "\r\n" yourself. */
  send(text: string): void {
    if (!this.socket.destroyed) this.socket.write(Buffer.from(text, "latin1"));
  }

  /** Wait (bounded) until the received text matches; rejects with what was received. */
  async waitFor(pattern: RegExp | string, timeoutMs: number): Promise<string> {
    const test = () =>
      typeof pattern === "string" ? this.text.includes(pattern) : pattern.test(this.text);
    const ok = await this.until(() => test() || this.closed !== undefined, timeoutMs);
    if (ok && test()) return this.text;
    const why = this.closed ? `connection closed (${this.closed.kind})` : `${timeoutMs} ms passed`;
    throw new Error(
      `waiting for ${String(pattern)}: ${why}; received ${JSON.stringify(this.text)}`,
    );
  }

  /** Wait (bounded) for the peer to close; undefined if it did not within timeoutMs. */
  async waitClose(timeoutMs: number): Promise<CloseInfo | undefined> {
    await this.until(() => this.closed !== undefined, timeoutMs);
    return this.closed;
  }

  /** Wait (bounded) until `done()` holds; false if the time ran out. */
  until(done: () => boolean, timeoutMs: number): Promise<boolean> {
    if (done()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const check = () => {
        if (done()) finish(true);
      };
      const finish = (value: boolean) => {
        clearTimeout(timer);
        this.waiters.delete(check);
        resolve(value);
      };
      const timer = setTimeout(() => finish(done()), timeoutMs);
      this.waiters.add(check);
    });
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onClose(info: CloseInfo): void {
    if (this.closed === undefined) this.closed = info;
    this.notify();
  }

  private notify(): void {
    for (const w of [...this.waiters]) w();
  }

  private onData(chunk: Buffer): void {
    this.raw = Buffer.concat([this.raw, chunk]);
    const reply: number[] = [];
    let text = "";
    for (const byte of chunk) {
      switch (this.state) {
        case "data":
          if (byte === IAC) this.state = "iac";
          else text += String.fromCharCode(byte);
          break;
        case "iac":
          if (byte === IAC) {
            text += "\xff";
            this.state = "data";
          } else if (byte >= WILL && byte <= DONT) {
            this.verb = byte;
            this.state = "opt";
          } else if (byte === SB) {
            this.state = "sb";
          } else {
            this.state = "data";
          }
          break;
        case "opt": {
          this.negotiation.push([this.verb, byte]);
          this.state = "data";
          if (!this.refuse) break;
          const answer = this.verb === DO ? WONT : this.verb === WILL ? DONT : 0;
          const key = `${answer}:${byte}`;
          if (answer !== 0 && !this.answered.has(key)) {
            this.answered.add(key);
            reply.push(IAC, answer, byte);
          }
          break;
        }
        case "sb":
          if (byte === IAC) this.state = "sbiac";
          break;
        case "sbiac":
          this.state = byte === SE ? "data" : "sb";
          break;
      }
    }
    this.text += text;
    if (reply.length > 0 && !this.socket.destroyed) this.socket.write(Buffer.from(reply));
    this.notify();
  }
}

/** Telnet command bytes, for assertions on `RawTelnet.negotiation`. */
export const TELNET = { IAC, DONT, DO, WONT, WILL, SB, SE } as const;
