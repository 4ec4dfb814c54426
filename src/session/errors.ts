/**
 * @module The library's errors: a stable `code`, the session's state when it failed, and — when
 * the session ended — the contract's `end` object with its diagnosis (cause, evidence, advice).
 * Messages are written for people; programs match `code` and `diagnosis.cause`.
 */
import { type ErrorCode, TeldocError } from "../errors.js";
import type { Diagnosis, EndEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";

/** Where a session was when an operation failed. */
export type SessionState = "connecting" | "connected" | "login" | "ready" | "closing" | "ended";

/** A snapshot of the session for an error: enough to explain it without a trace. */
export interface SessionSnapshot {
  readonly state: SessionState;
  readonly host: string;
  readonly port: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Milliseconds since the server last sent anything (undefined: nothing yet). */
  readonly sinceLastInMs?: number;
  /** How the session tells a prompt: a Telnet mark (GA, EOR) or the prompt pattern. */
  readonly promptBy: "GA" | "EOR" | "pattern";
}

/**
 * Every error the session API throws. `diagnosis` and `end` are set when the session ended
 * (connect failed, closed by the server, reset...): they say why, with evidence and advice.
 * @example
 * try { await s.exec("show version"); }
 * catch (e) { if (e instanceof SessionError) console.log(e.code, e.diagnosis?.cause); }
 */
export class SessionError extends TeldocError {
  /** The session's end (the contract's `end` object), when it had ended. */
  readonly end: EndEvent | undefined;
  readonly snapshot: SessionSnapshot | undefined;

  constructor(
    code: ErrorCode,
    message: string,
    details: { end?: EndEvent; snapshot?: SessionSnapshot; cause?: unknown } = {},
  ) {
    super(code, message + explainEnd(details.end), { cause: details.cause });
    this.name = "SessionError";
    this.end = details.end;
    this.snapshot = details.snapshot;
  }

  /** Why the session ended, when it did. */
  get diagnosis(): Diagnosis | undefined {
    return this.end?.diagnosis;
  }
}

/**
 * An expect, exec or login wait that failed: what it waited for, how long, and the last text
 * seen. When the session ended during the wait, `code` is TELDOC_ERR_SESSION_ENDED and
 * `diagnosis` says why.
 */
export class ExpectError extends SessionError {
  /** What was awaited (a regular expression's source, or the text). */
  readonly pattern: string;
  readonly waitedMs: number;
  /** The last text received (at most 300 characters), as received. */
  readonly tail: string;

  constructor(
    code: ErrorCode,
    what: string,
    details: {
      pattern: string;
      waitedMs: number;
      tail: string;
      snapshot: SessionSnapshot;
      end?: EndEvent;
      cause?: unknown;
    },
  ) {
    super(code, expectMessage(code, what, details), details);
    this.name = "ExpectError";
    this.pattern = details.pattern;
    this.waitedMs = details.waitedMs;
    this.tail = details.tail;
  }
}

function expectMessage(
  code: ErrorCode,
  what: string,
  d: { pattern: string; waitedMs: number; tail: string; snapshot: SessionSnapshot },
): string {
  const s = d.snapshot;
  const how =
    code === "TELDOC_ERR_SESSION_ENDED"
      ? `the session ended after ${formatMs(d.waitedMs)} of waiting`
      : code === "TELDOC_ERR_ABORTED"
        ? `aborted after ${formatMs(d.waitedMs)}`
        : `not seen within ${formatMs(d.waitedMs)}`;
  const last =
    s.sinceLastInMs === undefined
      ? "nothing received yet"
      : `${s.bytesIn} bytes received, the last ${formatMs(s.sinceLastInMs)} ago`;
  const tail = d.tail === "" ? "(no text)" : JSON.stringify(d.tail.slice(-160));
  return (
    `${what} ${d.pattern}: ${how} (session ${s.state} on ${s.host}:${s.port}, ${last}; ` +
    `prompts told by ${s.promptBy}). Last text seen: ${tail}`
  );
}

/** The end's diagnosis as a few readable lines to append to a message. */
function explainEnd(end: EndEvent | undefined): string {
  if (!end) return "";
  const d = end.diagnosis;
  const lines = [`\n  cause: ${d.cause} (${Math.round(d.confidence * 100)}%) — ${d.summary}`];
  for (const e of d.evidence.slice(0, 3)) lines.push(`  evidence: ${e}`);
  if (d.advice[0]) lines.push(`  advice: ${d.advice[0]}`);
  return lines.join("\n");
}

/** How a wait failed (the inbox's outcomes, and exec's output limit). */
export interface FailedWait {
  readonly why: "timeout" | "aborted" | "ended" | "output-limit";
  readonly waitedMs: number;
}

/** The error for a failed wait: its code from how it failed, `codes.timeout` for a timeout. */
export function waitError(
  outcome: FailedWait,
  codes: { readonly timeout: ErrorCode; readonly what: string },
  pattern: string,
  tail: string,
  snapshot: SessionSnapshot,
  end: EndEvent | undefined,
): ExpectError {
  const code: ErrorCode =
    outcome.why === "ended"
      ? "TELDOC_ERR_SESSION_ENDED"
      : outcome.why === "aborted"
        ? "TELDOC_ERR_ABORTED"
        : outcome.why === "output-limit"
          ? "TELDOC_ERR_OUTPUT_LIMIT"
          : codes.timeout;
  return new ExpectError(code, codes.what, {
    pattern,
    waitedMs: outcome.waitedMs,
    tail,
    snapshot,
    end,
  });
}
