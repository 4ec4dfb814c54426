/**
 * @module `teldoc logs`: why sessions ended, from the server's logs. Door of hostcheck/logs:
 * line sources (files, gzip, the journal), the engine (`analyzeLogs`), the trace matcher and
 * the text renderers.
 */
export { type AnalyzeOptions, analyzeLogs, type LogTotals, toServerSession } from "./analyze.js";
export { journalLines } from "./journal.js";
export { fileLines, type LineSource } from "./lines.js";
export { sessionText, totalsText, traceText } from "./render.js";
export { DEFAULT_SKEW_MS, loadClientTrace, type TraceMatch, TraceMatcher } from "./trace-match.js";
export type { Evidence, ServerSession } from "./types.js";
