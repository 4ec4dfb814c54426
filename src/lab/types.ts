/** @module The lab's scenario signature: one file per scenario, a registry map (registry.ts). */

import type { ServerSession } from "../session/server-session.js";
import type { Cause } from "../trace/events.js";

/**
 * The scenarios, in the order `teldoc lab --help` and `--list` show them. The registry
 * (registry.ts) has one entry for each; this list is what the CLI's help reads without loading
 * any scenario.
 */
export const SCENARIO_NAMES = [
  "healthy",
  "acl-rejected",
  "service-unavailable",
  "auth-failed",
  "login-timeout",
  "idle-timeout",
  "peer-reset",
  "server-closed",
  "wrong-service",
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** Every knob of every scenario, with defaults in one place (config.ts). */
export interface LabConfig {
  readonly user: string;
  readonly password: string;
  /** Failed logins allowed before the server gives up. */
  readonly tries: number;
  readonly loginTimeoutMs: number;
  readonly idleTimeoutMs: number;
  /** Message printed by scenarios that print one ("" for silent variants). */
  readonly message: string | undefined;
  /** Variant within a scenario (busy|limit|maintenance|shutdown, ssh|http, message|silent...). */
  readonly variant: string | undefined;
  /** Concurrent sessions served before `service-unavailable`'s limit variant refuses. */
  readonly limit: number;
  readonly banner: string;
  /** Printed after a login, before the first shell prompt ("" for none). */
  readonly motd: string;
  readonly hostname: string;
  /** How long peer-reset and server-closed serve before ending the session. */
  readonly afterMs: number;
}

/** What a scenario does with each connection. `active` counts sessions open now (this one too). */
export type ScenarioHandler = (
  session: ServerSession,
  config: LabConfig,
  ctx: { active: number; log: (what: string) => void },
) => void;

export interface Scenario {
  readonly name: ScenarioName;
  /** The cause teldoc should diagnose for a session against this scenario. */
  readonly cause: Cause;
  readonly summary: string;
  /** The variants and what they change. */
  readonly variants?: Readonly<Record<string, string>>;
  /** False for scenarios that must not negotiate (wrong-service speaks another protocol). */
  readonly telnet?: boolean;
  readonly handle: ScenarioHandler;
}
