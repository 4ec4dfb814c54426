/**
 * @module The checklist's options and progress events, and the report `diagnose --json` writes.
 * The results' types (CheckResult, CHECK_IDS) live with the rules over them in
 * diagnosis/checklist.ts and are re-exported here; a check's signature is `Check` (registry.ts).
 */
import type { Clock } from "../session/clock.js";
import type { Diagnosis, Target } from "../trace/events.js";

export {
  CHECK_IDS,
  type CheckId,
  type CheckResult,
  type CheckStatus,
} from "../diagnosis/checklist.js";

import type { CheckId, CheckResult } from "../diagnosis/checklist.js";

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
