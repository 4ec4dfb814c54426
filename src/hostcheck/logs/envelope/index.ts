/**
 * @module Which envelope a line is in, from its first characters, then that envelope's parser:
 * `{` journal JSON, `<` RFC 5424, `2026-` rsyslog high precision, `26/11/30@` xinetd's file,
 * `Nov 30` classic syslog. A line none of them reads is returned as undefined (counted by the
 * caller as unparsed).
 */
import type { EnvelopeContext, LogRecord } from "../types.js";
import { parseJournal } from "./journal.js";
import { parseRfc3339, parseRfc5424 } from "./rfc5424.js";
import { parseSyslog } from "./syslog.js";
import { parseXinetdFile } from "./xinetd-file.js";

export { parseJournal } from "./journal.js";
export { parseRfc3339, parseRfc5424 } from "./rfc5424.js";
export { parseSyslog } from "./syslog.js";
export { parseXinetdFile } from "./xinetd-file.js";
export { yearGuesser } from "./year.js";

/**
 * Take a line out of whichever envelope it is in.
 * @example parseEnvelope("26/11/30@14:00:01: FAIL: telnet address from=1.2.3.4", ctx)?.message
 * // "FAIL: telnet address from=1.2.3.4"
 */
export function parseEnvelope(line: string, ctx: EnvelopeContext): LogRecord | undefined {
  const c = line.charCodeAt(0);
  if (c === 0x7b /* { */) return parseJournal(line);
  if (c === 0x3c /* < */) return parseRfc5424(line);
  if (c >= 0x30 && c <= 0x39) {
    if (line.charCodeAt(2) === 0x2f /* / */) return parseXinetdFile(line);
    return parseRfc3339(line);
  }
  if (c >= 0x41 && c <= 0x5a) return parseSyslog(line, ctx);
  return undefined;
}
