/**
 * @module CHARSET (RFC 2066): REQUEST with a separator-delimited list, ACCEPTED, REJECTED.
 * Translation tables (TTABLE-*) are declined.
 */
export const CHARSET_REQUEST = 1;
export const CHARSET_ACCEPTED = 2;
export const CHARSET_REJECTED = 3;
export const CHARSET_TTABLE_IS = 4;
export const CHARSET_TTABLE_REJECTED = 5;

export type CharsetMessage =
  | { readonly kind: "request"; readonly charsets: readonly string[] }
  | { readonly kind: "accepted"; readonly charset: string }
  | { readonly kind: "rejected" }
  | { readonly kind: "ttable" };

export function decodeCharset(payload: Buffer): CharsetMessage | undefined {
  if (payload.length === 0) return undefined;
  switch (payload[0]) {
    case CHARSET_REQUEST: {
      let body = payload.subarray(1);
      if (body.subarray(0, 8).toString("latin1") === "[TTABLE]") body = body.subarray(9);
      if (body.length < 1) return { kind: "request", charsets: [] };
      const sep = String.fromCharCode(body[0]);
      const charsets = body
        .subarray(1)
        .toString("latin1")
        .split(sep)
        .filter((c) => c.length > 0);
      return { kind: "request", charsets };
    }
    case CHARSET_ACCEPTED:
      return { kind: "accepted", charset: payload.subarray(1).toString("latin1") };
    case CHARSET_REJECTED:
      return { kind: "rejected" };
    default:
      return { kind: "ttable" };
  }
}

/** REQUEST for a list of charsets, separated by a space. */
export function encodeCharsetRequest(charsets: readonly string[]): Buffer {
  return Buffer.concat([
    Buffer.from([CHARSET_REQUEST]),
    Buffer.from(` ${charsets.join(" ")}`, "latin1"),
  ]);
}

/** The answer to a REQUEST: ACCEPTED with the first offered charset we support, else REJECTED. */
export function answerCharsetRequest(
  offered: readonly string[],
  supported: readonly string[],
): Buffer {
  const wanted = supported.map((s) => s.toUpperCase());
  const pick = offered.find((c) => wanted.includes(c.toUpperCase()));
  if (pick === undefined) return Buffer.from([CHARSET_REJECTED]);
  return Buffer.concat([Buffer.from([CHARSET_ACCEPTED]), Buffer.from(pick, "latin1")]);
}
