/**
 * @module Telnet byte values and names: commands (RFC 854 §"TELNET COMMAND STRUCTURE") and the
 * option codes of IANA's Telnet Options registry, plus the MUD options met in the wild.
 */

/** Interpret As Command (RFC 854). */
export const IAC = 0xff;
export const DONT = 0xfe;
export const DO = 0xfd;
export const WONT = 0xfc;
export const WILL = 0xfb;
/** Subnegotiation begin (RFC 855). */
export const SB = 0xfa;
export const GA = 0xf9;
export const EL = 0xf8;
export const EC = 0xf7;
export const AYT = 0xf6;
export const AO = 0xf5;
export const IP = 0xf4;
export const BRK = 0xf3;
export const DM = 0xf2;
export const NOP = 0xf1;
/** Subnegotiation end (RFC 855). */
export const SE = 0xf0;
/** End of record (RFC 885). */
export const EOR_CMD = 0xef;

export const CR = 0x0d;
export const LF = 0x0a;
export const NUL = 0x00;

/** The negotiation verbs, by name (RFC 854). */
export type Verb = "WILL" | "WONT" | "DO" | "DONT";

export const VERB_CODES: Readonly<Record<Verb, number>> = {
  WILL: WILL,
  WONT: WONT,
  DO: DO,
  DONT: DONT,
};

/** Commands that stand alone after IAC (everything except the verbs, SB, SE and IAC). */
export type CommandName = "EOR" | "NOP" | "DM" | "BRK" | "IP" | "AO" | "AYT" | "EC" | "EL" | "GA";

export const COMMAND_CODES: Readonly<Record<CommandName, number>> = {
  EOR: EOR_CMD,
  NOP: NOP,
  DM: DM,
  BRK: BRK,
  IP: IP,
  AO: AO,
  AYT: AYT,
  EC: EC,
  EL: EL,
  GA: GA,
};

const COMMAND_NAMES: readonly (CommandName | undefined)[] = (() => {
  const names: (CommandName | undefined)[] = new Array(256).fill(undefined);
  for (const [name, code] of Object.entries(COMMAND_CODES)) names[code] = name as CommandName;
  return names;
})();

/** The name of a stand-alone command byte, or undefined when the byte is not one. */
export function commandName(code: number): CommandName | undefined {
  return COMMAND_NAMES[code];
}

/** Option codes used by teldoc's own code. */
export const Opt = {
  BINARY: 0,
  ECHO: 1,
  SGA: 3,
  STATUS: 5,
  TIMING_MARK: 6,
  LOGOUT: 18,
  TTYPE: 24,
  EOR: 25,
  NAWS: 31,
  TSPEED: 32,
  LFLOW: 33,
  LINEMODE: 34,
  XDISPLOC: 35,
  OLD_ENVIRON: 36,
  AUTHENTICATION: 37,
  ENCRYPT: 38,
  NEW_ENVIRON: 39,
  CHARSET: 42,
  START_TLS: 46,
  MSDP: 69,
  MSSP: 70,
  MCCP1: 85,
  MCCP2: 86,
  MCCP3: 87,
  MSP: 90,
  MXP: 91,
  ZMP: 93,
  ATCP: 200,
  GMCP: 201,
  EXOPL: 255,
} as const;

/**
 * Short names for option codes: IANA's Telnet Options registry (0-49, 138-140, 255) and the
 * MUD protocols (MSDP, MSSP, MCCP, MSP, MXP, ZMP, ATCP, GMCP). Names follow arpa/telnet.h.
 */
const OPTION_NAMES: Readonly<Record<number, string>> = {
  0: "BINARY",
  1: "ECHO",
  2: "RCP",
  3: "SGA",
  4: "NAMS",
  5: "STATUS",
  6: "TIMING-MARK",
  7: "RCTE",
  8: "NAOL",
  9: "NAOP",
  10: "NAOCRD",
  11: "NAOHTS",
  12: "NAOHTD",
  13: "NAOFFD",
  14: "NAOVTS",
  15: "NAOVTD",
  16: "NAOLFD",
  17: "XASCII",
  18: "LOGOUT",
  19: "BM",
  20: "DET",
  21: "SUPDUP",
  22: "SUPDUP-OUTPUT",
  23: "SEND-LOCATION",
  24: "TTYPE",
  25: "EOR",
  26: "TACACS-UID",
  27: "OUTMRK",
  28: "TTYLOC",
  29: "3270-REGIME",
  30: "X.3-PAD",
  31: "NAWS",
  32: "TSPEED",
  33: "LFLOW",
  34: "LINEMODE",
  35: "XDISPLOC",
  36: "OLD-ENVIRON",
  37: "AUTHENTICATION",
  38: "ENCRYPT",
  39: "NEW-ENVIRON",
  40: "TN3270E",
  41: "XAUTH",
  42: "CHARSET",
  43: "RSP",
  44: "COM-PORT-OPTION",
  45: "SUPPRESS-LOCAL-ECHO",
  46: "START-TLS",
  47: "KERMIT",
  48: "SEND-URL",
  49: "FORWARD-X",
  69: "MSDP",
  70: "MSSP",
  85: "MCCP1",
  86: "MCCP2",
  87: "MCCP3",
  90: "MSP",
  91: "MXP",
  93: "ZMP",
  138: "PRAGMA-LOGON",
  139: "SSPI-LOGON",
  140: "PRAGMA-HEARTBEAT",
  200: "ATCP",
  201: "GMCP",
  255: "EXOPL",
};

/**
 * The name of an option code for traces and messages; unassigned codes read `OPT-<n>`.
 * @example optionName(31) // "NAWS"
 */
export function optionName(code: number): string {
  return OPTION_NAMES[code] ?? `OPT-${code}`;
}

/** The option code for a name given by optionName (or a number as text), or undefined. */
export function optionCode(name: string): number | undefined {
  const upper = name.toUpperCase();
  for (const [code, n] of Object.entries(OPTION_NAMES)) if (n === upper) return Number(code);
  const m = /^(?:OPT-)?(\d{1,3})$/.exec(upper);
  if (m) {
    const n = Number(m[1]);
    if (n <= 255) return n;
  }
  return undefined;
}
