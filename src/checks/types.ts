/**
 * @module The checklist's types: what every check returns, what it may conclude, and the
 * options and context they share. A check is one file with one signature (`Check`).
 */
import type { Candidate } from "../diagnosis/index.js";
import type { Clock } from "../session/clock.js";
import type { Diagnosis, Target } from "../trace/events.js";

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** The checks, in the order the checklist prints them. */
export const CHECK_IDS = [
  "dns",
  "route",
  "tcp",
  "telnet",
  "ssh",
  "login",
  "idle",
  "limits",
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

/** One check's result, as `diagnose --json` writes it (plus the finding, for the verdict). */
export interface CheckResult {
  readonly id: CheckId;
  readonly status: CheckStatus;
  /** One line for people. */
  readonly summary: string;
  readonly durationMs: number;
  readonly data: Readonly<Record<string, unknown>>;
  /**
   * What this check concluded about the cause, when it found a problem (a cause of the
   * contract's table, with its evidence and advice). Not written to JSON; the verdict uses it.
   */
  readonly finding?: Candidate;
  /** Advice this check adds to a verdict (e.g. "SSH answers on port 22"; verdict.ts says which). */
  readonly advice?: readonly string[];
}

/** What `teldoc diagnose` was asked to do. */
export interface DiagnoseOptions {
  readonly host: string;
  readonly port: number;
  readonly connectTimeoutMs: number;
  readonly sshPort: number;
  readonly user?: string;
  /** The password's value (never printed or recorded unmasked). */
  readonly password?: string;
  /** `--idle-test MAX`: hold a session idle up to this long. */
  readonly idleTestMs?: number;
  /** `--concurrency N`: open up to N sessions at once. */
  readonly concurrency?: number;
  /** Ask these DNS servers (`ADDR` or `ADDR:PORT`) instead of the system's resolver. */
  readonly resolvers?: readonly string[];
  /** System tools used by the route check (tests may narrow them). */
  readonly tools?: ToolPolicy;
  readonly signal?: AbortSignal;
  /**
   * Where every timer and duration of the checks (and of the sessions they open) comes from
   * (default: the system's clock). Tests give a manual clock to run the waits in milliseconds.
   */
  readonly clock?: Clock;
  /** Progress for people: a check started, a running check's news, a check finished. */
  readonly onProgress?: (event: ProgressEvent) => void;
}

export interface ToolPolicy {
  /** Run ICMP ping (default true). */
  readonly ping?: boolean;
  /** Path tools to try, in order (default mtr when root, tracepath, traceroute, mtr). */
  readonly path?: readonly ("mtr" | "tracepath" | "traceroute")[];
  /** How long a path tool may run (default 6 s; what it printed by then is kept). */
  readonly pathTimeoutMs?: number;
}

export type ProgressEvent =
  | { readonly kind: "start"; readonly id: CheckId }
  | { readonly kind: "news"; readonly id: CheckId; readonly text: string }
  | { readonly kind: "done"; readonly result: CheckResult };

/** The whole report: `diagnose --json` writes it as one object. */
export interface DiagnoseReport {
  readonly target: Target;
  /** ISO time the checklist started. */
  readonly startedAt: string;
  readonly durationMs: number;
  /** The address this machine used to reach the target, when a connection was made. */
  readonly localAddress?: string;
  readonly checks: readonly CheckResult[];
  readonly verdict: Diagnosis;
  /**
   * A ready-to-send note for the server's administrator; null when the verdict is not theirs
   * to fix (healthy, dns-failure, local-firewall, a path problem...: see admin-note.ts).
   */
  readonly adminNote: string | null;
}

/** A skipped check, with the reason. */
export function skipped(id: CheckId, why: string): CheckResult {
  return { id, status: "skip", summary: why, durationMs: 0, data: {} };
}
