/** @module The diagnosis's types: the session summary the rules read, and what a rule returns. */
import type {
  ConnectFailedEvent,
  Diagnosis,
  LocalCloseEvent,
  Phase,
  ProbeEvent,
  Target,
  TraceEvent,
  Transport,
} from "../trace/events.js";

export type { Cause, Diagnosis, Phase, Target, TraceEvent, Transport } from "../trace/events.js";

/** One failed TCP connect attempt: the event's facts. */
export type ConnectFailure = Omit<ConnectFailedEvent, "type">;

/** A line of server text (cleaned; ends with LF once complete) and when it came. */
export interface TimedLine {
  readonly t: number;
  readonly text: string;
}

/**
 * Where the session stood when the server's last words came: nothing typed yet
 * (`before-login`), credentials sent but no login yet (`after-credentials`), or logged in or
 * commands typed (`session`).
 */
export type Stage = "before-login" | "after-credentials" | "session";

/** The facts of one session, from its events alone. All times are event `t` values (ms). */
export interface SessionSummary {
  readonly target: Target;
  /** The address this machine used (from the `connected` event), as the server may see it. */
  readonly localAddress?: string;
  readonly phase: Phase;
  readonly transport: Transport;
  /** `t` of the first event. */
  readonly startAt: number;
  /** When the session ended: the first FIN, socket error, dead-peer timeout or local close (else the last event). */
  readonly endAt: number;
  readonly durationMs: number;
  /** endAt minus the later of the connect time and the last outgoing data. */
  readonly idleMs: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** The last non-empty line the server printed (trimmed, at most 200 characters). */
  readonly lastServerText: string;
  /** The last ~2 KB of incoming text, ANSI escapes stripped, line ends as LF. */
  readonly serverText: string;
  /**
   * The server's last words: the lines it sent after the last login/password prompt, shell
   * prompt and outgoing data, each with the time its last visible character came (at most
   * 64 lines, ~2 KB). Empty when the server went on to prompt or the user typed since.
   */
  readonly closingLines: readonly TimedLine[];
  /** The first incoming text as received (latin1, at most 256 characters), for protocol detection. */
  readonly firstServerText: string;
  /** The hex of the first `read` event, when the trace has raw bytes. */
  readonly firstReadHex?: string;
  readonly resolveFailed?: {
    readonly t: number;
    readonly host: string;
    readonly code: string;
    readonly message: string;
    readonly durationMs: number;
  };
  /** Failed connect attempts, in order (the last one decided, unless a later attempt connected). */
  readonly connectFailures: readonly ConnectFailure[];
  readonly connectedAt?: number;
  /** When the server first sent printable text. */
  readonly firstServerDataAt?: number;
  /** The last incoming event of any kind (data, option, subnegotiation, command, read). */
  readonly lastInAt?: number;
  /** The last outgoing `data` event (a keystroke or a script's send). */
  readonly lastOutAt?: number;
  /** Incoming option and subnegotiation events. */
  readonly optionsSeen: number;
  readonly loginPromptAt?: number;
  readonly passwordPromptAt?: number;
  /** The last login or password prompt before the login succeeded. */
  readonly lastPromptAt?: number;
  /** True when the last login or password prompt is still unanswered (in event order). */
  readonly promptPending: boolean;
  readonly usernameSentAt?: number;
  /** The last time a password was sent (masked data, or a line answering a password prompt). */
  readonly passwordSentAt?: number;
  /** Server text (cleaned) since the last credential was sent. */
  readonly textAfterCredentials: string;
  /** When the server's output showed the login had succeeded. */
  readonly loginSucceededAt?: number;
  /** True when a shell or CLI prompt followed the credentials. */
  readonly shellPromptAfterLogin: boolean;
  /** The last complete line the user or script sent (unmasked), trimmed. */
  readonly lastCommand?: { readonly t: number; readonly text: string };
  /**
   * The longest quiet stretch the connection is known to have survived: a gap without traffic
   * after which the server's data still came through (0 when none). A NAT or firewall that
   * forgot the connection later has a timeout longer than this.
   */
  readonly survivedQuietMs: number;
  /** Outgoing data that the server never answered: since when, and how idle the line was before. */
  readonly unanswered?: { readonly since: number; readonly idleBeforeMs: number };
  readonly finAt?: number;
  readonly socketError?: { readonly t: number; readonly code: string; readonly message: string };
  readonly localClose?: { readonly t: number; readonly reason: LocalCloseEvent["reason"] };
  readonly deadPeerAt?: number;
  readonly loginTimerAt?: number;
  readonly probe?: Omit<ProbeEvent, "type" | "purpose">;
  /** The first script or login step that failed. */
  readonly failedStep?: { readonly t: number; readonly what: string };
  readonly closed?: {
    readonly t: number;
    readonly by: "remote" | "local";
    readonly transport: Transport;
  };
}

/**
 * What a rule concludes: a diagnosis without alternatives (those come from the other rules).
 * Confidence: a known server message as the last words 0.9+, a family of wording 0.8, timing
 * alone 0.6-0.75; evidence: 1-4 facts with times.
 */
export type Candidate = Omit<Diagnosis, "alternatives">;

/** A rule reads the summary (and, when it must, the events) and may name a cause. */
export type Rule = (s: SessionSummary, events: readonly TraceEvent[]) => Candidate | undefined;
