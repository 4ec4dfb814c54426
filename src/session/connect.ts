/**
 * @module `connect()`: open a TelnetSession, retrying per the reconnect policy when the
 * diagnosis says a retry can help; and `withReconnect()`, which reruns a whole task (connect,
 * login, commands) the same way when the session dies under it.
 */
import type { Cause } from "../trace/events.js";
import { TelnetSession } from "./api.js";
import { type Clock, sleep, systemClock } from "./clock.js";
import { SessionError } from "./errors.js";
import type { ConnectOptions } from "./options.js";
import { type ReconnectPolicy, retryDecision } from "./reconnect.js";

/**
 * Open a Telnet session. Throws a SessionError (TELDOC_ERR_CONNECT_FAILED, with `diagnosis`)
 * when it cannot; with `reconnect`, retries first when the cause is one a retry can cure.
 * @example
 * const s = await connect({ host: "192.0.2.7", connectTimeout: "5s", reconnect: { retries: 3 } });
 */
export async function connect(options: ConnectOptions): Promise<TelnetSession> {
  if (options?.signal?.aborted)
    throw new SessionError("TELDOC_ERR_ABORTED", "connect() was aborted before it started");
  const policy = reconnectPolicy(options.reconnect);
  if (!policy) return new TelnetSession(options).open();
  return retrying(policy, options, () => new TelnetSession(options).open());
}

/**
 * Run `task` on a fresh session; when it fails because the session ended (or could not open)
 * with a cause the policy retries, wait and run it again on a new session. The session is
 * closed after each attempt.
 * @example
 * const out = await withReconnect({ host: "r1" }, async (s) => {
 *   await s.login({ user, password });
 *   return s.exec("show version");
 * }, { retries: 3 });
 */
export function withReconnect<T>(
  options: ConnectOptions,
  task: (session: TelnetSession) => Promise<T>,
  policy: ReconnectPolicy = {},
): Promise<T> {
  const once = { ...options, reconnect: undefined };
  return retrying(policy, options, async () => {
    const s = await connect(once);
    try {
      return await task(s);
    } finally {
      await s.close();
    }
  });
}

function reconnectPolicy(r: ConnectOptions["reconnect"]): ReconnectPolicy | undefined {
  if (r === undefined || r === false) return undefined;
  return r === true ? {} : r;
}

/** The cause an error carries, when it carries one. */
function causeOf(err: unknown): Cause | undefined {
  return err instanceof SessionError ? err.diagnosis?.cause : undefined;
}

/** Run `attemptOnce` until it succeeds or the policy says stop, pausing between attempts. */
async function retrying<T>(
  policy: ReconnectPolicy,
  options: { readonly signal?: AbortSignal; readonly clock?: Clock },
  attemptOnce: () => Promise<T>,
): Promise<T> {
  const { signal } = options;
  for (let attempt = 1; ; attempt++) {
    try {
      return await attemptOnce();
    } catch (err) {
      const cause = causeOf(err);
      if (cause === undefined || signal?.aborted) throw err;
      const d = retryDecision(cause, attempt, policy);
      if (!d.retry) throw err;
      policy.onRetry?.({ attempt, delayMs: d.delayMs, cause, error: err });
      // No socket is open during the pause: sleep() keeps the process alive until the next try.
      await sleep(options.clock ?? systemClock, d.delayMs, signal);
      if (signal?.aborted) throw err;
    }
  }
}
