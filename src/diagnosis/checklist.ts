/**
 * @module The checklist's results as facts for the diagnosis: each check's id, status, data and
 * the finding it made. The checks (checks/) produce them; the verdict and the administrator's
 * note (diagnosis/verdict.ts, diagnosis/admin-note.ts) are pure rules over them.
 */
import type { Candidate } from "./types.js";

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
