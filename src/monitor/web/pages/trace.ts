/**
 * @module A kept trace for people: the same timeline `teldoc trace show` prints (trace/show.ts),
 * escaped into a <pre>, with the diagnosis at its end and the link to download the JSON Lines.
 */
import { endEvent } from "../../../diagnosis/index.js";
import { decodeTrace } from "../../../trace/decode.js";
import { showTrace } from "../../../trace/show.js";
import type { KeptTrace } from "../../store/types.js";
import { type Html, hrefOf, html, targetPath } from "../html.js";
import { page, utc } from "./layout.js";

/** The timeline lines of a kept trace (problems in it are said, not thrown). */
export function traceLines(jsonl: string): string[] {
  const trace = decodeTrace(jsonl);
  const problems = trace.problems.map((p) => `line ${p.line}: ${p.problem}`);
  if (trace.events.length === 0) return ["(this trace holds no events)", ...problems];
  const last = trace.events[trace.events.length - 1]!.t;
  const end = trace.end ?? endEvent(trace.events, last);
  return [...showTrace(trace.events, end), ...(problems.length ? ["", ...problems] : [])];
}

/** The page of one kept trace. */
export function traceHtml(k: KeptTrace, t: number): Html {
  const back = hrefOf(targetPath(k.target), { vantage: k.vantage });
  const download = hrefOf(targetPath(k.target, `/trace/${t}.jsonl`), { vantage: k.vantage });
  return page({
    title: `${k.target}: trace of ${utc(t)}`,
    body: html`<h1>Trace of ${k.target} from ${k.vantage}, ${utc(t)}</h1>
<p><a href="${back}">Back to ${k.target}</a> · <a href="${download}" download>Download the trace (.jsonl)</a> — <code>teldoc trace show FILE</code> prints the same.</p>
<pre class="trace">${traceLines(k.jsonl).join("\n")}</pre>`,
  });
}
