/**
 * @module The Telnet encoder (RFC 854, RFC 855): data escaping and command bytes. Sans-I/O.
 *
 * - Data: every 0xFF is doubled (IAC IAC). In NVT mode a CR that is not followed by LF
 *   is sent as CR NUL, so the far end reads a bare carriage return (RFC 854, "the sequence CR
 *   NUL"). In BINARY mode only IAC is escaped.
 * - Subnegotiation payloads have their 0xFF doubled; the payload never needs an SE escape.
 */
import {
  COMMAND_CODES,
  type CommandName,
  CR,
  IAC,
  LF,
  NUL,
  SB,
  SE,
  VERB_CODES,
  type Verb,
} from "./constants.js";

export interface EscapeOptions {
  /** The send side is in BINARY mode (RFC 856): leave CR alone. */
  readonly binary?: boolean;
}

/**
 * Escape application data for the wire. Returns the input itself when nothing needs escaping.
 * @example escapeData(Buffer.from("a\xffb", "latin1")) // <61 ff ff 62>
 */
export function escapeData(data: Uint8Array, options: EscapeOptions = {}): Buffer {
  const buf = Buffer.isBuffer(data)
    ? data
    : Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const binary = options.binary ?? false;
  let extra = 0;
  for (let i = buf.indexOf(IAC); i !== -1; i = buf.indexOf(IAC, i + 1)) extra++;
  if (!binary) {
    for (let i = buf.indexOf(CR); i !== -1; i = buf.indexOf(CR, i + 1)) {
      const next = i + 1 < buf.length ? buf[i + 1] : -1;
      if (next !== LF) extra++;
    }
  }
  if (extra === 0) return buf;
  const out = Buffer.allocUnsafe(buf.length + extra);
  let o = 0;
  for (let i = 0; i < buf.length; i++) {
    const b = buf[i];
    out[o++] = b;
    if (b === IAC) out[o++] = IAC;
    else if (b === CR && !binary) {
      const next = i + 1 < buf.length ? buf[i + 1] : -1;
      if (next !== LF) out[o++] = NUL;
    }
  }
  return out;
}

/** Double every 0xFF of a subnegotiation payload. */
export function escapeIac(data: Uint8Array): Buffer {
  return escapeData(data, { binary: true });
}

/** IAC followed by a stand-alone command. @example encodeCommand("AYT") // <ff f6> */
export function encodeCommand(command: CommandName): Buffer {
  return Buffer.from([IAC, COMMAND_CODES[command]]);
}

/** IAC WILL|WONT|DO|DONT option. @example encodeNegotiation("DO", 3) // <ff fd 03> */
export function encodeNegotiation(verb: Verb, option: number): Buffer {
  checkOption(option);
  return Buffer.from([IAC, VERB_CODES[verb], option]);
}

/**
 * IAC SB option payload IAC SE, with the payload's 0xFF doubled.
 * @example encodeSubnegotiation(24, Buffer.from([1])) // <ff fa 18 01 ff f0>
 */
export function encodeSubnegotiation(option: number, payload: Uint8Array): Buffer {
  checkOption(option);
  const body = escapeIac(payload);
  const out = Buffer.allocUnsafe(body.length + 5);
  out[0] = IAC;
  out[1] = SB;
  out[2] = option;
  body.copy(out, 3);
  out[out.length - 2] = IAC;
  out[out.length - 1] = SE;
  return out;
}

function checkOption(option: number): void {
  if (!Number.isInteger(option) || option < 0 || option > 255) {
    throw new RangeError(`a Telnet option is a byte (0-255), got ${option}`);
  }
}
