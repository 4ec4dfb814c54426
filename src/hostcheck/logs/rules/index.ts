/**
 * @module The rules in the order they are asked: refusals first (they decide before any login),
 * then the login's end, then how an accepted session ended; the first that answers names the
 * cause. `notTold` always answers (`unknown`, with what the log lacks).
 */
import type { SessionFacts, Verdict } from "../types.js";
import { inetdLimit, nologin, tcpdRefused, xinetdFail } from "./access.js";
import { clientWentAway, killed, notTold, shellEnded, sshClosed } from "./end.js";
import {
  failedLogins,
  loginTimer,
  rootRefused,
  silentLoginTimeout,
  tooManyTries,
} from "./login.js";
import type { LogRule } from "./types.js";

export type { LogRule } from "./types.js";

/** Every rule, in the order asked. */
export const LOG_RULES: readonly LogRule[] = [
  xinetdFail,
  tcpdRefused,
  inetdLimit,
  nologin,
  tooManyTries,
  rootRefused,
  loginTimer,
  failedLogins,
  clientWentAway,
  shellEnded,
  sshClosed,
  silentLoginTimeout,
  killed,
  notTold,
];

/**
 * Name a finished session's cause.
 * @example classify(facts).cause // "acl-rejected"
 */
export function classify(f: SessionFacts): Verdict {
  for (const rule of LOG_RULES) {
    const v = rule(f);
    if (v) return v;
  }
  return notTold(f)!;
}
