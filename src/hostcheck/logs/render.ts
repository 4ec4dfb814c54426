/**
 * @module `teldoc logs` for people: one block per session (when, who, cause, why, the key line),
 * then the totals by cause and by client. Times are the machine's local time, as the logs
 * without a zone are read.
 */
import type { LogTotals } from "./analyze.js";
import type { TraceMatch } from "./trace-match.js";
import type { ServerSession } from "./types.js";

const CLIENTS_SHOWN = 20;

const pad = (n: number) => String(n).padStart(2, "0");

/** `2026-11-30 14:00:01` in local time. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/**
 * One session as a few lines of text.
 * @example sessionText(s) // "2026-11-30 14:00:01  10.0.0.9  acl-rejected (0.95)  telnet/telnet\n  xinetd refused it..."
 */
export function sessionText(s: ServerSession): string {
  const who = [
    `${s.protocol}${s.service ? `/${s.service}` : ""}`,
    ...(s.pid !== null ? [`pid ${s.pid}`] : []),
    ...(s.user !== null ? [`user ${s.user}`] : []),
  ].join(" ");
  return [
    `${localTime(s.start)}  ${s.client ?? "(client unknown)"}  ${s.cause} (${s.confidence})  ${who}`,
    `  ${s.summary}`,
    `  > ${s.key.file}:${s.key.line}  ${s.key.text}`,
    "",
  ].join("\n");
}

function causes(byCause: Partial<Record<string, number>>): string {
  return Object.entries(byCause)
    .sort((a, b) => (b[1] ?? 0) - (a[1] ?? 0) || a[0].localeCompare(b[0]))
    .map(([c, n]) => `${c} ${n}`)
    .join(", ");
}

/**
 * The totals under the sessions: counts by cause and by client, lines read, speed, the zone.
 * @example totalsText(totals, "Europe/Paris").split("\n")[0] // "7 session(s) ..."
 */
export function totalsText(t: LogTotals, zone: string): string {
  const out = [
    `${t.sessions} session(s); ${t.lines} line(s) read in ${(t.ms / 1000).toFixed(2)} s (${t.linesPerSecond} lines/s): ${t.unparsed} not understood, ${t.ignored} of other programs${t.skipped > 0 ? `, ${t.skipped} before --since` : ""}`,
  ];
  if (t.sessions > 0) out.push(`by cause: ${causes(t.byCause)}`);
  const clients = Object.entries(t.byClient).sort((a, b) => b[1].sessions - a[1].sessions);
  if (clients.length > 0) out.push("by client:");
  for (const [client, c] of clients.slice(0, CLIENTS_SHOWN))
    out.push(`  ${client}: ${c.sessions} (${causes(c.byCause)})`);
  if (clients.length > CLIENTS_SHOWN) out.push(`  ... and ${clients.length - CLIENTS_SHOWN} more`);
  for (const e of t.unparsedExamples) out.push(`not understood: ${e.file}:${e.line}: ${e.text}`);
  out.push(`Times are local time (${zone}); log lines without a zone are read as local time.`);
  return `${out.join("\n")}\n`;
}

/** The `--trace` answer: the client's diagnosis next to the server's session. */
export function traceText(m: TraceMatch): string {
  const out = [`trace ${m.trace.file}: ${m.verdict}`];
  if (m.trace.connectedAt !== null)
    out.push(
      `  client ${m.trace.client} connected at ${localTime(m.trace.connectedAt)} (time from the trace file's mtime)`,
    );
  if (m.session && m.skewMs !== null) {
    out.push(
      `  server session at ${localTime(m.session.start)}: clock skew ${(m.skewMs / 1000).toFixed(1)} s (tolerance ±${m.toleranceMs / 1000} s)`,
    );
    out.push(`  > ${m.session.key.file}:${m.session.key.line}  ${m.session.key.text}`);
  }
  return `${out.join("\n")}\n`;
}
