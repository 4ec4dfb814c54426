/**
 * @module One entry of `journalctl -o json` (one JSON object a line; journal-export field
 * names): `__REALTIME_TIMESTAMP` (µs since the epoch, UTC), `SYSLOG_IDENTIFIER` (else `_COMM`),
 * `_PID` (else `SYSLOG_PID`), `MESSAGE` (a string, or an array of bytes when it is not UTF-8),
 * `_HOSTNAME`.
 */
import type { LogRecord } from "../types.js";
import { programName } from "./tag.js";

function text(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.every((b) => typeof b === "number"))
    return Buffer.from(v as number[]).toString("utf8");
  return undefined;
}

function pidOf(v: unknown): number | undefined {
  const s = text(v);
  return s !== undefined && /^\d{1,10}$/.test(s) ? Number(s) : undefined;
}

/**
 * Read a journal JSON line; undefined when it is not one (not JSON, or no time/program/message).
 * @example parseJournal('{"__REALTIME_TIMESTAMP":"1000","SYSLOG_IDENTIFIER":"login","MESSAGE":"x"}')?.time // 1
 */
export function parseJournal(line: string): LogRecord | undefined {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj)) return undefined;
  const o = obj as Record<string, unknown>;
  const stamp = text(o["__REALTIME_TIMESTAMP"]);
  const ident = text(o["SYSLOG_IDENTIFIER"]) ?? text(o["_COMM"]);
  const message = text(o["MESSAGE"]);
  if (stamp === undefined || !/^\d{1,20}$/.test(stamp) || !ident || message === undefined)
    return undefined;
  const host = text(o["_HOSTNAME"]);
  return {
    time: Math.floor(Number(stamp) / 1000),
    program: programName(ident),
    pid: pidOf(o["_PID"]) ?? pidOf(o["SYSLOG_PID"]),
    message,
    ...(host !== undefined ? { host } : {}),
  };
}
