/**
 * @module The monitor's unit of record: a **sample** is one probe round of one target from one
 * vantage point (the contract's "monitor" section fixes its JSON). Samples are what the store
 * keeps, what `monitor export`/`import` write and read (one per line), and what the analysis
 * reads. `parseSampleLine` is the one decoder of outside samples: unknown fields are ignored,
 * a missing or malformed required field is an error naming the line and the field.
 */
import { z } from "zod";
import { TeldocError } from "../errors.js";
import { CAUSE_NAMES, type Cause } from "../trace/events.js";

/** How deep a probe goes: a TCP connect, the Telnet service up to its prompt, or a login. */
export const LEVELS = ["tcp", "telnet", "login"] as const;
export type Level = (typeof LEVELS)[number];

/** Where a failed round failed. */
export const STAGES = ["resolve", "connect", "telnet", "login", "session"] as const;
export type Stage = (typeof STAGES)[number];

/** Every cause of the contract, for validation (defined with the trace events). */
export { CAUSE_NAMES };

/** The N TCP connects of a round (SmokePing style): how many were sent, answered, and their RTTs. */
export interface Connects {
  readonly sent: number;
  readonly answered: number;
  /** One per answered connect, in ms. */
  readonly rttMs: readonly number[];
}

/** Stage timings of the Telnet part of a round, ms from the connect; null when not measured. */
export interface Timings {
  readonly firstByteMs: number | null;
  readonly promptMs: number | null;
  readonly loginMs: number | null;
}

/** One probe round of one target from one vantage point (the contract's sample). */
export interface Sample {
  /** When the round started, ISO 8601 UTC. */
  readonly t: string;
  readonly vantage: string;
  /** The target's name in the config. */
  readonly target: string;
  readonly host: string;
  readonly port: number;
  readonly level: Level;
  /** True for a healthy round (cause "healthy" then). */
  readonly ok: boolean;
  readonly cause: Cause;
  /** Where it failed; null for a healthy round. */
  readonly stage: Stage | null;
  readonly connects: Connects;
  readonly timings: Timings;
  readonly durationMs: number;
  readonly evidence: readonly string[];
  /**
   * True for a round the scheduler could not start in time (the previous one still ran): it is
   * recorded, not lost. A skipped round is not ok, has cause "unknown" and stage null. Not in
   * the contract's example; import accepts samples without it.
   */
  readonly skipped?: boolean;
}

const ms = z.number().finite().nonnegative();
const nullableMs = ms.nullable();

/** The schema of a sample from outside (import): unknown fields are dropped. */
export const sampleSchema = z.object({
  t: z.iso.datetime({ offset: true }),
  vantage: z.string().min(1),
  target: z.string().min(1),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  level: z.enum(LEVELS),
  ok: z.boolean(),
  cause: z.enum(CAUSE_NAMES),
  stage: z.enum(STAGES).nullable(),
  connects: z.object({
    sent: z.number().int().nonnegative(),
    answered: z.number().int().nonnegative(),
    rttMs: z.array(ms),
  }),
  timings: z.object({
    firstByteMs: nullableMs.default(null),
    promptMs: nullableMs.default(null),
    loginMs: nullableMs.default(null),
  }),
  durationMs: ms,
  evidence: z.array(z.string()),
  skipped: z.boolean().optional(),
});

/** A one-line description of the first problem zod found, with the field's path. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return "invalid sample";
  const path = issue.path.map(String).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/**
 * Decode one line of the contract's JSON Lines. Throws TELDOC_ERR_BAD_SAMPLE naming `where`
 * (e.g. "samples.jsonl:12") and the field.
 * @example parseSampleLine('{"t":"2026-11-30T14:00:00Z",...}', "stdin:1")
 */
export function parseSampleLine(line: string, where: string): Sample {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new TeldocError("TELDOC_ERR_BAD_SAMPLE", `${where}: not JSON (${(e as Error).message})`);
  }
  const r = sampleSchema.safeParse(value);
  if (!r.success)
    throw new TeldocError("TELDOC_ERR_BAD_SAMPLE", `${where}: ${firstIssue(r.error)}`);
  const s = r.data;
  if (s.connects.answered > s.connects.sent)
    throw new TeldocError(
      "TELDOC_ERR_BAD_SAMPLE",
      `${where}: connects.answered (${s.connects.answered}) is more than connects.sent (${s.connects.sent})`,
    );
  if (s.ok !== (s.cause === "healthy"))
    throw new TeldocError(
      "TELDOC_ERR_BAD_SAMPLE",
      `${where}: ok is ${s.ok} but cause is "${s.cause}" (a healthy round has cause "healthy")`,
    );
  const { skipped, ...rest } = s;
  return { ...rest, t: new Date(s.t).toISOString(), ...(skipped ? { skipped } : {}) };
}

/** The sample's start as epoch ms. */
export function sampleTime(s: Pick<Sample, "t">): number {
  return Date.parse(s.t);
}
