/**
 * @module LINEMODE (RFC 1184), enough to run in character mode or refuse cleanly: MODE with
 * its mask (EDIT, TRAPSIG, MODE_ACK, SOFT_TAB, LIT_ECHO), FORWARDMASK and SLC recognised.
 * A client that accepts LINEMODE acknowledges a MODE without EDIT and answers a MODE with EDIT
 * by proposing the same mode without it (no ACK), so the session stays character-at-a-time.
 */
export const LM_MODE = 1;
export const LM_FORWARDMASK = 2;
export const LM_SLC = 3;
export const MODE_EDIT = 0x01;
export const MODE_TRAPSIG = 0x02;
export const MODE_ACK = 0x04;
export const MODE_SOFT_TAB = 0x08;
export const MODE_LIT_ECHO = 0x10;

export type LinemodeMessage =
  | { readonly kind: "mode"; readonly mask: number; readonly edit: boolean; readonly ack: boolean }
  | { readonly kind: "forwardmask"; readonly verb: number }
  | { readonly kind: "slc"; readonly triplets: number }
  | { readonly kind: "other"; readonly first: number };

export function decodeLinemode(payload: Buffer): LinemodeMessage | undefined {
  if (payload.length === 0) return undefined;
  const first = payload[0];
  if (first === LM_MODE && payload.length >= 2) {
    const mask = payload[1];
    return { kind: "mode", mask, edit: (mask & MODE_EDIT) !== 0, ack: (mask & MODE_ACK) !== 0 };
  }
  if (first >= 0xfb && first <= 0xfe && payload[1] === LM_FORWARDMASK)
    return { kind: "forwardmask", verb: first };
  if (first === LM_SLC) return { kind: "slc", triplets: Math.floor((payload.length - 1) / 3) };
  return { kind: "other", first };
}

/**
 * The answer to a MODE from the server, or undefined when none is due (an ACK, or a mode we
 * already hold). Character mode: EDIT cleared; TRAPSIG and SOFT_TAB kept as asked.
 */
export function answerLinemodeMode(mask: number): Buffer | undefined {
  if ((mask & MODE_ACK) !== 0) return undefined;
  const asked = mask & 0x1f;
  const wanted = asked & ~MODE_EDIT;
  // Agree (with MODE_ACK) to a character mode; propose our own, without ACK, otherwise.
  return Buffer.from([LM_MODE, wanted === asked ? asked | MODE_ACK : wanted]);
}
