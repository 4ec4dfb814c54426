/** @module `teldoc trace show|diagnose FILE`: a saved trace for people, or its diagnosis again. */
import { readFileSync } from "node:fs";
import { endEvent } from "../diagnosis/index.js";
import { TeldocError } from "../errors.js";
import { decodeTrace } from "../trace/decode.js";
import { encodeEvent } from "../trace/jsonl.js";
import { showTrace } from "../trace/show.js";
import { parseDuration } from "../util/duration.js";
import { classicLine, renderDiagnosis } from "./render.js";
import { colorFor, makeStyle } from "./style.js";

/** Warnings shown one by one before the rest are counted. */
const WARNINGS_SHOWN = 5;

/**
 * Read and check a trace file. A bad line is a usage error naming FILE:LINE and the field;
 * skipped lines (an unknown event type, a last line cut short) are warnings.
 */
function load(file: string) {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `cannot read ${file} (${code}): give the file written by --trace`,
    );
  }
  const trace = decodeTrace(text);
  const bad = trace.problems.filter((p) => p.fatal);
  if (bad.length > 0) {
    const more =
      bad.length > 1 ? ` (and ${bad.length - 1} more bad line${bad.length > 2 ? "s" : ""})` : "";
    throw new TeldocError(
      "TELDOC_ERR_BAD_TRACE",
      `${file}:${bad[0].line}: ${bad[0].problem}${more}`,
    );
  }
  const skipped = trace.problems;
  for (const p of skipped.slice(0, WARNINGS_SHOWN))
    process.stderr.write(`teldoc: warning: ${file}:${p.line}: ${p.problem}\n`);
  if (skipped.length > WARNINGS_SHOWN)
    process.stderr.write(
      `teldoc: warning: ${file}: ${skipped.length - WARNINGS_SHOWN} more lines skipped\n`,
    );
  if (trace.events.length === 0) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `${file} holds no trace events: it is not a file written by teldoc connect --trace`,
    );
  }
  return trace;
}

export function runTraceShow(file: string, opts: { raw?: boolean; gap?: string }): number {
  const gapMs = opts.gap === undefined ? undefined : parseDuration(opts.gap, "--gap");
  const trace = load(file);
  const last = trace.events[trace.events.length - 1].t;
  const end = trace.end ?? endEvent(trace.events, last);
  process.stdout.write(`${showTrace(trace.events, end, { raw: opts.raw, gapMs }).join("\n")}\n`);
  return 0;
}

export function runTraceDiagnose(
  file: string,
  opts: { json?: boolean; color?: boolean; verbose?: boolean },
): number {
  const trace = load(file);
  const end = endEvent(trace.events, trace.end?.t ?? trace.events[trace.events.length - 1].t);
  if (opts.json) process.stdout.write(encodeEvent(end));
  else {
    const style = makeStyle(colorFor(process.stdout, opts.color));
    process.stdout.write(`${classicLine(end)}\n${renderDiagnosis(end, style, opts.verbose)}`);
  }
  return ["logout", "local-close"].includes(end.diagnosis.cause) ? 0 : 1;
}
