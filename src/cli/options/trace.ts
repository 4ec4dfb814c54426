/** @module `teldoc trace show|diagnose FILE`: their options and help. */
import { DEFAULT_GAP_MS } from "../../trace/show.js";
import { type GlobalFlags, jsonOption } from "./common.js";
import { type CommandSpec, durationFlag, type FlagsOf } from "./table.js";

export const TRACE = {
  name: "trace",
  description: "work with a trace saved by connect --trace",
  options: {},
} as const satisfies CommandSpec;

const TRACE_FILE = [{ name: "<file>", help: "a JSON Lines file written by connect --trace" }];

const TRACE_SHOW_OPTIONS = {
  raw: { flags: "--raw", help: "also show every raw read and write" },
  gap: {
    flags: "--gap <dur>",
    help: "mark silences at least this long",
    default: durationFlag(DEFAULT_GAP_MS),
  },
} as const;

export type TraceShowFlags = FlagsOf<typeof TRACE_SHOW_OPTIONS> & GlobalFlags;

export const TRACE_SHOW = {
  name: "show",
  description: "render a trace as a timeline: both directions, decoded options, silences marked",
  arguments: TRACE_FILE,
  options: TRACE_SHOW_OPTIONS,
} as const satisfies CommandSpec;

const TRACE_DIAGNOSE_OPTIONS = { json: jsonOption("print the end object as JSON") } as const;

export type TraceDiagnoseFlags = FlagsOf<typeof TRACE_DIAGNOSE_OPTIONS> & GlobalFlags;

export const TRACE_DIAGNOSE = {
  name: "diagnose",
  description: "run the diagnosis again on a saved trace",
  arguments: TRACE_FILE,
  options: TRACE_DIAGNOSE_OPTIONS,
} as const satisfies CommandSpec;
