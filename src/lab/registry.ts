/** @module Every lab scenario, by name: a registry map, not a switch. */
import { aclRejected } from "./scenarios/acl-rejected.js";
import { authFailed } from "./scenarios/auth-failed.js";
import { healthy } from "./scenarios/healthy.js";
import { idleTimeout } from "./scenarios/idle-timeout.js";
import { loginTimeout } from "./scenarios/login-timeout.js";
import { peerReset } from "./scenarios/peer-reset.js";
import { serverClosed } from "./scenarios/server-closed.js";
import { serviceUnavailable } from "./scenarios/service-unavailable.js";
import { wrongService } from "./scenarios/wrong-service.js";
import type { Scenario } from "./types.js";

export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  [
    healthy,
    aclRejected,
    serviceUnavailable,
    authFailed,
    loginTimeout,
    idleTimeout,
    peerReset,
    serverClosed,
    wrongService,
  ].map((s) => [s.name, s]),
);
