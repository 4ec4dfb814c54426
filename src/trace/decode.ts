/**
 * @module Read a JSON Lines trace (`--trace FILE`) for `trace show|diagnose`: every line is
 * checked against the schema (schema.ts) and a bad one is reported with its line number and
 * what is wrong (`data.text: expected a string, got a number`). Two things are skipped with a
 * warning, not refused: an event type this version does not know (a newer teldoc wrote it), and
 * a last line cut short (the file ends mid-line: the writer was killed or the disk filled).
 */
import type { z } from "zod";
import type { EndEvent, TraceEvent } from "./events.js";
import { EVENT_TYPES, endEventSchema, traceEventSchema } from "./schema.js";

/** One line the reader could not take as it is. */
export interface TraceProblem {
  /** 1-based line number in the file. */
  readonly line: number;
  /** What is wrong, for people: `data.text: expected a string, got a number`. */
  readonly problem: string;
  /** True when the file cannot be trusted; false for what is skipped (unknown type, cut last line). */
  readonly fatal: boolean;
}

export interface DecodedTrace {
  readonly events: TraceEvent[];
  readonly end: EndEvent | undefined;
  /** Lines that were not trace events, in file order. */
  readonly problems: readonly TraceProblem[];
}

type Line =
  | { readonly event: TraceEvent }
  | { readonly end: EndEvent }
  | { readonly problem: string; readonly fatal: boolean; readonly notJson?: true };

/** What a JSON value is, in words: "a number", "null", "an array". */
function kind(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  const t = typeof v;
  return t === "object" || t === "undefined" ? `an ${t}` : `a ${t}`;
}

/** A value as it appears in the file, cut short. */
function shown(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** `data.text`, `resolved.addresses[0].family`: where in the event the problem is. */
function where(type: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (at, key) => (typeof key === "number" ? `${at}[${key}]` : `${at}.${String(key)}`),
    type,
  );
}

function valueAt(obj: unknown, path: readonly PropertyKey[]): unknown {
  let v = obj;
  for (const key of path) v = v === null || typeof v !== "object" ? undefined : (v as never)[key];
  return v;
}

/** One zod issue as one clause: the field, what it must be, what it is. */
function describeIssue(type: string, issue: z.core.$ZodIssue, obj: unknown): string {
  const at = where(type, issue.path);
  const value = valueAt(obj, issue.path);
  switch (issue.code) {
    case "invalid_type": {
      const expected = issue.expected === "array" || issue.expected === "object" ? "an" : "a";
      const what = `${expected} ${issue.expected}`;
      return value === undefined
        ? `${at}: missing (expected ${what})`
        : `${at}: expected ${what}, got ${kind(value)}`;
    }
    case "invalid_value":
      return `${at}: expected ${issue.values.length > 1 ? "one of " : ""}${issue.values.map((x) => JSON.stringify(x)).join(", ")}, got ${shown(value)}`;
    case "invalid_format":
      return `${at}: expected ${issue.message}, got ${shown(value)}`;
    case "too_small":
      return `${at}: expected at least ${String(issue.minimum)}, got ${shown(value)}`;
    case "too_big":
      return `${at}: expected at most ${String(issue.maximum)}, got ${shown(value)}`;
    default:
      return `${at}: ${issue.message}`;
  }
}

/** One non-empty line: an event, the end object, or what is wrong with it. */
function decodeLine(line: string): Line {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch (err) {
    return { problem: `not JSON (${(err as Error).message})`, fatal: true, notJson: true };
  }
  if (typeof obj !== "object" || obj === null || Array.isArray(obj))
    return { problem: `not a trace event: expected an object, got ${kind(obj)}`, fatal: true };
  const type: unknown = (obj as { type?: unknown }).type;
  if (typeof type !== "string")
    return {
      problem:
        type === undefined
          ? 'not a trace event: "type" is missing'
          : `type: expected a string, got ${kind(type)}`,
      fatal: true,
    };
  if (!EVENT_TYPES.has(type))
    return {
      problem: `skipped: unknown event type ${shown(type)} (from a newer teldoc?)`,
      fatal: false,
    };
  if (type === "end") {
    const r = endEventSchema.safeParse(obj);
    return r.success
      ? { end: r.data }
      : { problem: describeIssue(type, r.error.issues[0], obj), fatal: true };
  }
  const r = traceEventSchema.safeParse(obj);
  return r.success
    ? { event: r.data }
    : { problem: describeIssue(type, r.error.issues[0], obj), fatal: true };
}

/**
 * Read a JSON Lines trace; bad lines are reported (with their numbers), never thrown.
 * @example decodeTrace('{"t":0,"type":"fin"}\n').events // [{ t: 0, type: "fin" }]
 */
export function decodeTrace(text: string): DecodedTrace {
  const events: TraceEvent[] = [];
  const problems: TraceProblem[] = [];
  let end: EndEvent | undefined;
  const lines = text.split("\n");
  // Without a final newline, the last line may be a write the writer never finished.
  const unfinished = text.endsWith("\n") ? -1 : lines.length - 1;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === "") continue;
    const r = decodeLine(line);
    if ("event" in r) events.push(r.event);
    else if ("end" in r) end = r.end;
    else if (r.notJson && i === unfinished)
      problems.push({
        line: i + 1,
        problem: "skipped: the last line is cut short (the file ends mid-line)",
        fatal: false,
      });
    else problems.push({ line: i + 1, problem: r.problem, fatal: r.fatal });
  }
  return { events, end, problems };
}
