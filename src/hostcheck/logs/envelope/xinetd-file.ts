/**
 * @module xinetd's own log file (`log_type = FILE path`, and `-filelog`):
 * `26/11/30@14:00:01: START: telnet pid=123 from=::ffff:127.0.0.1` for the services, and
 * `26/11/30@14:00:01 xinetd[99]: NOTICE: ...` for xinetd's own messages. The date is
 * YY/MM/DD in local time (xinetd's log.c formats it with localtime()).
 */
import type { LogRecord } from "../types.js";
import { splitTag } from "./tag.js";

const LINE = /^(\d{2})\/(\d{2})\/(\d{2})@(\d{2}):(\d{2}):(\d{2})(:? )(.*)$/;

/**
 * Read a line of xinetd's log file; undefined when it is not one.
 * @example parseXinetdFile("26/11/30@14:00:01: START: telnet pid=5 from=1.2.3.4")?.program // "xinetd"
 */
export function parseXinetdFile(line: string): LogRecord | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const [yy, mo, dd, hh, mi, ss] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (mo < 1 || mo > 12 || dd < 1 || dd > 31 || hh > 23 || mi > 59 || ss > 60) return undefined;
  const time = new Date(2000 + yy, mo - 1, dd, hh, mi, ss).getTime();
  const rest = m[8]!;
  if (m[7] === ": ") return { time, program: "xinetd", pid: undefined, message: rest };
  const tag = splitTag(rest);
  if (!tag) return undefined;
  return { time, ...tag };
}
