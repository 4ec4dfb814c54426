/**
 * @module When to try again, from the diagnosis: exponential backoff with jitter for causes a
 * later attempt can cure (the network, a busy server), never for those it cannot (wrong
 * credentials, an access rule, the wrong service, a name that does not exist). A pure function
 * of the cause, the attempt number and a random source, so it is tested without time.
 */
import type { Cause } from "../trace/events.js";

/** How to retry. Every field has a default. */
export interface ReconnectPolicy {
  /** Attempts after the first (default 5). */
  readonly retries?: number;
  /** Delay before the first retry, ms (default 500). */
  readonly initialDelayMs?: number;
  /** Largest delay, ms (default 30 000). */
  readonly maxDelayMs?: number;
  /** Growth per attempt (default 2). */
  readonly factor?: number;
  /** 0..1: how much of each delay is random ("full jitter" is 1; default 0.5). */
  readonly jitter?: number;
  /** Replace the causes retried (default RETRY_CAUSES). */
  readonly retryOn?: readonly Cause[];
  /** Told before each retry. */
  readonly onRetry?: (info: RetryInfo) => void;
}

export interface RetryInfo {
  /** 1 for the first retry. */
  readonly attempt: number;
  readonly delayMs: number;
  readonly cause: Cause;
  readonly error: unknown;
}

/** Causes a later attempt may cure: the path, a busy or restarting server. */
export const RETRY_CAUSES: readonly Cause[] = [
  "filtered",
  "unreachable",
  "refused",
  "network-failure",
  "middlebox-timeout",
  "peer-reset",
  "service-unavailable",
  "server-closed",
  "idle-timeout",
];

/** Causes a retry cannot cure; retrying would lock accounts or hammer a rule. */
export const NEVER_RETRY: Readonly<Partial<Record<Cause, string>>> = {
  "auth-failed": "the credentials were rejected: retrying could lock the account",
  "acl-rejected": "an access rule refuses this client: every retry will be refused too",
  "wrong-service": "the port speaks another protocol: fix the port, not the timing",
  "dns-failure": "the name did not resolve: fix the name or the resolver",
  "local-firewall": "this machine's own firewall blocks the connection",
  "login-timeout": "the login did not complete in time: check the prompts and credentials",
  logout: "the session ended in order",
  "local-close": "this side closed the session",
  healthy: "nothing failed",
};

export type RetryDecision =
  | { readonly retry: true; readonly delayMs: number; readonly why: string }
  | { readonly retry: false; readonly why: string };

/**
 * Decide whether attempt `attempt` (1 = the first retry) should happen after `cause`, and when.
 * @example retryDecision("filtered", 1, {}, () => 0.5) // { retry: true, delayMs: 375, why: ... }
 * @example retryDecision("auth-failed", 1, {}).retry // false
 */
export function retryDecision(
  cause: Cause,
  attempt: number,
  policy: ReconnectPolicy = {},
  random: () => number = Math.random,
): RetryDecision {
  const retries = policy.retries ?? 5;
  const never = NEVER_RETRY[cause];
  const allowed = policy.retryOn ?? RETRY_CAUSES;
  if (!allowed.includes(cause))
    return { retry: false, why: never ?? `${cause} is not a cause this policy retries` };
  if (attempt > retries) return { retry: false, why: `gave up after ${retries} retries` };
  const initial = policy.initialDelayMs ?? 500;
  const max = policy.maxDelayMs ?? 30_000;
  const factor = policy.factor ?? 2;
  const jitter = Math.min(1, Math.max(0, policy.jitter ?? 0.5));
  const base = Math.min(max, initial * factor ** (attempt - 1));
  const delayMs = Math.round(base * (1 - jitter) + base * jitter * random());
  return { retry: true, delayMs, why: `${cause} may clear: retry ${attempt} of ${retries}` };
}
