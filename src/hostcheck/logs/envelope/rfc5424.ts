/**
 * @module Lines with a full timestamp: rsyslog's high-precision file format
 * (`RSYSLOG_FileFormat`: `2026-11-30T14:00:01.123456+01:00 host prog[pid]: msg`, RFC 3339
 * time) and RFC 5424 itself (`<34>1 2026-11-30T14:00:01Z host app procid msgid [sd] msg`).
 * A time without a zone is local time.
 */
import type { LogRecord } from "../types.js";
import { programName, splitTag } from "./tag.js";

const STAMP =
  "(\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}:\\d{2}(?:\\.\\d{1,9})?(?:Z|[+-]\\d{2}:?\\d{2})?)";
const RFC3339_LINE = new RegExp(`^${STAMP} (\\S+) (.*)$`);
const RFC5424_LINE = new RegExp(
  `^<(\\d{1,3})>1 ${STAMP} (\\S+) (\\S+) (\\S+) (\\S+) (-|(?:\\[(?:[^\\]\\\\]|\\\\.)*\\])+)(?: (.*))?$`,
);

/** An RFC 3339 time in ms; +0100 (no colon) is accepted; undefined when it is not a date. */
export function parseStamp(stamp: string): number | undefined {
  let s = stamp.replace(" ", "T");
  s = s.replace(/([+-]\d{2})(\d{2})$/, "$1:$2");
  // Date.parse takes at most milliseconds on some engines: cut the fraction to 3 digits.
  s = s.replace(/\.(\d{3})\d+/, ".$1");
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Read an rsyslog high-precision line; undefined when it is not one.
 * @example parseRfc3339("2026-11-30T14:00:01+01:00 h sshd[9]: x")?.pid // 9
 */
export function parseRfc3339(line: string): LogRecord | undefined {
  const m = RFC3339_LINE.exec(line);
  if (!m) return undefined;
  const time = parseStamp(m[1]!);
  const tag = splitTag(m[3]!);
  if (time === undefined || !tag) return undefined;
  return { time, host: m[2]!, ...tag };
}

/**
 * Read an RFC 5424 line (`<PRI>1 TIME HOST APP PROCID MSGID SD MSG`); undefined when it is not one.
 * @example parseRfc5424("<38>1 2026-11-30T14:00:01Z h login 7 - - FAILED")?.message // "FAILED"
 */
export function parseRfc5424(line: string): LogRecord | undefined {
  const m = RFC5424_LINE.exec(line);
  if (!m) return undefined;
  const time = parseStamp(m[2]!);
  if (time === undefined) return undefined;
  const pid = /^\d{1,10}$/.test(m[5]!) ? Number(m[5]) : undefined;
  const message = (m[8] ?? "").replace(/^\uFEFF/, "");
  return { time, host: m[3]!, program: programName(m[4]!), pid, message };
}
