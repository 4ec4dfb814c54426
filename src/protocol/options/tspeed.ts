/** @module TERMINAL-SPEED (RFC 1079): IS "transmit,receive" / SEND. */
export const TSPEED_IS = 0;
export const TSPEED_SEND = 1;

export function encodeTspeedIs(transmit: number, receive: number): Buffer {
  return Buffer.concat([Buffer.from([TSPEED_IS]), Buffer.from(`${transmit},${receive}`, "latin1")]);
}

export type TspeedMessage =
  | { readonly kind: "send" }
  | { readonly kind: "is"; readonly transmit: number; readonly receive: number };

export function decodeTspeed(payload: Buffer): TspeedMessage | undefined {
  if (payload.length === 1 && payload[0] === TSPEED_SEND) return { kind: "send" };
  if (payload.length < 1 || payload[0] !== TSPEED_IS) return undefined;
  const m = /^(\d+),(\d+)$/.exec(payload.subarray(1).toString("latin1"));
  if (!m) return undefined;
  return { kind: "is", transmit: Number(m[1]), receive: Number(m[2]) };
}
