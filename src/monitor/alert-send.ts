/**
 * @module Alerts, delivered: a webhook is an HTTP POST of the message as JSON (a timeout, one
 * retry when a retry can help); a command is run with execFile, NO shell, the message on its
 * stdin and TELDOC_ALERT_KIND, TELDOC_TARGET, TELDOC_CAUSE in its environment. A failure is a
 * value (`DeliveryResult`), never thrown. `AlertSender` queues notices so probing never waits
 * for them: the queue is bounded, and when it is full the oldest notice is dropped and counted.
 */
import { execFile } from "node:child_process";
import { type Clock, sleep, systemClock } from "../session/clock.js";
import type { AlertMessage, AlertRule } from "./alerts.js";
import { maskWebhook } from "./config-describe.js";

/** Why a delivery failed, as a stable word to match on (the `error` text is for people). */
export type DeliveryFailure = "timeout" | "status" | "network" | "exit" | "signal" | "spawn";

/** What became of one notice. */
export interface DeliveryResult {
  readonly ok: boolean;
  readonly kind: AlertRule["kind"];
  /** The destination as it may be logged: a webhook's origin, a command's program. */
  readonly to: string;
  readonly target: string;
  readonly notice: AlertMessage["kind"];
  readonly attempts: number;
  readonly durationMs: number;
  readonly failure?: DeliveryFailure;
  /** Why it failed, in words, for the log. */
  readonly error?: string;
}

export interface SendOptions {
  /** Time for timeouts and the retry's pause (default: the system clock). */
  readonly clock?: Clock;
  /** One webhook attempt's limit (default 5 s). */
  readonly webhookTimeoutMs?: number;
  /** The pause before a webhook's one retry (default 1 s). */
  readonly retryDelayMs?: number;
  /** A command's limit; it is killed then (default 10 s). */
  readonly commandTimeoutMs?: number;
  /**
   * The environment a command starts from (the CLI passes process.env; the monitor reads none).
   * The TELDOC_* variables are added to it.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

export const WEBHOOK_TIMEOUT_MS = 5000;
export const RETRY_DELAY_MS = 1000;
export const COMMAND_TIMEOUT_MS = 10_000;
/** The most of a command's stdout or stderr kept (more is cut, and the command killed). */
const COMMAND_OUTPUT_MAX = 64 * 1024;

type Attempt =
  | { ok: true }
  | { ok: false; failure: DeliveryFailure; error: string; retry: boolean };

/** The words for a fetch error: its cause's code (ECONNREFUSED...) when there is one. */
function networkWords(e: unknown): string {
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (e as Error).message;
}

async function postOnce(url: string, body: string, ms: number, clock: Clock): Promise<Attempt> {
  const abort = new AbortController();
  let timedOut = false;
  const timer = clock.after(ms, () => {
    timedOut = true;
    abort.abort();
  });
  try {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", "user-agent": "teldoc-monitor" },
      body,
      signal: abort.signal,
      redirect: "manual",
    });
    await res.body?.cancel().catch(() => undefined);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const retry = res.status >= 500 || res.status === 429;
    return { ok: false, failure: "status", error: `answered HTTP ${res.status}`, retry };
  } catch (e) {
    if (timedOut)
      return { ok: false, failure: "timeout", error: `no answer within ${ms} ms`, retry: true };
    return { ok: false, failure: "network", error: networkWords(e), retry: true };
  } finally {
    timer.cancel();
  }
}

/**
 * POST the message; one retry after a pause when it timed out, the network failed, or the
 * server answered 5xx or 429 (another 4xx will not get better).
 * @example const r = await sendWebhook("https://hooks.example/x", message); r.ok
 */
export async function sendWebhook(
  url: string,
  message: AlertMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const body = JSON.stringify(message);
  const ms = options.webhookTimeoutMs ?? WEBHOOK_TIMEOUT_MS;
  let attempts = 1;
  let r = await postOnce(url, body, ms, clock);
  if (!r.ok && r.retry) {
    await sleep(clock, options.retryDelayMs ?? RETRY_DELAY_MS);
    attempts = 2;
    r = await postOnce(url, body, ms, clock);
  }
  return result("webhook", maskWebhook(url), message, attempts, clock.now() - started, r);
}

function result(
  kind: AlertRule["kind"],
  to: string,
  message: AlertMessage,
  attempts: number,
  durationMs: number,
  r: Attempt,
): DeliveryResult {
  const base = { kind, to, target: message.target, notice: message.kind, attempts, durationMs };
  return r.ok ? { ...base, ok: true } : { ...base, ok: false, failure: r.failure, error: r.error };
}

/** How a finished command went, from execFile's error. */
function commandOutcome(err: unknown, stderr: string): Attempt {
  if (!err) return { ok: true };
  const e = err as NodeJS.ErrnoException & { code?: string | number; signal?: string | null };
  const said = stderr.trim().split("\n")[0]?.slice(0, 200);
  const tail = said ? `: ${said}` : "";
  if (typeof e.code === "number")
    return { ok: false, failure: "exit", error: `exited with ${e.code}${tail}`, retry: false };
  if (e.signal)
    return { ok: false, failure: "signal", error: `killed by ${e.signal}${tail}`, retry: false };
  const why = e.code === "ENOENT" ? "not found" : e.code === "EACCES" ? "not executable" : e.code;
  return {
    ok: false,
    failure: "spawn",
    error: `could not start: ${why ?? e.message}`,
    retry: false,
  };
}

/**
 * Run the command with the message on stdin; no shell: `argv[0]` is the program, the rest its
 * arguments, exactly. Killed at the timeout.
 * @example await runCommand(["/usr/local/bin/page", "--team", "net"], message, { env: process.env })
 */
export function runCommand(
  argv: readonly string[],
  message: AlertMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const clock = options.clock ?? systemClock;
  const started = clock.now();
  const ms = options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS;
  const env = {
    ...options.env,
    TELDOC_ALERT_KIND: message.kind,
    TELDOC_TARGET: message.target,
    TELDOC_CAUSE: message.cause,
  };
  return new Promise((resolve) => {
    let settled = false;
    let kill = () => {};
    const finish = (r: Attempt) => {
      if (settled) return;
      settled = true;
      timer.cancel();
      resolve(result("command", argv[0], message, 1, clock.now() - started, r));
    };
    const timer = clock.after(ms, () => {
      kill();
      finish({
        ok: false,
        failure: "timeout",
        error: `still running after ${ms} ms: killed`,
        retry: false,
      });
    });
    try {
      const child = execFile(
        argv[0],
        argv.slice(1),
        { env, maxBuffer: COMMAND_OUTPUT_MAX, shell: false, windowsHide: true },
        (err, _stdout, stderr) => finish(commandOutcome(err, String(stderr))),
      );
      kill = () => child.kill("SIGKILL");
      child.stdin?.on("error", () => undefined);
      child.stdin?.end(JSON.stringify(message));
    } catch (e) {
      finish({
        ok: false,
        failure: "spawn",
        error: `could not start: ${(e as Error).message}`,
        retry: false,
      });
    }
  });
}

/** One sender per kind of rule (a map, not a switch). */
const SENDERS: {
  readonly [K in AlertRule["kind"]]: (
    rule: Extract<AlertRule, { kind: K }>,
    message: AlertMessage,
    options: SendOptions,
  ) => Promise<DeliveryResult>;
} = {
  webhook: (rule, message, options) => sendWebhook(rule.url, message, options),
  command: (rule, message, options) => runCommand(rule.argv, message, options),
};

/** Deliver one notice as its rule says. Never rejects. */
export function deliver(
  rule: AlertRule,
  message: AlertMessage,
  options: SendOptions = {},
): Promise<DeliveryResult> {
  const send = SENDERS[rule.kind] as (
    r: AlertRule,
    m: AlertMessage,
    o: SendOptions,
  ) => Promise<DeliveryResult>;
  return send(rule, message, options).catch((e: unknown) => ({
    ok: false,
    kind: rule.kind,
    to: rule.kind === "webhook" ? maskWebhook(rule.url) : rule.argv[0],
    target: message.target,
    notice: message.kind,
    attempts: 1,
    durationMs: 0,
    failure: "network" as const,
    error: (e as Error).message,
  }));
}
