/**
 * @module xinetd's service lines (xinetd.log(5) `log_on_success`/`log_on_failure`, as
 * xinetd 2.3.15 writes them — measured in logs.e2e.test.ts):
 * `START: telnet pid=123 from=::ffff:192.0.2.7`, `EXIT: telnet status=0 pid=123 duration=5(sec)`
 * (or `signal=N`), `FAIL: telnet address from=192.0.2.7` with the reason `address` (only_from,
 * no_access), `libwrap` (hosts.allow/deny), `service_limit` (instances), `per_source_limit`,
 * `process_limit`, `cps`, `time` (access_times), `load` (max_load). Its own notices are known
 * and carry no session.
 */
import type { LogEvent } from "../types.js";
import { int, keyValues } from "./fields.js";

const SERVICE_LINE = /^(START|EXIT|FAIL|USERID|DATA): (\S+)(?: (.*))?$/;
const NOTICE =
  /^(NOTICE|WARNING|ERROR|CRITICAL|ALERT|INFO|DEBUG|EMERG)\b|^(?:Reading included|Started working|Exiting|readjusting|Service \S+|\{|\d+ \{)/;

/**
 * xinetd's message → its event; null for xinetd's own notices; undefined when unknown.
 * @example parseXinetd("FAIL: telnet per_source_limit from=10.0.0.1")
 * // { kind: "xinetd-fail", service: "telnet", reason: "per_source_limit", from: "10.0.0.1" }
 */
export function parseXinetd(message: string): LogEvent | null | undefined {
  const m = SERVICE_LINE.exec(message);
  if (!m) return NOTICE.test(message) ? null : undefined;
  const [, verb, service, rest = ""] = m as unknown as [string, string, string, string?];
  const kv = keyValues(rest);
  if (verb === "START") {
    const pid = int(kv["pid"]);
    return pid === undefined ? undefined : { kind: "xinetd-start", service, pid, from: kv["from"] };
  }
  if (verb === "EXIT") {
    const pid = int(kv["pid"]);
    if (pid === undefined) return undefined;
    const duration = /^(\d+)\(sec\)$/.exec(kv["duration"] ?? "");
    return {
      kind: "xinetd-exit",
      service,
      pid,
      status: int(kv["status"]),
      signal: int(kv["signal"]),
      durationS: duration ? Number(duration[1]) : undefined,
    };
  }
  if (verb === "FAIL") {
    const reason = /^([a-z_]+)\b/.exec(rest)?.[1];
    if (reason === undefined) return undefined;
    return { kind: "xinetd-fail", service, reason, from: kv["from"] };
  }
  return null;
}
