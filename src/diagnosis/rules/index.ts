/** @module The rule registry: every rule, one array; the best candidate wins. */
import type { Rule } from "../types.js";
import { ACCESS_RULES } from "./access.js";
import { CONNECT_RULES } from "./connect.js";
import { IDLE_RULES } from "./idle.js";
import { LOGIN_RULES } from "./login.js";
import { RESOLVE_RULES } from "./resolve.js";
import { TRANSPORT_RULES } from "./transport.js";

export { aclRejected, serviceUnavailable, wrongService } from "./access.js";
export { connectFailed } from "./connect.js";
export { idleTimeout, middleboxTimeout } from "./idle.js";
export { authFailed, loginTimeout } from "./login.js";
export { dnsFailure } from "./resolve.js";
export { localClose, logout, networkFailure, peerReset, serverClosed } from "./transport.js";

/** Every rule, by family; on equal confidence the earlier rule wins. */
export const RULES: readonly Rule[] = [
  ...RESOLVE_RULES,
  ...CONNECT_RULES,
  ...ACCESS_RULES,
  ...LOGIN_RULES,
  ...IDLE_RULES,
  ...TRANSPORT_RULES,
];
