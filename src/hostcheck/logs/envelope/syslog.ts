/**
 * @module The classic BSD syslog line (RFC 3164 as files hold it, no priority):
 * `Nov 30 14:00:01 host prog[pid]: message`. No year and no zone: the year comes from the
 * context (year.ts), the time is the machine's local time (TZ). BusyBox syslogd writes the
 * facility and level after the host (`vm authpriv.notice login[42]: ...`): it is skipped.
 */
import type { EnvelopeContext, LogRecord } from "../types.js";
import { splitTag } from "./tag.js";

const MONTHS: Readonly<Record<string, number>> = {
  Jan: 1,
  Feb: 2,
  Mar: 3,
  Apr: 4,
  May: 5,
  Jun: 6,
  Jul: 7,
  Aug: 8,
  Sep: 9,
  Oct: 10,
  Nov: 11,
  Dec: 12,
};

const LINE =
  /^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))? (\S+) (?:[a-z0-9]+\.[a-z]+ )?(.*)$/;

/** Lines of one second share their time: the last stamp read, per context. */
const lastStamp = new WeakMap<EnvelopeContext, { stamp: string; time: number }>();

function timeOf(m: RegExpExecArray, ctx: EnvelopeContext): number | undefined {
  const stamp = m.input.slice(0, m.input.indexOf(" ", 15));
  const cached = lastStamp.get(ctx);
  if (cached?.stamp === stamp) return cached.time;
  const month = MONTHS[m[1]!];
  if (month === undefined) return undefined;
  const day = Number(m[2]);
  const [hh, mm, ss] = [Number(m[3]), Number(m[4]), Number(m[5])];
  if (day < 1 || day > 31 || hh > 23 || mm > 59 || ss > 60) return undefined;
  const ms = m[6] === undefined ? 0 : Math.floor(Number(`0.${m[6]}`) * 1000);
  const time = new Date(ctx.yearFor(month, day), month - 1, day, hh, mm, ss, ms).getTime();
  lastStamp.set(ctx, { stamp, time });
  return time;
}

/**
 * Read a classic syslog line; undefined when it is not one.
 * @example parseSyslog("Nov 30 14:00:01 h login[7]: x", ctx)?.program // "login"
 */
export function parseSyslog(line: string, ctx: EnvelopeContext): LogRecord | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const time = timeOf(m, ctx);
  if (time === undefined) return undefined;
  return { time, host: m[7]!, ...splitTag(m[8]!) };
}
