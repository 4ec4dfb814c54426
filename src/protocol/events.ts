/**
 * @module The events the Telnet parser emits: a readonly discriminated union keyed by `type`,
 * named as in the contract's JSON (`data`, `command`, `option`, `subneg`, `error`).
 */
import type { CommandName, Verb } from "./constants.js";

/** Application data: a zero-copy view of the input where possible. */
export interface DataEvent {
  readonly type: "data";
  readonly data: Buffer;
}

/** A stand-alone command: IAC NOP, IAC GA, IAC AYT... (RFC 854). */
export interface CommandEvent {
  readonly type: "command";
  readonly command: CommandName;
}

/** A negotiation: IAC WILL|WONT|DO|DONT option (RFC 854, RFC 855). */
export interface OptionEvent {
  readonly type: "option";
  readonly verb: Verb;
  readonly option: number;
}

/** A subnegotiation, IAC SB option ... IAC SE, with its payload un-escaped (RFC 855). */
export interface SubnegEvent {
  readonly type: "subneg";
  readonly option: number;
  readonly data: Buffer;
}

/** Codes of the peer protocol violations the parser reports (and survives). */
export type ProtocolErrorCode =
  | "TELDOC_ERR_SB_OVERFLOW"
  | "TELDOC_ERR_SE_OUTSIDE_SB"
  | "TELDOC_ERR_SB_INTERRUPTED"
  | "TELDOC_ERR_UNKNOWN_COMMAND";

/** A peer protocol violation. Never fatal: the parser goes on with the next byte. */
export interface ProtocolErrorEvent {
  readonly type: "error";
  readonly code: ProtocolErrorCode;
  readonly message: string;
  /** The option concerned, for subnegotiation errors. */
  readonly option: number | undefined;
}

export type TelnetEvent = DataEvent | CommandEvent | OptionEvent | SubnegEvent | ProtocolErrorEvent;
