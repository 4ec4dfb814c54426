/**
 * @module The shapes server-check's readers and rules share: a place in a file, a problem a
 * reader found, a check as `server-check --json` writes it, and the report.
 */
import type { Cause } from "../../trace/events.js";

/** A line of a file, as the report names it (the path as it is on the server, not under --root). */
export interface Where {
  readonly file: string;
  /** 1-based; absent when the file as a whole decides (it exists, it is missing). */
  readonly line?: number;
}

/** Bad input a reader met and skipped: where, and what is wrong with it. */
export interface Problem extends Where {
  readonly message: string;
}

/** What a reader returns: its facts and the lines it could not use. */
export interface Parsed<T> {
  readonly value: T;
  readonly problems: readonly Problem[];
}

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

/** The checks, in the order they are reported. */
export const SERVER_CHECK_IDS = [
  "listening",
  "service",
  "access",
  "firewall",
  "login-timeout",
  "login-retries",
  "fail-delay",
  "idle-timeout",
  "nologin",
  "securetty",
  "limits",
  "unreadable",
  "config",
] as const;
export type ServerCheckId = (typeof SERVER_CHECK_IDS)[number];

/** One finding: `{id, status, summary, data, file?, line?}`, with the cause a client would see. */
export interface ServerCheck {
  readonly id: ServerCheckId;
  readonly status: CheckStatus;
  /** One line for people. */
  readonly summary: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The file and line that decide it (the path on the server). */
  readonly file?: string;
  readonly line?: number;
  /** The cause a client would see because of this finding. */
  readonly cause?: Cause;
  /** What to change, when something should be. */
  readonly advice?: readonly string[];
}

/** The whole report: `server-check --json` writes it as one object. */
export interface ServerCheckReport {
  readonly host: string;
  readonly port: number;
  /** Where the configuration was read: "/" or the --root directory. */
  readonly root: string;
  readonly client?: string;
  /** With a client: may it reach the Telnet service (tcp wrappers, xinetd, firewall)? */
  readonly allowed?: boolean;
  /** With a client: the cause it would see, or `healthy` when it may log in. */
  readonly cause?: Cause;
  readonly checks: readonly ServerCheck[];
}

/** A check that could not run, with the reason. */
export function skippedCheck(id: ServerCheckId, why: string): ServerCheck {
  return { id, status: "skip", summary: why, data: {} };
}
