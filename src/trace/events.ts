/**
 * @module The trace event schema: what `connect --json` prints (one object per line), what
 * `--trace FILE` records (the same events plus raw bytes and socket facts) and what the
 * diagnosis reads. Every event has `type` and `t`, milliseconds since the session started
 * (monotonic). Names follow the contract's JSON.
 */

/** The Telnet-level phase a session had reached. */
export type Phase = "resolve" | "connect" | "negotiation" | "login" | "session";

/**
 * How the transport ended, from the wire's point of view. `unknown`: the events stop before any
 * end was recorded (a saved trace that was cut, or whose writer was killed); a live session
 * always records how it ended.
 */
export type Transport =
  | "fin"
  | "rst"
  | "timeout"
  | "refused"
  | "unreachable"
  | "dns"
  | "local-error"
  | "local-close"
  | "unknown";

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface Target {
  readonly host: string;
  readonly port: number;
  /** The address finally used (or last tried). */
  readonly address?: string;
  readonly family?: 4 | 6;
}

/** Outcome of one TCP connect attempt (errno mapped in session/errno.ts). */
export type ConnectOutcome =
  | "refused"
  | "timeout"
  | "unreachable"
  | "local-firewall"
  | "local-error";

/** How a failed connect reads as the session's transport (`end.transport`). */
export const CONNECT_TRANSPORT: Readonly<Record<ConnectOutcome, Transport>> = {
  refused: "refused",
  timeout: "timeout",
  unreachable: "unreachable",
  "local-firewall": "local-error",
  "local-error": "local-error",
};

interface Base {
  /** Milliseconds since the session started (monotonic clock). */
  readonly t: number;
}

export interface ResolvingEvent extends Base {
  readonly type: "resolving";
  readonly host: string;
  /** The port the session is for (traces before it was recorded lack it). */
  readonly port?: number;
}
export interface ResolvedEvent extends Base {
  readonly type: "resolved";
  readonly host: string;
  readonly addresses: readonly { address: string; family: 4 | 6 }[];
  readonly durationMs: number;
}
export interface ResolveFailedEvent extends Base {
  readonly type: "resolve-failed";
  readonly host: string;
  /** The resolver's code: ENOTFOUND (no such name), EAI_AGAIN (timeout/temporary), ... */
  readonly code: string;
  readonly message: string;
  readonly durationMs: number;
}
export interface ConnectingEvent extends Base {
  readonly type: "connecting";
  readonly address: string;
  readonly family: 4 | 6;
  readonly port: number;
  readonly attempt: number;
}
export interface ConnectedEvent extends Base {
  readonly type: "connected";
  readonly local: Endpoint;
  readonly remote: Endpoint;
  readonly family: 4 | 6;
  readonly durationMs: number;
}
export interface ConnectFailedEvent extends Base {
  readonly type: "connect-failed";
  readonly address: string;
  readonly port: number;
  readonly outcome: ConnectOutcome;
  /** errno code (ECONNREFUSED, EHOSTUNREACH, ETIMEDOUT, EPERM...), or "TIMEOUT" for our timer. */
  readonly code: string;
  readonly durationMs: number;
  /**
   * Linux: how many TCP (re)transmissions this machine failed to send during the attempt
   * (TcpExt TCPRetransFail of the network namespace). A SYN dropped by a local OUTPUT rule
   * counts here; one dropped on the path does not.
   */
  readonly localSendFailures?: number;
  /**
   * Linux, for EHOSTUNREACH, EHOSTDOWN and connect timeouts only: where this machine sends
   * packets for the address (its routing table) and whether that next hop answered ARP, read
   * at failure time. Tells a neighbour that never answered (the host is down or not on the
   * subnet) from a router's "host unreachable" or a firewall that drops the SYN.
   */
  readonly nextHop?: NextHop;
}
/** The next hop toward an address, from the kernel's tables (session/next-hop.ts). */
export interface NextHop {
  /** True when the address is on a directly connected subnet (its route has no gateway). */
  readonly onLink: boolean;
  /** The interface the route uses (eth0...). */
  readonly device?: string;
  /** The gateway, when not on-link. */
  readonly gateway?: string;
  /**
   * IPv4: the ARP entry of the next hop (the address itself when on-link, else the gateway):
   * true when resolved, false when incomplete or failed (nothing answered); absent when there
   * is no entry or no table to read (IPv6).
   */
  readonly resolved?: boolean;
}
/** Bytes read from or written to the socket (trace files only; `hex` is the raw bytes). */
export interface IoEvent extends Base {
  readonly type: "read" | "write";
  readonly bytes: number;
  readonly hex: string;
  /**
   * A write that carried a secret line (a password): `hex` and `bytes` are the placeholder
   * `********`, not what was sent, whose bytes and length are recorded nowhere.
   */
  readonly masked?: boolean;
}
/** Application data (after Telnet decoding), as latin1 text. */
export interface DataEvent extends Base {
  readonly type: "data";
  readonly dir: "in" | "out";
  readonly text: string;
  /** True when the text was masked (a password): `text` is `********`, whatever was sent. */
  readonly masked?: boolean;
  /** The data's real size, when `text` holds only its tail (nobody asked for all of it). */
  readonly bytes?: number;
}
export interface OptionEvent extends Base {
  readonly type: "option";
  readonly dir: "in" | "out";
  readonly verb: "WILL" | "WONT" | "DO" | "DONT";
  /** Option name (optionName()). */
  readonly option: string;
  readonly code: number;
}
export interface SubnegEvent extends Base {
  readonly type: "subneg";
  readonly dir: "in" | "out";
  readonly option: string;
  readonly code: number;
  /** Decoded summary (describeSubneg()). */
  readonly text: string;
  readonly bytes: number;
}
export interface CommandEvent extends Base {
  readonly type: "command";
  readonly dir: "in" | "out";
  readonly command: string;
}
/** A peer protocol violation, reported and survived. */
export interface ProtocolErrorEvent extends Base {
  readonly type: "protocol-error";
  readonly code: string;
  readonly message: string;
}
/** A timer of ours fired. */
export interface TimerEvent extends Base {
  readonly type: "timer";
  readonly name:
    | "connect"
    | "keepalive"
    | "nop"
    | "anti-idle"
    | "login"
    | "dead-peer"
    | "linger"
    | "wait";
  readonly detail?: string;
}
/** The peer closed its sending side (TCP FIN). */
export interface FinEvent extends Base {
  readonly type: "fin";
}
/** A socket error after connect: ECONNRESET (RST), ETIMEDOUT (retransmissions gave up), EPIPE... */
export interface SocketErrorEvent extends Base {
  readonly type: "socket-error";
  readonly code: string;
  readonly message: string;
}
/** We decided to close. */
export interface LocalCloseEvent extends Base {
  readonly type: "local-close";
  readonly reason:
    | "user"
    | "script"
    | "stdin-eof"
    | "signal"
    | "login-timeout"
    | "dead-peer"
    | "error";
}
/** A script step or a login step (for the evidence). */
export interface StepEvent extends Base {
  readonly type: "step";
  readonly what: string;
  readonly ok: boolean;
}
/** The fresh connection tried when the dead-peer timer fired, to tell middlebox from path. */
export interface ProbeEvent extends Base {
  readonly type: "probe";
  /** dead-peer-check: the dead-peer timer fired; reset-check: an RST answered our first write after an idle stretch. */
  readonly purpose: "dead-peer-check" | "reset-check";
  readonly ok: boolean;
  readonly outcome: "connected" | ConnectOutcome;
  readonly durationMs: number;
  /** True when the probe also got data (a banner or negotiation) from the server. */
  readonly gotData?: boolean;
}
/** The socket is fully closed. */
export interface ClosedEvent extends Base {
  readonly type: "closed";
  readonly by: "remote" | "local";
  readonly transport: Transport;
}

export type TraceEvent =
  | ResolvingEvent
  | ResolvedEvent
  | ResolveFailedEvent
  | ConnectingEvent
  | ConnectedEvent
  | ConnectFailedEvent
  | IoEvent
  | DataEvent
  | OptionEvent
  | SubnegEvent
  | CommandEvent
  | ProtocolErrorEvent
  | TimerEvent
  | FinEvent
  | SocketErrorEvent
  | LocalCloseEvent
  | StepEvent
  | ProbeEvent
  | ClosedEvent;

/** Every cause of the contract's table, in its order. */
export const CAUSE_NAMES = [
  "healthy",
  "logout",
  "local-close",
  "dns-failure",
  "local-firewall",
  "unreachable",
  "refused",
  "filtered",
  "acl-rejected",
  "service-unavailable",
  "wrong-service",
  "auth-failed",
  "login-timeout",
  "idle-timeout",
  "middlebox-timeout",
  "network-failure",
  "peer-reset",
  "server-closed",
  "unknown",
] as const;

/** One named cause of the contract's table. */
export type Cause = (typeof CAUSE_NAMES)[number];

export interface Diagnosis {
  readonly cause: Cause;
  /** 0..1 */
  readonly confidence: number;
  readonly summary: string;
  readonly evidence: readonly string[];
  readonly advice: readonly string[];
  readonly alternatives: readonly { cause: Cause; confidence: number }[];
}

/** The last line of `connect --json`: the session's facts and its diagnosis. */
export interface EndEvent extends Base {
  readonly type: "end";
  readonly target: Target;
  readonly phase: Phase;
  readonly transport: Transport;
  readonly durationMs: number;
  /** Time from the last data we sent (or from connect) to the end. */
  readonly idleMs: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly lastServerText: string;
  readonly diagnosis: Diagnosis;
}
