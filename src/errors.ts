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
