/** @module Text renderings of a session's end: the classic client's line and the diagnosis block. */
import type { EndEvent } from "../trace/events.js";
import { formatMs } from "../util/duration.js";
import type { Style } from "./style.js";

/** What the classic telnet client would print for this ending. */
export function classicLine(end: EndEvent): string {
  const host = end.target.host;
  switch (end.transport) {
    case "dns":
      return `telnet: could not resolve ${host}/${end.target.port}: Name or service not known`;
    case "refused":
      return "telnet: Unable to connect to remote host: Connection refused";
    case "unreachable":
      return "telnet: Unable to connect to remote host: No route to host";
    case "timeout":
      // After connect, a timeout means we gave up on a dead path and closed it ourselves.
      return end.phase === "connect"
        ? "telnet: Unable to connect to remote host: Connection timed out"
        : "Connection closed.";
    case "local-error":
      return end.phase === "connect"
        ? "telnet: Unable to connect to remote host"
        : "Connection closed.";
    case "local-close":
      return "Connection closed.";
    case "unknown":
      // A saved trace that stops before the end: no line, for no ending was seen.
      return "(the trace ends here: no close was recorded)";
    default:
      return "Connection closed by foreign host.";
  }
}

/** The diagnosis block printed under the classic line. */
export function renderDiagnosis(end: EndEvent, style: Style, verbose = false): string {
  const d = end.diagnosis;
  const ok = d.cause === "logout" || d.cause === "local-close" || d.cause === "healthy";
  const head = ok ? style.green : style.red;
  const lines = [
    "",
    `${head(style.bold(`teldoc: ${d.cause}`))} ${style.dim(`(confidence ${Math.round(d.confidence * 100)}%)`)}`,
    `  ${d.summary}`,
  ];
  const evidence = verbose ? d.evidence : d.evidence.slice(0, 4);
  if (evidence.length > 0) {
    lines.push(style.bold("  Evidence:"));
    for (const e of evidence) lines.push(`    - ${e}`);
  }
  if (d.advice.length > 0) {
    lines.push(style.bold("  What to do:"));
    for (const a of d.advice) lines.push(`    - ${a}`);
  }
  if (verbose && d.alternatives.length > 0) {
    const alt = d.alternatives
      .map((a) => `${a.cause} ${Math.round(a.confidence * 100)}%`)
      .join(", ");
    lines.push(style.dim(`  Also possible: ${alt}`));
  }
  const where = end.target.address ? ` (${end.target.address})` : "";
  lines.push(
    style.dim(
      `  ${end.target.host}${where} port ${end.target.port}: ${end.phase} phase, ${formatMs(end.durationMs)}, ${end.bytesIn} bytes in, ${end.bytesOut} out`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
