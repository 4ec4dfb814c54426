/**
 * @module Alerts, decided: flap damping as a pure state machine per (rule, target), and the
 * message an alert sends. Fed one round at a time, a rule fires `failing` when at least `after`
 * of the last `within` rounds failed and it was not firing yet, and `recovered` once the target
 * has had `after` healthy rounds in a row; then its window starts afresh, so a flapping target
 * gives few notices. A skipped round (the scheduler could not start it) counts neither way.
 * Delivery is alert-send.ts.
 */
import { describeCause } from "../diagnosis/causes.js";
import { diagnoseCommand, hostPort } from "../diagnosis/format.js";
import type { Cause } from "../trace/events.js";
import { formatUtc } from "../util/duration.js";
import type { Sample, Stage } from "./sample.js";

/** How many failed rounds of how many trigger an alert. */
export interface Damping {
  /** Failed rounds needed (and healthy rounds in a row to recover); at least 1. */
  readonly after: number;
  /** Out of this many most recent rounds; at least `after`. */
  readonly within: number;
}

/** An alert of the config: where notices go, and when. */
export type AlertRule =
  | (Damping & { readonly kind: "webhook"; readonly url: string })
  | (Damping & { readonly kind: "command"; readonly argv: readonly string[] });

/** One (rule, target)'s memory: the recent rounds and whether it fires. */
export interface DampState {
  /** The last `within` counted rounds, oldest first. */
  readonly window: readonly { readonly failed: boolean; readonly t: string }[];
  /** When the current alert started (the oldest failed round of its window); set while firing. */
  readonly firingSince?: string;
  /** Healthy rounds in a row while firing, and when the first of them was. */
  readonly healthyRun: number;
  readonly healthySince?: string;
  /** The cause of the last failed round. */
  readonly lastCause?: Cause;
}

export const INITIAL_DAMP: DampState = { window: [], healthyRun: 0 };

/** What one round changed: a notice to send, if any. */
export interface DampStep {
  readonly state: DampState;
  readonly notice?: {
    readonly kind: "failing" | "recovered";
    readonly since: string;
    readonly failed: number;
    readonly of: number;
  };
}

/** A round as damping sees it. */
export interface DampRound {
  readonly t: string;
  readonly ok: boolean;
  readonly skipped?: boolean;
  readonly cause: Cause;
}

const failures = (w: DampState["window"]) => w.reduce((n, r) => n + (r.failed ? 1 : 0), 0);

/**
 * One round through the damping of one (rule, target). Pure.
 * @example stepDamp({ after: 1, within: 1 }, INITIAL_DAMP, { t, ok: false, cause: "refused" }).notice?.kind // "failing"
 */
export function stepDamp(rule: Damping, state: DampState, round: DampRound): DampStep {
  if (round.skipped) return { state };
  const failed = !round.ok;
  const window = [...state.window, { failed, t: round.t }].slice(-rule.within);
  const lastCause = failed ? round.cause : state.lastCause;
  const firing = state.firingSince !== undefined;
  if (failed) {
    const next: DampState = { ...state, window, lastCause, healthyRun: 0, healthySince: undefined };
    const n = failures(window);
    if (firing || n < rule.after) return { state: next };
    const since = window.find((r) => r.failed)?.t ?? round.t;
    return {
      state: { ...next, firingSince: since },
      notice: { kind: "failing", since, failed: n, of: window.length },
    };
  }
  if (!firing) return { state: { ...state, window } };
  const healthyRun = state.healthyRun + 1;
  const healthySince = state.healthySince ?? round.t;
  if (healthyRun < rule.after) return { state: { ...state, window, healthyRun, healthySince } };
  return {
    state: { window: [], healthyRun: 0, lastCause },
    notice: { kind: "recovered", since: healthySince, failed: failures(window), of: window.length },
  };
}

/** The message a notice sends (webhook body, command stdin), the same for every rule. */
export interface AlertMessage {
  readonly kind: "failing" | "recovered";
  readonly target: string;
  readonly host: string;
  readonly port: number;
  readonly vantage: string;
  /** The last failed round's cause (failing); "healthy" when recovered. */
  readonly cause: Cause;
  readonly stage: Stage | null;
  /** ISO: when the failures began (failing), when the target became healthy (recovered). */
  readonly since: string;
  readonly rounds: { readonly failed: number; readonly of: number };
  readonly summary: string;
  readonly advice: readonly string[];
  readonly evidence: readonly string[];
  /** ISO: the round that sent it. */
  readonly t: string;
}

/** A round fed to the alerts: the sample, and the diagnosis' advice when the probe has it. */
export type AlertRound = Pick<
  Sample,
  "t" | "vantage" | "target" | "host" | "port" | "ok" | "cause" | "stage" | "evidence" | "skipped"
> & { readonly advice?: readonly string[] };

/** A notice due for one rule. */
export interface AlertNotice {
  readonly rule: AlertRule;
  readonly message: AlertMessage;
}

/** Each secret value in `text` replaced by `****`. */
function mask(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s !== "") out = out.split(s).join("****");
  return out;
}

/**
 * The message of a notice. Advice is the probe's diagnosis' advice when the round carries it
 * (the one source of advice), else the `teldoc diagnose` command that finds it.
 */
export function alertMessage(
  round: AlertRound,
  notice: NonNullable<DampStep["notice"]>,
  state: DampState,
  firingSince?: string,
): AlertMessage {
  const who = `${round.target} (${hostPort(round.host, round.port)})`;
  const base = {
    kind: notice.kind,
    target: round.target,
    host: round.host,
    port: round.port,
    vantage: round.vantage,
    since: notice.since,
    rounds: { failed: notice.failed, of: notice.of },
    t: round.t,
  };
  if (notice.kind === "recovered") {
    const was = state.lastCause ? `: ${describeCause(state.lastCause)}` : "";
    return {
      ...base,
      cause: "healthy",
      stage: null,
      summary: `${who} is healthy again from ${round.vantage} since ${formatUtc(notice.since)}, after failing since ${formatUtc(firingSince ?? notice.since)}${was}.`,
      advice: [],
      evidence: [`healthy rounds in a row since ${formatUtc(notice.since)}`],
    };
  }
  const at = round.stage ? ` at the ${round.stage} stage` : "";
  return {
    ...base,
    cause: round.cause,
    stage: round.stage,
    summary: `${who} is failing from ${round.vantage}: ${describeCause(round.cause)}${at}; ${notice.failed} of the last ${notice.of} rounds failed since ${formatUtc(notice.since)}.`,
    advice:
      round.advice && round.advice.length > 0
        ? round.advice
        : [
            `${diagnoseCommand({ host: round.host, port: round.port })} runs the full checklist and says what to do.`,
          ],
    evidence: round.evidence,
  };
}

/**
 * The alerts of a plan, over all its targets: feed it every round, send what it returns.
 * Pure apart from its own memory; time is the rounds' `t`.
 * @example
 * const alerts = new AlertTracker(plan.alerts);
 * for (const n of alerts.feed(sample)) sender.enqueue(n.rule, n.message);
 */
export class AlertTracker {
  readonly #rules: readonly AlertRule[];
  readonly #secrets: readonly string[];
  readonly #states = new Map<string, DampState>();

  /** `secrets`: values (passwords) that must never leave in a message, masked if seen. */
  constructor(rules: readonly AlertRule[], options: { secrets?: readonly string[] } = {}) {
    this.#rules = rules;
    this.#secrets = options.secrets ?? [];
  }

  /** One round of one target; the notices it makes due, at most one per rule. */
  feed(round: AlertRound): AlertNotice[] {
    const out: AlertNotice[] = [];
    this.#rules.forEach((rule, i) => {
      const key = `${i}\u0000${round.target}`;
      const before = this.#states.get(key) ?? INITIAL_DAMP;
      const step = stepDamp(rule, before, round);
      if (step.state.window.length === 0 && step.state.firingSince === undefined && !step.notice)
        this.#states.delete(key);
      else this.#states.set(key, step.state);
      if (step.notice) {
        const message = alertMessage(round, step.notice, step.state, before.firingSince);
        out.push({ rule, message: this.#masked(message) });
      }
    });
    return out;
  }

  /** Targets whose alert fires now, per rule index. */
  firing(): { rule: number; target: string; since: string }[] {
    return [...this.#states].flatMap(([key, s]) => {
      if (s.firingSince === undefined) return [];
      const [rule, target] = key.split("\u0000");
      return [{ rule: Number(rule), target, since: s.firingSince }];
    });
  }

  /** Drop the memory of targets no longer in the plan (after a reload). */
  retain(keep: (target: string) => boolean): void {
    for (const key of [...this.#states.keys()])
      if (!keep(key.slice(key.indexOf("\u0000") + 1))) this.#states.delete(key);
  }

  #masked(m: AlertMessage): AlertMessage {
    if (this.#secrets.length === 0) return m;
    const f = (s: string) => mask(s, this.#secrets);
    return { ...m, summary: f(m.summary), advice: m.advice.map(f), evidence: m.evidence.map(f) };
  }
}
