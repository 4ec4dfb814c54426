/** @module The diagnosis: pure functions from a session's trace events to its facts and the cause of its end. */

export { adminNote } from "./admin-note.js";
export { CAUSES, type CauseInfo, describeCause } from "./causes.js";
export { CHECK_IDS, type CheckId, type CheckResult, type CheckStatus } from "./checklist.js";
export { CLOSING_WORDS_MS, closingText, findClosingMessage, stageOf } from "./closing.js";
export { diagnose } from "./diagnose.js";
export { endEvent } from "./end.js";
export { findMessage, findMessages, type MessageMatch } from "./match.js";
export { SERVER_MESSAGES, type ServerMessage } from "./messages.js";
export { type NeighbourFailure, neighbourFailure } from "./neighbour.js";
export { detectProtocol, PROTOCOL_SIGNATURES, type ProtocolSignature } from "./protocols.js";
export { PROMPT_WAIT_MS, type StatedReason, statedReason } from "./reason.js";
export { wrongService } from "./rules/access.js";
export {
  describe as describeIdleRun,
  type IdleFacts,
  type IdleOutcome,
  type IdleRun,
  idleFinding,
} from "./rules/idle-check.js";
export { RULES } from "./rules/index.js";
export { type LoginRefusalFacts, loginRefused } from "./rules/login-check.js";
export { type TlsFacts, tlsOnPort } from "./rules/tls.js";
export { summarize } from "./summary.js";
export { endsWithShellPrompt, promptAtEnd, stripControls } from "./text.js";
export type {
  Candidate,
  Cause,
  ConnectFailure,
  Diagnosis,
  Phase,
  Rule,
  SessionSummary,
  Stage,
  Target,
  TimedLine,
  Transport,
} from "./types.js";
export { verdictOf } from "./verdict.js";
export { findFamily, WORDING_FAMILIES, type WordingFamily } from "./wording.js";
