/**
 * @module The shapes `teldoc logs` works with: a log line taken out of its envelope (a
 * `LogRecord`), the typed event a family parser makes of its message (`LogEvent`), and a
 * server-side session with its cause and evidence (`ServerSession`, the contract's JSON).
 */
import type { Cause } from "../../trace/events.js";

/** Where a line came from, as the contract's evidence: `{file, line, text}`. */
export interface Evidence {
  readonly file: string;
  /** 1-based line number in the (decompressed) file; for the journal, the entry's index. */
  readonly line: number;
  readonly text: string;
}

/** A line out of its envelope (syslog, RFC 5424, journal JSON, xinetd's own file format). */
export interface LogRecord {
  /** Milliseconds since the epoch (UTC); timestamps without a zone are read as local time. */
  readonly time: number;
  /** The sending program as syslog names it: `xinetd`, `in.telnetd`, `login`, `sshd`. */
  readonly program: string;
  readonly pid: number | undefined;
  /** The message after `prog[pid]: `. */
  readonly message: string;
  /** The host that logged it, when the envelope names one. */
  readonly host?: string;
}

/** A record with where it came from. */
export interface SourcedRecord extends LogRecord {
  readonly at: Evidence;
}

/** What an envelope parser makes of one line: a record, or undefined when it is not its format. */
export type EnvelopeParser = (line: string, ctx: EnvelopeContext) => LogRecord | undefined;

/** What an envelope parser may need besides the line. */
export interface EnvelopeContext {
  /** For formats without a year: the year a month/day belongs to (see year.ts). */
  readonly yearFor: (month: number, day: number) => number;
}

/** Why xinetd refused a connection (`FAIL: svc REASON from=ADDR`). */
export type XinetdFailReason = string;

/** Every event a family parser reports; `kind` names it. */
export type LogEvent =
  | {
      readonly kind: "xinetd-start";
      readonly service: string;
      readonly pid: number;
      readonly from: string | undefined;
    }
  | {
      readonly kind: "xinetd-exit";
      readonly service: string;
      readonly pid: number;
      readonly status: number | undefined;
      readonly signal: number | undefined;
      readonly durationS: number | undefined;
    }
  | {
      readonly kind: "xinetd-fail";
      readonly service: string;
      readonly reason: XinetdFailReason;
      readonly from: string | undefined;
    }
  | { readonly kind: "tcpd-refused"; readonly from: string }
  | { readonly kind: "tcpd-connect"; readonly from: string }
  | { readonly kind: "inetd-connection"; readonly service: string; readonly from: string }
  | {
      readonly kind: "inetd-rate-limit";
      readonly service: string;
      readonly from: string | undefined;
      readonly detail: string;
    }
  | { readonly kind: "telnetd-peer-died"; readonly detail: string }
  | { readonly kind: "telnetd-read-error"; readonly error: string }
  | { readonly kind: "telnetd-child-exit"; readonly child: number; readonly status: number }
  | { readonly kind: "telnetd-other"; readonly detail: string }
  | {
      readonly kind: "login-failed";
      readonly count: number | undefined;
      readonly tty: string | undefined;
      readonly from: string | undefined;
      readonly user: string | undefined;
      readonly reason: string | undefined;
    }
  | {
      readonly kind: "login-too-many";
      readonly count: number | undefined;
      readonly tty: string | undefined;
      readonly from: string | undefined;
      readonly user: string | undefined;
    }
  | { readonly kind: "login-timeout"; readonly seconds: number | undefined }
  | {
      readonly kind: "login-root-refused";
      readonly tty: string | undefined;
      readonly from: string | undefined;
    }
  | {
      readonly kind: "login-ok";
      readonly tty: string | undefined;
      readonly user: string | undefined;
      readonly from: string | undefined;
    }
  | {
      readonly kind: "pam-auth-failure";
      readonly user: string | undefined;
      readonly rhost: string | undefined;
      readonly tty: string | undefined;
    }
  | { readonly kind: "pam-session-open"; readonly user: string | undefined }
  | { readonly kind: "pam-session-close"; readonly user: string | undefined }
  | { readonly kind: "nologin"; readonly detail: string }
  | {
      readonly kind: "ssh-accepted";
      readonly user: string;
      readonly from: string;
      readonly port: number | undefined;
    }
  | {
      readonly kind: "ssh-failed";
      readonly user: string;
      readonly from: string;
      readonly port: number | undefined;
    }
  | {
      readonly kind: "ssh-closed";
      readonly from: string;
      readonly preauth: boolean;
      readonly by: "client" | "server";
    }
  | { readonly kind: "ssh-timeout"; readonly from: string | undefined }
  | {
      readonly kind: "ssh-too-many";
      readonly user: string | undefined;
      readonly from: string | undefined;
    };

export type LogEventKind = LogEvent["kind"];

/** One family parser: the message of a record (already out of its envelope) → an event. */
export type FamilyParser = (message: string) => LogEvent | undefined;

/** An event with the record it came from. */
export interface SessionLine {
  readonly time: number;
  readonly program: string;
  readonly pid: number | undefined;
  readonly event: LogEvent;
  readonly at: Evidence;
}

/** Who and what a session is before its cause is named. */
export interface SessionFacts {
  /** The client's address (normalized: no `::ffff:`), or the host name login logged. */
  readonly client: string | undefined;
  /** `telnet` (xinetd/inetd/tcpd/telnetd/login) or `ssh`. */
  readonly protocol: "telnet" | "ssh";
  readonly service: string | undefined;
  /** The pid that carried the connection (xinetd's child, telnetd, tcpd, sshd). */
  readonly pid: number | undefined;
  readonly user: string | undefined;
  readonly start: number;
  readonly end: number;
  /** True when the session's end was seen (xinetd EXIT, a refusal, a closing line). */
  readonly ended: boolean;
  /** Its lines in time order (at most MAX_LINES; `droppedLines` says how many more). */
  readonly lines: readonly SessionLine[];
  readonly droppedLines: number;
}

/** A rule's answer: the cause, how sure, in words, and which lines decided it. */
export interface Verdict {
  readonly cause: Cause;
  readonly confidence: number;
  readonly summary: string;
  /** Indexes into the session's lines: the lines that decided, the key one first. */
  readonly decisive: readonly number[];
}

/** A session as `teldoc logs --json` prints it (the contract's fields, then ours). */
export interface ServerSession {
  readonly client: string | null;
  readonly start: string;
  readonly end: string;
  readonly cause: Cause;
  /** The session's lines, in time order (the contract's evidence). */
  readonly evidence: readonly Evidence[];
  /** The line that decided the cause (one of `evidence`). */
  readonly key: Evidence;
  readonly confidence: number;
  readonly summary: string;
  readonly protocol: "telnet" | "ssh";
  readonly service: string | null;
  readonly pid: number | null;
  readonly user: string | null;
  readonly ended: boolean;
}
