/**
 * @module What the login check's refusal means: the server rejected the credentials, in its
 * own words (a known vendor message names its system and may add advice). A pure rule over
 * the check's facts; the check (checks/login.ts) runs the dialogue and gathers them.
 */
import { formatMs } from "../../util/duration.js";
import type { Candidate } from "../types.js";

export interface LoginRefusalFacts {
  readonly user: string;
  /** The server's words (or what the dialogue saw: the login prompt came back). */
  readonly words: string;
  /** How long after the user name was sent the refusal came. */
  readonly afterMs: number;
  /** The known message the words matched, when one did. */
  readonly known?: { readonly system: string; readonly advice?: string };
}

/**
 * @example loginRefused({ user: "ops", words: "Login incorrect", afterMs: 3100 }).cause // "auth-failed"
 */
export function loginRefused(f: LoginRefusalFacts): Candidate {
  return {
    cause: "auth-failed",
    confidence: f.known ? 0.95 : 0.8,
    summary: `The server rejected the credentials for ${f.user}.`,
    evidence: [
      `server said: "${f.words}" ${formatMs(f.afterMs)} after the user name was sent`,
      ...(f.known ? [`known wording: ${f.known.system}`] : []),
      "the password was sent masked; it is not in any output",
    ],
    advice: [
      `Check the user name and password for ${f.user} (and the keyboard layout, Caps Lock).`,
      "If they are right, the account may be locked or expired, or the server's AAA (TACACS+/RADIUS) may reject it: its log says which (`/var/log/auth.log`: FAILED LOGIN).",
      ...(f.known?.advice ? [f.known.advice] : []),
    ],
  };
}
