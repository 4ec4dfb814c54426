/**
 * @module The monitor's plan: what the config (or `--target` flags) resolves to, with every
 * default filled in, so the scheduler, the store and the web side read one shape. The built-in
 * defaults live here, and only here.
 */
import type { AlertRule } from "./alerts.js";
import type { Level } from "./sample.js";

/** One target to probe, defaults merged. */
export interface PlanTarget {
  /** Unique in the plan; `host:port` (`[v6]:port`) when the config gives none. */
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly level: Level;
  /** Set exactly when the level is login. */
  readonly user?: string;
  /** The NAME of the environment variable holding the password (level login), never its value. */
  readonly passwordEnv?: string;
  readonly intervalMs: number;
  /** Always less than intervalMs. */
  readonly timeoutMs: number;
  /** TCP connects per round, 0-10. */
  readonly connects: number;
  /** `key:value` or plain words, in the config's order, without repeats. */
  readonly tags: readonly string[];
  /**
   * `hold:` keep one more session open and idle, up to this long, beside the rounds: when it
   * dies (an idle timeout on the server or a NAT/firewall on the path), that is recorded with
   * the time it lived; when it lasts, a keystroke checks it and a new one is opened.
   */
  readonly holdMs?: number;
}

/** Where the dashboard, /metrics and /probe listen. */
export interface ListenAddress {
  readonly host: string;
  readonly port: number;
}

/** The resolved config. */
export interface MonitorPlan {
  /** undefined: the host name, which the CLI decides. */
  readonly vantage: string | undefined;
  /** A storage URL (`sqlite:PATH`, `postgres://...`); undefined: the CLI's default. */
  readonly storage: string | undefined;
  readonly listen: ListenAddress;
  /** The NAME of the environment variable holding the dashboard's token. */
  readonly tokenEnv?: string;
  readonly targets: readonly PlanTarget[];
  readonly alerts: readonly AlertRule[];
}

/** What a target inherits when neither it nor the config's `defaults` says. */
export interface TargetDefaults {
  readonly intervalMs: number;
  readonly timeoutMs: number;
  readonly level: Level;
  readonly connects: number;
}

/** The built-in defaults (the contract's `defaults` line). */
export const BUILT_IN_DEFAULTS: TargetDefaults = {
  intervalMs: 60_000,
  timeoutMs: 10_000,
  level: "telnet",
  connects: 3,
};

/** The Telnet port. */
export const DEFAULT_PORT = 23;

/** The dashboard's address when the config names none: loopback only. */
export const DEFAULT_LISTEN: ListenAddress = { host: "127.0.0.1", port: 9323 };

/** An alert's `after` when the config leaves it out; `within` defaults to `after`. */
export const DEFAULT_ALERT_AFTER = 3;

/** The most rounds an alert may look back over (its window is kept per target). */
export const MAX_ALERT_WITHIN = 1000;

/** The shortest interval between two rounds of one target. */
export const MIN_INTERVAL_MS = 1000;

/** The shortest `hold:` (a held session shorter than this says nothing about idle timeouts). */
export const MIN_HOLD_MS = 10_000;

/** The most TCP connects in one round. */
export const MAX_CONNECTS = 10;

/** True for an address only this machine reaches. */
export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
