/**
 * @module The Telnet byte parser (RFC 854, RFC 855): chunks of bytes in, events out. Sans-I/O.
 *
 * Rules it keeps:
 * - IAC IAC is one data byte 0xFF; data events never contain protocol bytes.
 * - In NVT mode (receive side not BINARY, RFC 856) CR NUL is a bare CR: the NUL is dropped.
 *   CR LF is passed through. In BINARY mode every data byte is passed through.
 * - Subnegotiation payloads are un-escaped and capped (`maxSubnegotiation`); a payload over the
 *   cap is dropped with an error event, and parsing resumes at the next IAC SE.
 * - Any chunking of the same bytes gives the same events, once adjacent data events are joined.
 * - Peer violations are `error` events; the parser never throws on input.
 *
 * The fast path is one `indexOf(0xff)` per run of data (and one `indexOf(0)` in NVT mode), and
 * data is reported as ranges of the input, so IAC-free data costs no per-byte work.
 *
 * Two ways to consume it: `parse(chunk, sink)` calls a sink (data as chunk, start, end: no
 * allocation, as llhttp does), and `feed(chunk)` returns an array of event objects.
 */
import { type CommandName, CR, commandName, IAC, SB, SE, type Verb } from "./constants.js";
import type { ProtocolErrorCode, TelnetEvent } from "./events.js";

/** Default cap on one subnegotiation payload (64 KiB). */
export const DEFAULT_MAX_SUBNEGOTIATION = 64 * 1024;

export interface ParserOptions {
  /** Largest subnegotiation payload kept, in bytes (default 64 KiB). */
  readonly maxSubnegotiation?: number;
  /**
   * Data pieces shorter than this, split by a dropped byte (IAC IAC, CR NUL), are copied into
   * one buffer instead of reported as separate slices (default 32). A consumer that joins the
   * data anyway (a terminal, a file) does better with a large value: one piece per chunk.
   */
  readonly gatherBelow?: number;
  /** Start with the receive side in BINARY mode (RFC 856): no CR NUL handling. */
  readonly binary?: boolean;
}

const S_DATA = 0;
const S_IAC = 1;
const S_VERB = 2;
const S_SB_OPTION = 3;
const S_SB_DATA = 4;
const S_SB_IAC = 5;

const VERB_NAMES = ["WILL", "WONT", "DO", "DONT"] as const;
const CR_NUL = Buffer.from([CR, 0]);
/** Commands 0xF1 (NOP) to 0xF9 (GA), by code - 0xF1. */
const COMMAND_BY_CODE: readonly CommandName[] = [
  "NOP",
  "DM",
  "BRK",
  "IP",
  "AO",
  "AYT",
  "EC",
  "EL",
  "GA",
];

/** Data pieces shorter than this, split by a dropped byte, are gathered into one copy. */
const GATHER_MAX = 32;

/** Receives what the parser finds, in order. `data` ranges are valid during the call only. */
export interface TelnetSink {
  data(chunk: Buffer, start: number, end: number): void;
  command(command: CommandName): void;
  option(verb: Verb, option: number): void;
  /** The payload is the sink's to keep. */
  subneg(option: number, payload: Buffer): void;
  error(code: ProtocolErrorCode, message: string, option: number | undefined): void;
}

/** A sink that collects event objects, data as zero-copy slices of the chunk. */
class EventCollector implements TelnetSink {
  out: TelnetEvent[] = [];
  data(chunk: Buffer, start: number, end: number): void {
    this.out.push({ type: "data", data: chunk.subarray(start, end) });
  }
  command(command: CommandName): void {
    this.out.push({ type: "command", command });
  }
  option(verb: Verb, option: number): void {
    this.out.push({ type: "option", verb, option });
  }
  subneg(option: number, data: Buffer): void {
    this.out.push({ type: "subneg", option, data });
  }
  error(code: ProtocolErrorCode, message: string, option: number | undefined): void {
    this.out.push({ type: "error", code, message, option });
  }
}

/**
 * Incremental Telnet parser.
 * @example
 * const p = new TelnetParser();
 * p.feed(Buffer.from([0x68, 0x69, 0xff, 0xfb, 0x01])); // [{type:"data"...}, {type:"option", verb:"WILL", option:1}]
 */
export class TelnetParser {
  readonly maxSubnegotiation: number;
  private readonly gatherBelow: number;
  /** NUL bytes dropped from CR NUL pairs so far (NVT mode), for accounting. */
  nulsDropped = 0;
  private binary: boolean;
  private state = S_DATA;
  private verb = 0;
  /** The last data byte delivered was a CR not yet paired with NUL or LF (NVT mode). */
  private crPending = false;
  /** The data range [start, end) of the current chunk not yet reported (start -1: none). */
  private pendStart = -1;
  private pendEnd = -1;
  /** The last NUL search in the current chunk: made from `nulFrom`, found `nulAt` (-1: none). */
  private nulAt = -1;
  private nulFrom = 0;
  /** The same for the pair CR NUL (`pairAt` is the NUL's position), used in `pairMode`. */
  private pairAt = -1;
  private pairFrom = 0;
  private pairMode = false;
  /** NULs met in this chunk that follow no CR. */
  private loneNuls = 0;
  private sbOption = 0;
  private sbBuf: Buffer = Buffer.alloc(0);
  private sbLen = 0;
  private sbSeen = 0;
  /** A payload so far held as one zero-copy range of the current chunk (-1: none). */
  private sbZcStart = -1;
  private sbZcEnd = -1;
  /** Gathered short data pieces of the current chunk: scratch[scratchFrom, scratchLen) pending. */
  private scratch: Buffer = Buffer.alloc(0);
  private scratchChunk: Buffer | undefined;
  private scratchLen = 0;
  private scratchFrom = -1;
  private readonly collector = new EventCollector();

  constructor(options: ParserOptions = {}) {
    const max = options.maxSubnegotiation ?? DEFAULT_MAX_SUBNEGOTIATION;
    if (!Number.isInteger(max) || max < 1) {
      throw new RangeError(`maxSubnegotiation must be a positive integer, got ${max}`);
    }
    this.maxSubnegotiation = max;
    this.gatherBelow = options.gatherBelow ?? GATHER_MAX;
    this.binary = options.binary ?? false;
  }

  /** Switch the receive side between NVT (false) and BINARY (true) mode, per RFC 856. */
  setBinary(binary: boolean): void {
    this.binary = binary;
    this.crPending = false;
  }

  get isBinary(): boolean {
    return this.binary;
  }

  /** True while a subnegotiation is open (between IAC SB and IAC SE). */
  get inSubnegotiation(): boolean {
    return this.state >= S_SB_OPTION;
  }

  /** Parse one chunk; returns the events it completes, in order. */
  feed(input: Uint8Array): TelnetEvent[] {
    const c = this.collector;
    c.out = [];
    this.parse(input, c);
    return c.out;
  }

  /** Parse one chunk, reporting to `sink` as it goes. */
  parse(input: Uint8Array, sink: TelnetSink): void {
    const chunk = Buffer.isBuffer(input)
      ? input
      : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    const len = chunk.length;
    this.nulAt = -1;
    this.nulFrom = len + 1;
    this.pairAt = -1;
    this.pairFrom = len + 1;
    this.pairMode = false;
    this.loneNuls = 0;
    let i = 0;
    while (i < len) {
      switch (this.state) {
        case S_DATA: {
          const iac = chunk.indexOf(IAC, i);
          const end = iac === -1 ? len : iac;
          if (end > i) {
            if (this.binary) this.addRange(chunk, i, end, sink);
            else this.addNvt(chunk, i, end, sink);
          }
          if (iac === -1) {
            i = len;
            break;
          }
          // Fast path for a whole negotiation or command inside this chunk.
          const b = iac + 2 < len ? chunk[iac + 1] : 0;
          if (b >= 0xfb && b !== IAC) {
            this.flush(chunk, sink);
            this.crPending = false;
            sink.option(VERB_NAMES[b - 0xfb], chunk[iac + 2]);
            i = iac + 3;
          } else if (b >= 0xf1 && b <= 0xf9) {
            this.flush(chunk, sink);
            this.crPending = false;
            sink.command(COMMAND_BY_CODE[b - 0xf1]);
            i = iac + 2;
          } else {
            i = iac + 1;
            this.state = S_IAC;
          }
          break;
        }
        case S_IAC:
          i = this.afterIac(chunk, i, sink);
          break;
        case S_VERB:
          sink.option(VERB_NAMES[this.verb - 0xfb], chunk[i++]);
          this.state = S_DATA;
          break;
        case S_SB_OPTION:
          this.sbOption = chunk[i++];
          this.sbLen = 0;
          this.sbSeen = 0;
          this.sbZcStart = -1;
          this.state = S_SB_DATA;
          break;
        case S_SB_DATA: {
          const iac = chunk.indexOf(IAC, i);
          const end = iac === -1 ? len : iac;
          if (end > i) this.sbAppend(chunk, i, end);
          if (iac === -1) {
            i = len;
          } else {
            i = iac + 1;
            this.state = S_SB_IAC;
          }
          break;
        }
        default:
          i = this.afterSbIac(chunk, i, sink);
      }
    }
    this.flush(chunk, sink);
    this.scratchChunk = undefined;
    if (this.sbZcStart !== -1) this.sbMaterialize(chunk);
  }

  /** The byte after IAC in data state. */
  private afterIac(chunk: Buffer, i: number, sink: TelnetSink): number {
    const b = chunk[i];
    if (b === IAC) {
      // IAC IAC: the second 0xFF is the data byte; it joins the data that follows. A run of
      // further pairs is counted in one loop.
      this.state = S_DATA;
      this.crPending = false;
      let j = i + 1;
      while (j + 1 < chunk.length && chunk[j] === IAC && chunk[j + 1] === IAC) j += 2;
      if (j === i + 1) {
        this.addRange(chunk, i, i + 1, sink);
      } else {
        this.addFF(chunk, i, 1 + (j - i - 1) / 2);
      }
      return j;
    }
    this.flush(chunk, sink);
    this.crPending = false;
    if (b >= 0xfb) {
      this.verb = b;
      this.state = S_VERB;
    } else if (b === SB) {
      this.state = S_SB_OPTION;
    } else {
      this.state = S_DATA;
      const name = commandName(b);
      if (name !== undefined) sink.command(name);
      else if (b === SE)
        sink.error("TELDOC_ERR_SE_OUTSIDE_SB", "IAC SE outside a subnegotiation", undefined);
      else
        sink.error(
          "TELDOC_ERR_UNKNOWN_COMMAND",
          `IAC followed by ${b}, no Telnet command`,
          undefined,
        );
    }
    return i + 1;
  }

  /** The byte after IAC inside a subnegotiation. */
  private afterSbIac(chunk: Buffer, i: number, sink: TelnetSink): number {
    const b = chunk[i];
    if (b === IAC) {
      this.state = S_SB_DATA;
      this.sbAppend(chunk, i, i + 1);
      return i + 1;
    }
    if (b === SE) {
      this.state = S_DATA;
      this.flush(chunk, sink);
      this.sbFinish(chunk, sink);
      return i + 1;
    }
    // RFC 855 allows nothing but IAC IAC and IAC SE inside SB: drop the payload, then treat
    // the byte as the command it is (a new SB starts a new subnegotiation).
    this.flush(chunk, sink);
    sink.error(
      "TELDOC_ERR_SB_INTERRUPTED",
      `subnegotiation of option ${this.sbOption} interrupted by IAC ${b} after ${this.sbSeen} bytes`,
      this.sbOption,
    );
    this.sbZcStart = -1;
    this.sbLen = 0;
    this.sbSeen = 0;
    this.state = S_IAC;
    return i;
  }

  /**
   * NVT data: a NUL right after a CR is dropped (RFC 854: CR NUL is a bare CR). NULs are found
   * with indexOf(0); when a chunk shows many NULs that follow no CR (8-bit data), the rest of it
   * is searched for the pair CR NUL instead, which skips those NULs without a call each.
   */
  private addNvt(chunk: Buffer, start: number, end: number, sink: TelnetSink): void {
    let s = start;
    if (this.crPending && chunk[s] === 0) {
      // The CR ended the previous chunk or range.
      this.nulsDropped++;
      s++;
    }
    this.crPending = false;
    while (s < end) {
      const q = this.pairMode ? this.nextPair(chunk, s) : this.nextNul(chunk, s);
      if (q === -1 || q >= end) break;
      if (this.pairMode || (q > s && chunk[q - 1] === CR)) {
        if (q > s) this.addRange(chunk, s, q, sink);
        this.nulsDropped++;
      } else {
        this.addRange(chunk, s, q + 1, sink);
        if (++this.loneNuls > 8) this.pairMode = true;
      }
      s = q + 1;
    }
    if (s < end) {
      this.addRange(chunk, s, end, sink);
      this.crPending = chunk[end - 1] === CR;
    }
  }

  /** The next NUL at or after s in this chunk (cached), or -1. */
  private nextNul(chunk: Buffer, s: number): number {
    if (this.nulFrom > s || (this.nulAt !== -1 && this.nulAt < s)) {
      this.nulAt = chunk.indexOf(0, s);
      this.nulFrom = s;
    }
    return this.nulAt;
  }

  /** The position of the NUL of the next CR NUL pair whose CR is at or after s, or -1. */
  private nextPair(chunk: Buffer, s: number): number {
    if (this.pairFrom > s || (this.pairAt !== -1 && this.pairAt < s + 1)) {
      const p = chunk.indexOf(CR_NUL, s);
      this.pairAt = p === -1 ? -1 : p + 1;
      this.pairFrom = s;
    }
    return this.pairAt;
  }

  /**
   * Data [start, end) of the chunk. Adjacent ranges join; a gap (a dropped IAC or NUL) between
   * two long ranges reports the first as a slice; short pieces are gathered into a scratch
   * copy instead, so a flood of IAC IAC or CR NUL costs one event per chunk, not one per byte.
   */
  private addRange(chunk: Buffer, start: number, end: number, sink: TelnetSink): void {
    const short = end - start < this.gatherBelow;
    if (this.scratchFrom !== -1) {
      if (short) {
        this.gather(chunk, start, end);
        return;
      }
      this.flush(chunk, sink);
    } else if (this.pendEnd === start) {
      this.pendEnd = end;
      return;
    } else if (this.pendStart !== -1) {
      if (short && this.pendEnd - this.pendStart < this.gatherBelow) {
        // Two short pieces in a row: start gathering.
        this.scratchFor(chunk, this.pendStart);
        this.scratchFrom = this.scratchLen;
        this.gather(chunk, this.pendStart, this.pendEnd);
        this.gather(chunk, start, end);
        this.pendStart = -1;
        this.pendEnd = -1;
        return;
      }
      sink.data(chunk, this.pendStart, this.pendEnd);
    }
    this.pendStart = start;
    this.pendEnd = end;
  }

  /** Copy chunk[start, end) to the end of the scratch buffer. */
  private gather(chunk: Buffer, start: number, end: number): void {
    const scratch = this.scratch;
    let at = this.scratchLen;
    if (end - start <= 16) {
      for (let k = start; k < end; k++) scratch[at++] = chunk[k];
    } else {
      at += chunk.copy(scratch, at, start, end);
    }
    this.scratchLen = at;
  }

  /** `count` data bytes 0xFF from a run of IAC IAC pairs (always gathered). */
  private addFF(chunk: Buffer, from: number, count: number): void {
    if (this.scratchFrom === -1) {
      this.scratchFor(chunk, this.pendStart !== -1 ? this.pendStart : from);
      this.scratchFrom = this.scratchLen;
      if (this.pendStart !== -1) {
        this.gather(chunk, this.pendStart, this.pendEnd);
        this.pendStart = -1;
        this.pendEnd = -1;
      }
    }
    this.scratch.fill(IAC, this.scratchLen, this.scratchLen + count);
    this.scratchLen += count;
  }

  /**
   * Make the scratch buffer ready for data from chunk position `from` on: the data still to
   * come in this chunk never outgrows the bytes left in it, so that size always suffices.
   */
  private scratchFor(chunk: Buffer, from: number): void {
    if (this.scratchChunk !== chunk) {
      this.scratchChunk = chunk;
      this.scratch = Buffer.allocUnsafe(chunk.length - from);
      this.scratchLen = 0;
    }
  }

  private flush(chunk: Buffer, sink: TelnetSink): void {
    if (this.scratchFrom !== -1) {
      sink.data(this.scratch, this.scratchFrom, this.scratchLen);
      this.scratchFrom = -1;
    }
    if (this.pendStart === -1) return;
    sink.data(chunk, this.pendStart, this.pendEnd);
    this.pendStart = -1;
    this.pendEnd = -1;
  }

  private sbAppend(chunk: Buffer, start: number, end: number): void {
    const n = end - start;
    this.sbSeen += n;
    if (this.sbSeen > this.maxSubnegotiation) {
      this.sbZcStart = -1;
      return;
    }
    if (this.sbLen === 0 && this.sbZcStart === -1) {
      this.sbZcStart = start;
      this.sbZcEnd = end;
      return;
    }
    if (this.sbZcStart !== -1) {
      if (this.sbZcEnd === start) {
        this.sbZcEnd = end;
        return;
      }
      this.sbMaterialize(chunk);
    }
    this.sbReserve(this.sbLen + n);
    chunk.copy(this.sbBuf, this.sbLen, start, end);
    this.sbLen += n;
  }

  /** Copy a zero-copy payload range into the parser's own buffer. */
  private sbMaterialize(chunk: Buffer): void {
    const n = this.sbZcEnd - this.sbZcStart;
    this.sbReserve(this.sbLen + n);
    chunk.copy(this.sbBuf, this.sbLen, this.sbZcStart, this.sbZcEnd);
    this.sbLen += n;
    this.sbZcStart = -1;
  }

  private sbReserve(size: number): void {
    if (size <= this.sbBuf.length) return;
    let cap = Math.max(256, this.sbBuf.length * 2);
    while (cap < size) cap *= 2;
    const next = Buffer.allocUnsafe(Math.min(cap, this.maxSubnegotiation));
    this.sbBuf.copy(next, 0, 0, this.sbLen);
    this.sbBuf = next;
  }

  private sbFinish(chunk: Buffer, sink: TelnetSink): void {
    const option = this.sbOption;
    const seen = this.sbSeen;
    this.sbSeen = 0;
    if (seen > this.maxSubnegotiation) {
      this.sbLen = 0;
      sink.error(
        "TELDOC_ERR_SB_OVERFLOW",
        `subnegotiation of option ${option} carried ${seen} bytes, over the cap of ${this.maxSubnegotiation}: dropped`,
        option,
      );
      return;
    }
    let data: Buffer;
    if (this.sbZcStart !== -1) {
      data = chunk.subarray(this.sbZcStart, this.sbZcEnd);
      this.sbZcStart = -1;
    } else {
      data = Buffer.from(this.sbBuf.subarray(0, this.sbLen));
    }
    this.sbLen = 0;
    sink.subneg(option, data);
  }
}
