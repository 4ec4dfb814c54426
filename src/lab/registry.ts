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
import { SCENARIO_NAMES, type Scenario, type ScenarioName } from "./types.js";

/** Each scenario under its name: a missing or unknown name does not compile. */
const BY_NAME: Readonly<Record<ScenarioName, Scenario>> = {
  healthy,
  "acl-rejected": aclRejected,
  "service-unavailable": serviceUnavailable,
  "auth-failed": authFailed,
  "login-timeout": loginTimeout,
  "idle-timeout": idleTimeout,
  "peer-reset": peerReset,
  "server-closed": serverClosed,
  "wrong-service": wrongService,
};

/** Every scenario, by the name users type, in SCENARIO_NAMES order. */
export const SCENARIOS: Readonly<Record<string, Scenario>> = Object.fromEntries(
  SCENARIO_NAMES.map((name) => [name, BY_NAME[name]]),
);
