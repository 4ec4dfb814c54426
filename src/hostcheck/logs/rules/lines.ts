/** @module What the rules ask of a session's lines: where the first or last line of a kind is. */
import { formatMs } from "../../../util/duration.js";
import type { LogEvent, LogEventKind, SessionFacts } from "../types.js";

/** Index of the first line whose event is one of `kinds`, or -1. */
export function first(f: SessionFacts, ...kinds: LogEventKind[]): number {
  return f.lines.findIndex((l) => kinds.includes(l.event.kind));
}

/** Index of the last line whose event is one of `kinds`, or -1. */
export function last(f: SessionFacts, ...kinds: LogEventKind[]): number {
  for (let i = f.lines.length - 1; i >= 0; i--)
    if (kinds.includes(f.lines[i]!.event.kind)) return i;
  return -1;
}

/** Every line index whose event is one of `kinds`. */
export function all(f: SessionFacts, ...kinds: LogEventKind[]): number[] {
  return f.lines.flatMap((l, i) => (kinds.includes(l.event.kind) ? [i] : []));
}

/** The event of line `i`, narrowed to `kind`. */
export function eventAt<K extends LogEventKind>(
  f: SessionFacts,
  i: number,
  kind: K,
): Extract<LogEvent, { kind: K }> | undefined {
  const e = f.lines[i]?.event;
  return e?.kind === kind ? (e as Extract<LogEvent, { kind: K }>) : undefined;
}

/** How long the session lasted, for people; xinetd's own `duration=` when it logged one. */
export function lasted(f: SessionFacts): string {
  const exit = eventAt(f, last(f, "xinetd-exit"), "xinetd-exit");
  if (exit?.durationS !== undefined) return `${exit.durationS} s`;
  return formatMs(f.end - f.start);
}

/** Seconds the session lasted (xinetd's duration when it logged one). */
export function seconds(f: SessionFacts): number {
  const exit = eventAt(f, last(f, "xinetd-exit"), "xinetd-exit");
  return exit?.durationS ?? (f.end - f.start) / 1000;
}

/** True when a line says the user got in (login, PAM session, sshd Accepted). */
export function loggedIn(f: SessionFacts): number {
  return first(f, "login-ok", "pam-session-open", "ssh-accepted");
}
