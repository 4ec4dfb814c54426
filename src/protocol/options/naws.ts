/**
 * @module NAWS, Negotiate About Window Size (RFC 1073): width and height as 16-bit big-endian.
 * (The 0xFF bytes are doubled by the subnegotiation encoder, not here.)
 */

export interface WindowSize {
  readonly width: number;
  readonly height: number;
}

/** The NAWS payload for a window; sizes are clamped to 0..65535. */
export function encodeNaws(size: WindowSize): Buffer {
  const out = Buffer.allocUnsafe(4);
  out.writeUInt16BE(clamp(size.width), 0);
  out.writeUInt16BE(clamp(size.height), 2);
  return out;
}

/** Decode a NAWS payload; undefined unless it is exactly 4 bytes. */
export function decodeNaws(payload: Buffer): WindowSize | undefined {
  if (payload.length !== 4) return undefined;
  return { width: payload.readUInt16BE(0), height: payload.readUInt16BE(2) };
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.min(65535, Math.trunc(n))) : 0;
}
