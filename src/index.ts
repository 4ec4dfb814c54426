/** @module teldoc's public API: the Telnet protocol core, and the session library (connect, createServer). */
import { connect, withReconnect } from "./session/connect.js";
import { createServer } from "./session/create-server.js";

export * from "./errors.js";
export * from "./protocol/index.js";
export { TelnetSession } from "./session/api.js";
export type {
  ExecOptions,
  ExpectMatch,
  LoginOptions,
  LoginResult,
  SessionEvents,
  WaitOptions,
} from "./session/api-types.js";
export type {
  ClientOptions,
  ClientSession,
  DataListener,
  SessionEnd,
} from "./session/client.js";
export type { AfterOptions, Clock, Timer } from "./session/clock.js";
export { connect, withReconnect } from "./session/connect.js";
export { createServer, type TelnetServer } from "./session/create-server.js";
export {
  ExpectError,
  SessionError,
  type SessionSnapshot,
  type SessionState,
} from "./session/errors.js";
export type { ExecResult, PromptRule } from "./session/exec.js";
export { LOGIN_PROMPTS, type LoginPrompts } from "./session/login-dialogue.js";
export type { ConnectOptions, Duration } from "./session/options.js";
export { cleanText, DEFAULT_PAGER, DEFAULT_PROMPT } from "./session/output.js";
export {
  NEVER_RETRY,
  RETRY_CAUSES,
  type ReconnectPolicy,
  type RetryDecision,
  type RetryInfo,
  retryDecision,
} from "./session/reconnect.js";
export type { Listener, Recorder, Unstamped } from "./session/recorder.js";
export {
  ServerSession,
  type ServerSessionOptions,
  type TelnetServerOptions,
} from "./session/server-session.js";
/** The trace event schema (the contract's JSON types), as one namespace. */
export type * as TraceEvents from "./trace/events.js";
export type {
  Cause,
  Diagnosis,
  EndEvent,
  Phase,
  Target,
  TraceEvent,
  Transport,
} from "./trace/events.js";

/** `import teldoc from "teldoc"`: `teldoc.connect(...)`, `teldoc.createServer(...)`. */
const teldoc = { connect, createServer, withReconnect };
export default teldoc;
