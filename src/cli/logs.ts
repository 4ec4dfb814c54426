/**
 * @module `teldoc logs FILE...|--journal`: the server's logs read into sessions and their
 * causes; text for people or one JSON object (`--json`), written as the sessions end, so a
 * large log streams.
 */
import { TeldocError } from "../errors.js";
import {
  analyzeLogs,
  fileLines,
  journalLines,
  type LineSource,
  loadClientTrace,
  type ServerSession,
  sessionText,
  TraceMatcher,
  totalsText,
  traceText,
} from "../hostcheck/logs/index.js";
import { parsePeriod } from "../util/duration.js";
import type { LogsFlags } from "./options/logs.js";

/** Write, waiting when the pipe is full (a slow reader holds the log reading back). */
function out(text: string): Promise<void> | undefined {
  if (process.stdout.write(text)) return undefined;
  return new Promise((resolve) => process.stdout.once("drain", () => resolve()));
}

async function sources(files: readonly string[], flags: LogsFlags, since: number | undefined) {
  if (flags.journal && files.length > 0)
    throw new TeldocError("TELDOC_ERR_USAGE", "give log files or --journal, not both");
  if (flags.journal) return [journalLines(since !== undefined ? { since } : {})];
  if (files.length === 0)
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      "no log to read: give files (e.g. teldoc logs /var/log/auth.log) or --journal",
    );
  const list: LineSource[] = [];
  for (const f of files) list.push(await fileLines(f));
  return list;
}

/** `teldoc logs`. Exit 0 when read (whatever the causes), 2 on a usage error. */
export async function runLogs(files: readonly string[], flags: LogsFlags): Promise<number> {
  const since =
    flags.since !== undefined ? Date.now() - parsePeriod(flags.since, "--since") : undefined;
  const matcher =
    flags.trace !== undefined ? new TraceMatcher(loadClientTrace(flags.trace)) : undefined;
  const srcs = await sources(files, flags, since);
  let n = 0;
  if (flags.json) process.stdout.write('{"sessions":[');
  const onSession = (s: ServerSession) => {
    matcher?.offer(s);
    if (flags.json) return out(`${n++ === 0 ? "\n" : ",\n"}${JSON.stringify(s)}`);
    if (!flags.quiet) return out(sessionText(s));
    return undefined;
  };
  const totals = await analyzeLogs(
    srcs,
    {
      ...(since !== undefined ? { since } : {}),
      ...(flags.client !== undefined ? { client: flags.client } : {}),
    },
    onSession,
  );
  const match = matcher?.result();
  if (flags.json) {
    const { unparsedExamples, ms: _ms, sessions: _n, ...rest } = totals;
    const tail = { ...rest, unparsedExamples, ...(match ? { trace: match } : {}) };
    await out(`${n > 0 ? "\n" : ""}],${JSON.stringify(tail).slice(1)}\n`);
  } else {
    const zone = process.env["TZ"] || Intl.DateTimeFormat().resolvedOptions().timeZone;
    await out(totalsText(totals, zone));
    if (match) await out(traceText(match));
  }
  return 0;
}
