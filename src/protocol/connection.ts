/**
 * @module A Telnet endpoint without I/O (the h11 shape): bytes from the peer go in, events come
 * out, and everything to send to the peer is itself an event (`send`). It ties the parser, the
 * RFC 1143 negotiator and the option codecs together and answers what a conforming endpoint
 * must answer: negotiation, TTYPE/TSPEED/NEW-ENVIRON/STATUS SEND, NAWS on enable, CHARSET
 * REQUEST, LINEMODE MODE; BINARY switches the parser and the encoder.
 */
import { type CommandName, Opt, type Verb } from "./constants.js";
import { encodeCommand, encodeSubnegotiation, escapeData } from "./encoder.js";
import type { TelnetEvent } from "./events.js";
import { type NegotiationOutput, Negotiator, type Side } from "./negotiator.js";
import { answerCharsetRequest, decodeCharset } from "./options/charset.js";
import { answerLinemodeMode, decodeLinemode } from "./options/linemode.js";
import { encodeNaws, type WindowSize } from "./options/naws.js";
import {
  answerEnvironSend,
  decodeEnviron,
  type EnvEntry,
  encodeEnviron,
  encodeEnvironSend,
} from "./options/new-environ.js";
import { decodeStatus, encodeStatusIs } from "./options/status.js";
import { decodeTspeed, encodeTspeedIs, TSPEED_SEND } from "./options/tspeed.js";
import { decodeTtype, encodeTtypeIs, TTYPE_SEND, TtypeCycler } from "./options/ttype.js";
import { DEFAULT_MAX_SUBNEGOTIATION, TelnetParser, type TelnetSink } from "./parser.js";
import { CLIENT_POLICY, type NegotiationPolicy, SERVER_POLICY } from "./policy.js";

/** Bytes to write to the peer, and what they say. */
export interface SendEvent {
  readonly type: "send";
  readonly data: Buffer;
  /** What the bytes are: a negotiation verb, a subnegotiation, a command, or user data. */
  readonly what:
    | { readonly kind: "option"; readonly verb: Verb; readonly option: number }
    | { readonly kind: "subneg"; readonly option: number; readonly payload: Buffer }
    | { readonly kind: "command"; readonly command: CommandName }
    | { readonly kind: "data"; readonly data: Buffer };
}

export type ConnectionEvent =
  | TelnetEvent
  | SendEvent
  | Exclude<NegotiationOutput, { type: "send" }>;

export interface ConnectionOptions {
  readonly role: "client" | "server";
  readonly policy?: NegotiationPolicy;
  /** Client: terminal names for TTYPE, most specific first (default ["UNKNOWN"]). */
  readonly terminalTypes?: readonly string[];
  /** Client: the window size sent with NAWS. */
  readonly windowSize?: WindowSize;
  /** Client: variables offered with NEW-ENVIRON. */
  readonly environment?: readonly EnvEntry[];
  /** Client: transmit and receive speed for TSPEED (default 38400,38400). */
  readonly terminalSpeed?: readonly [number, number];
  /** Charsets we accept in a CHARSET REQUEST (default UTF-8, US-ASCII). */
  readonly charsets?: readonly string[];
  readonly maxSubnegotiation?: number;
  /** Passed to the parser (see ParserOptions.gatherBelow). */
  readonly gatherBelow?: number;
  readonly maxRenegotiations?: number;
}

/**
 * A Telnet endpoint.
 * @example
 * const c = new TelnetConnection({ role: "client", terminalTypes: ["xterm"] });
 * const events = c.receive(chunkFromSocket);
 * for (const e of events) if (e.type === "send") socket.write(e.data);
 */
export class TelnetConnection {
  readonly role: "client" | "server";
  readonly negotiator: Negotiator;
  private readonly parser: TelnetParser;
  private readonly ttype: TtypeCycler;
  private windowSize: WindowSize | undefined;
  private readonly environment: readonly EnvEntry[];
  private readonly speed: readonly [number, number];
  private readonly charsets: readonly string[];

  constructor(options: ConnectionOptions) {
    this.role = options.role;
    const policy = options.policy ?? (options.role === "client" ? CLIENT_POLICY : SERVER_POLICY);
    this.negotiator = new Negotiator(policy, { maxRenegotiations: options.maxRenegotiations });
    this.parser = new TelnetParser({
      maxSubnegotiation: options.maxSubnegotiation ?? DEFAULT_MAX_SUBNEGOTIATION,
      gatherBelow: options.gatherBelow,
    });
    this.ttype = new TtypeCycler(options.terminalTypes ?? ["UNKNOWN"]);
    this.windowSize = options.windowSize;
    this.environment = options.environment ?? [];
    this.speed = options.terminalSpeed ?? [38400, 38400];
    this.charsets = options.charsets ?? ["UTF-8", "US-ASCII"];
  }

  /** The negotiation we open with, per the policy's `offer` and `request` stances. */
  start(): ConnectionEvent[] {
    return this.fromNegotiation(this.negotiator.start());
  }

  /**
   * Bytes from the peer. Returns what they mean, and what to send back, in order. Events are
   * acted on as the parser meets them, so a BINARY switch applies to the very next byte.
   */
  receive(chunk: Uint8Array): ConnectionEvent[] {
    const out: ConnectionEvent[] = [];
    this.out = out;
    this.parser.parse(chunk, this.sink);
    this.out = [];
    return out;
  }

  private out: ConnectionEvent[] = [];

  private readonly sink: TelnetSink = {
    data: (chunk, start, end) => {
      this.negotiator.sawData();
      this.out.push({ type: "data", data: chunk.subarray(start, end) });
    },
    command: (command) => {
      this.out.push({ type: "command", command });
    },
    option: (verb, option) => {
      this.out.push({ type: "option", verb, option });
      for (const e of this.fromNegotiation(this.negotiator.receive(verb, option))) this.out.push(e);
    },
    subneg: (option, data) => {
      this.out.push({ type: "subneg", option, data });
      for (const e of this.answerSubneg(option, data)) this.out.push(e);
    },
    error: (code, message, option) => {
      this.out.push({ type: "error", code, message, option });
    },
  };

  /** True when that half of the option is in effect. */
  enabled(side: Side, option: number): boolean {
    return this.negotiator.enabled(side, option);
  }

  /** Ask to enable or disable one half of an option. */
  ask(side: Side, option: number, enable: boolean): ConnectionEvent[] {
    return this.fromNegotiation(this.negotiator.ask(side, option, enable));
  }

  /** Escape user data for the wire, per our send side's BINARY state. */
  sendData(data: Uint8Array): SendEvent {
    const bytes = escapeData(data, { binary: this.negotiator.enabled("local", Opt.BINARY) });
    const raw = Buffer.isBuffer(data) ? data : Buffer.from(data);
    return { type: "send", data: bytes, what: { kind: "data", data: raw } };
  }

  /** IAC and a stand-alone command. */
  sendCommand(command: CommandName): SendEvent {
    return { type: "send", data: encodeCommand(command), what: { kind: "command", command } };
  }

  /** A subnegotiation with the payload escaped. */
  sendSubneg(option: number, payload: Buffer): SendEvent {
    return {
      type: "send",
      data: encodeSubnegotiation(option, payload),
      what: { kind: "subneg", option, payload },
    };
  }

  /** The window changed: returns the NAWS update when NAWS is in effect. */
  setWindowSize(size: WindowSize): SendEvent[] {
    this.windowSize = size;
    return this.negotiator.enabled("local", Opt.NAWS)
      ? [this.sendSubneg(Opt.NAWS, encodeNaws(size))]
      : [];
  }

  private fromNegotiation(outputs: NegotiationOutput[]): ConnectionEvent[] {
    const out: ConnectionEvent[] = [];
    for (const o of outputs) {
      if (o.type === "send") {
        out.push({
          type: "send",
          data: o.bytes,
          what: { kind: "option", verb: o.verb, option: o.option },
        });
        continue;
      }
      out.push(o);
      if (o.type === "change") out.push(...this.onChange(o.side, o.option, o.enabled));
    }
    return out;
  }

  /** What follows from an option coming into effect or leaving it. */
  private onChange(side: Side, option: number, enabled: boolean): ConnectionEvent[] {
    if (option === Opt.BINARY && side === "remote") this.parser.setBinary(enabled);
    if (!enabled) return [];
    if (side === "local" && option === Opt.NAWS && this.windowSize) {
      return [this.sendSubneg(Opt.NAWS, encodeNaws(this.windowSize))];
    }
    if (side === "remote" && this.role === "server") {
      if (option === Opt.TTYPE) return [this.sendSubneg(Opt.TTYPE, Buffer.from([TTYPE_SEND]))];
      if (option === Opt.TSPEED) return [this.sendSubneg(Opt.TSPEED, Buffer.from([TSPEED_SEND]))];
      if (option === Opt.NEW_ENVIRON)
        return [this.sendSubneg(Opt.NEW_ENVIRON, encodeEnvironSend([]))];
    }
    return [];
  }

  /** The answers a subnegotiation calls for; nothing for options not in effect. */
  private answerSubneg(option: number, payload: Buffer): ConnectionEvent[] {
    const local = this.negotiator.enabled("local", option);
    switch (option) {
      case Opt.TTYPE:
        return local && decodeTtype(payload)?.kind === "send"
          ? [this.sendSubneg(option, encodeTtypeIs(this.ttype.next()))]
          : [];
      case Opt.TSPEED:
        return local && decodeTspeed(payload)?.kind === "send"
          ? [this.sendSubneg(option, encodeTspeedIs(this.speed[0], this.speed[1]))]
          : [];
      case Opt.NEW_ENVIRON: {
        const m = decodeEnviron(payload);
        if (!local || m?.kind !== "send") return [];
        return [
          this.sendSubneg(
            option,
            encodeEnviron("is", answerEnvironSend(m.requested, this.environment)),
          ),
        ];
      }
      case Opt.STATUS:
        return local && decodeStatus(payload)?.kind === "send"
          ? [this.sendSubneg(option, this.statusIs())]
          : [];
      case Opt.CHARSET: {
        const m = decodeCharset(payload);
        const either = local || this.negotiator.enabled("remote", option);
        if (!either || m?.kind !== "request") return [];
        return [this.sendSubneg(option, answerCharsetRequest(m.charsets, this.charsets))];
      }
      case Opt.LINEMODE: {
        const m = decodeLinemode(payload);
        if (!local || m?.kind !== "mode") return [];
        const answer = answerLinemodeMode(m.mask);
        return answer ? [this.sendSubneg(option, answer)] : [];
      }
      default:
        return [];
    }
  }

  private statusIs(): Buffer {
    const will: number[] = [];
    const doing: number[] = [];
    for (let o = 0; o < 256; o++) {
      if (this.negotiator.enabled("local", o)) will.push(o);
      if (this.negotiator.enabled("remote", o)) doing.push(o);
    }
    return encodeStatusIs(will, doing);
  }
}
