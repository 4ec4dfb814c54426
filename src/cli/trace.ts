/** @module `teldoc trace show|diagnose FILE`: a saved trace for people, or its diagnosis again. */
import { readFileSync } from "node:fs";
import { endEvent } from "../diagnosis/index.js";
import { TeldocError } from "../errors.js";
import { decodeTrace, encodeEvent } from "../trace/jsonl.js";
import { showTrace } from "../trace/show.js";
import { parseDuration } from "../util/duration.js";
import { classicLine, renderDiagnosis } from "./render.js";
import { colorFor, makeStyle } from "./style.js";

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
  if (trace.events.length === 0) {
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `${file} holds no trace events: it is not a file written by teldoc connect --trace`,
    );
  }
  for (const p of trace.problems.slice(0, 5))
    process.stderr.write(`teldoc: ${file}:${p.line}: skipped, ${p.problem}\n`);
  if (trace.problems.length > 5)
    process.stderr.write(`teldoc: ${file}: ${trace.problems.length - 5} more lines skipped\n`);
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
