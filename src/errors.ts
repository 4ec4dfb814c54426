/**
 * @module One error base with stable codes. Every code is documented in docs/errors.md; tests
 * assert codes, never message text.
 */

/** Every error code teldoc throws or reports. */
export const ERROR_CODES = {
  /** A command-line argument or option is not valid. */
  TELDOC_ERR_USAGE: "a command-line argument or option is not valid",
  /** A duration such as `10s` could not be read. */
  TELDOC_ERR_BAD_DURATION: "a duration could not be read",
  /** A host or port could not be read. */
  TELDOC_ERR_BAD_TARGET: "a host or port could not be read",
  /** A configuration value is not valid. */
  TELDOC_ERR_BAD_CONFIG: "a configuration value is not valid",
  /** A trace file has a line that is not a valid trace event (the message names the line). */
  TELDOC_ERR_BAD_TRACE: "a trace file line is not a valid trace event",
  /** A trace or pcap file could not be written mid-session (disk full...); the session goes on. */
  TELDOC_ERR_TRACE_WRITE: "a trace or pcap file could not be written",
  /** The library was called in a way it does not support. */
  TELDOC_ERR_INVALID_ARGUMENT: "a library function was called with an invalid argument",
  /** A subnegotiation grew past its cap (peer misbehaviour, reported as an event). */
  TELDOC_ERR_SB_OVERFLOW: "a subnegotiation grew past its cap",
  /** IAC SE arrived outside a subnegotiation. */
  TELDOC_ERR_SE_OUTSIDE_SB: "IAC SE arrived outside a subnegotiation",
  /** A subnegotiation was interrupted by another command. */
  TELDOC_ERR_SB_INTERRUPTED: "a subnegotiation was interrupted by a command other than IAC SE",
  /** IAC was followed by a byte that is no Telnet command. */
  TELDOC_ERR_UNKNOWN_COMMAND: "IAC was followed by a byte that is no Telnet command",
  /** The peer answered a negotiation in a way RFC 1143 says it must not. */
  TELDOC_ERR_NEGOTIATION: "the peer broke the option negotiation rules",
  /** The peer kept renegotiating one option; further requests for it are ignored. */
  TELDOC_ERR_NEGOTIATION_STORM: "the peer kept renegotiating one option",
  /** A subnegotiation payload could not be decoded. */
  TELDOC_ERR_BAD_SUBNEGOTIATION: "a subnegotiation payload could not be decoded",
  /** The library could not open a session: the name, the route or the port failed (see `diagnosis`). */
  TELDOC_ERR_CONNECT_FAILED: "the session could not be opened",
  /** The session ended while the library was waiting on it (see `diagnosis`). */
  TELDOC_ERR_SESSION_ENDED: "the session ended while waiting",
  /** `expect()` did not see its pattern in time. */
  TELDOC_ERR_EXPECT_TIMEOUT: "the expected text did not arrive in time",
  /** `exec()` did not see the prompt come back in time. */
  TELDOC_ERR_COMMAND_TIMEOUT: "the command's prompt did not come back in time",
  /** `login()` saw the server reject the credentials. */
  TELDOC_ERR_LOGIN_FAILED: "the server rejected the credentials",
  /** `login()` did not reach a shell prompt within the login timeout. */
  TELDOC_ERR_LOGIN_TIMEOUT: "the login did not complete in time",
  /** An AbortSignal stopped the operation. */
  TELDOC_ERR_ABORTED: "the operation was aborted",
  /** A command's output grew past `maxOutput`. */
  TELDOC_ERR_OUTPUT_LIMIT: "a command's output grew past its limit",
  /** A monitor sample (import, JSON Lines) is not valid. */
  TELDOC_ERR_BAD_SAMPLE: "a monitor sample could not be read",
  /** The monitor's store could not be opened, read or written. */
  TELDOC_ERR_STORE: "the monitor's store failed",
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

/** The base of every error teldoc throws: a stable `code`, an optional `cause`. */
export class TeldocError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TeldocError";
    this.code = code;
  }
}

/** True when `err` is a TeldocError, optionally with the given code. */
export function isTeldocError(err: unknown, code?: ErrorCode): err is TeldocError {
  return err instanceof TeldocError && (code === undefined || err.code === code);
}
