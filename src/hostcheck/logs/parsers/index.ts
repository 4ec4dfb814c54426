/**
 * @module The family parsers as a registry: a program name → its parser (one file per family).
 * tcp wrappers log under the daemon's name, and PAM under the program that ran it, so those
 * two are tried on every program we read; a program that is no family of ours is `ignored`
 * (its lines are not Telnet's business), not unparsed.
 */
import type { FamilyParser, LogEvent } from "../types.js";
import { parseInetd } from "./inetd.js";
import { parseLogin } from "./login.js";
import { parsePam } from "./pam.js";
import { parseSshd } from "./sshd.js";
import { parseTcpd } from "./tcpd.js";
import { parseTelnetd } from "./telnetd.js";
import { parseXinetd } from "./xinetd.js";

type Parser = (message: string) => LogEvent | null | undefined;

const TELNETD = ["telnetd", "in.telnetd", "telnetlogin", "in.telnetd-ssl", "utelnetd"];

/** Program name → the parser of its family. */
export const FAMILIES: ReadonlyMap<string, Parser> = new Map<string, Parser>([
  ["xinetd", parseXinetd],
  ["inetd", parseInetd],
  ["tcpd", parseTcpd],
  ...TELNETD.map((p): [string, Parser] => [p, parseTelnetd]),
  ["login", parseLogin],
  ["sshd", parseSshd],
  ["sshd-session", parseSshd],
]);

/** What one message is to us. */
export type Parsed =
  | { readonly event: LogEvent }
  /** From one of our programs, understood, bearing on no session. */
  | { readonly known: true }
  /** From one of our programs, not understood: counted as unparsed. */
  | { readonly unknown: true }
  /** From another program: not our business. */
  | { readonly ignored: true };

const KNOWN = { known: true } as const;
const UNKNOWN = { unknown: true } as const;
const IGNORED = { ignored: true } as const;

/**
 * Parse the message of `program` with its family's parser, then PAM's and tcp wrappers'.
 * @example parseMessage("in.telnetd", "refused connect from 10.0.0.9")
 * // { event: { kind: "tcpd-refused", from: "10.0.0.9" } }
 */
export function parseMessage(program: string, message: string): Parsed {
  const own = FAMILIES.get(program);
  if (own === undefined) return IGNORED;
  const first = own(message);
  if (first) return { event: first };
  if (first === null) return KNOWN;
  const pam = parsePam(message);
  if (pam) return { event: pam };
  if (pam === null) return KNOWN;
  const tcpd = parseTcpd(message);
  return tcpd ? { event: tcpd } : UNKNOWN;
}

/** The family parsers, for tests that fuzz them all. */
export const PARSERS: readonly FamilyParser[] = [
  (m) => parseXinetd(m) ?? undefined,
  (m) => parseInetd(m) ?? undefined,
  parseTcpd,
  (m) => parseTelnetd(m) ?? undefined,
  parseLogin,
  (m) => parsePam(m) ?? undefined,
  (m) => parseSshd(m) ?? undefined,
];
