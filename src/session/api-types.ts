/** @module The library's per-call options and results, and the events a TelnetSession emits. */
import type { TeldocError } from "../errors.js";
import type { EndEvent, TraceEvent } from "../trace/events.js";
import type { LoginPrompts } from "./login-dialogue.js";
import type { Duration } from "./options.js";

/** Per-call options of exec, expect and login. */
export interface WaitOptions {
  /** Overrides the session's default for this call. */
  readonly timeout?: Duration;
  readonly signal?: AbortSignal;
}

export interface ExecOptions extends WaitOptions {
  /** The prompt for this command (e.g. after `configure terminal`). */
  readonly prompt?: RegExp | string;
}

export interface LoginOptions extends WaitOptions {
  readonly user?: string;
  readonly password?: string;
  readonly prompts?: LoginPrompts;
}

/** What expect() found. */
export interface ExpectMatch {
  /** The matched text. */
  readonly match: string;
  /** Capture groups (undefined for a group that did not take part). */
  readonly groups: readonly (string | undefined)[];
  /** The text received before the match, since the last match. */
  readonly before: string;
}

export interface LoginResult {
  /** The shell or device prompt that ended the login. */
  readonly prompt: string;
  readonly sentUser: boolean;
  readonly sentPassword: boolean;
}

/** The events a TelnetSession emits, and their arguments. */
export interface SessionEvents {
  data: [Buffer];
  event: [TraceEvent];
  end: [EndEvent];
  /**
   * Something went wrong beside the session, which goes on: the trace file could not be
   * written (code TELDOC_ERR_TRACE_WRITE). Without a listener it becomes a process warning.
   */
  warning: [TeldocError];
}
