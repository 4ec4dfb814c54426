/**
 * @module TERMINAL-TYPE (RFC 1091): IS / SEND, and the client's cycling through its list of
 * names, which repeats the last name to tell the server the list is done.
 */
export const TTYPE_IS = 0;
export const TTYPE_SEND = 1;

/** The payload of IS name (the name is sent as US-ASCII, upper case by convention). */
export function encodeTtypeIs(name: string): Buffer {
  return Buffer.concat([Buffer.from([TTYPE_IS]), Buffer.from(name.toUpperCase(), "latin1")]);
}

export type TtypeMessage =
  | { readonly kind: "send" }
  | { readonly kind: "is"; readonly name: string };

/** Decode a TTYPE payload; undefined when it is neither IS nor SEND. */
export function decodeTtype(payload: Buffer): TtypeMessage | undefined {
  if (payload.length === 1 && payload[0] === TTYPE_SEND) return { kind: "send" };
  if (payload.length >= 1 && payload[0] === TTYPE_IS) {
    return { kind: "is", name: payload.subarray(1).toString("latin1") };
  }
  return undefined;
}

/**
 * The client's answers to successive SENDs: each name of the list in turn, then the last name
 * again (RFC 1091 §"the last type is sent twice"), then the cycle starts over.
 * @example const c = new TtypeCycler(["xterm-256color", "xterm", "vt100"]); c.next(); // "XTERM-256COLOR"
 */
export class TtypeCycler {
  private index = 0;
  private readonly names: readonly string[];

  constructor(names: readonly string[]) {
    this.names = names.length > 0 ? names.map((n) => n.toUpperCase()) : ["UNKNOWN"];
  }

  next(): string {
    const n = this.names.length;
    const name = this.names[Math.min(this.index, n - 1)];
    this.index = this.index >= n ? 0 : this.index + 1;
    return name;
  }
}
