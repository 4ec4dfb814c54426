/**
 * @module A line source → the lines that matter, in time order, with their evidence; the rest
 * counted: lines no envelope reads (`unparsed`), lines of our programs no parser knows (also
 * `unparsed`), lines of other programs (`ignored`), lines before `--since` (`skipped`).
 * Several sources are merged by time, so a session's xinetd, telnetd and login lines from
 * different files meet.
 */
import { parseEnvelope, yearGuesser } from "./envelope/index.js";
import type { LineSource } from "./lines.js";
import { parseMessage } from "./parsers/index.js";
import type { Evidence, SessionLine } from "./types.js";

/** What was read, counted. */
export interface LineCounts {
  lines: number;
  unparsed: number;
  ignored: number;
  skipped: number;
  /** The first few unparsed lines, to show where the reader stumbled. */
  readonly unparsedExamples: Evidence[];
}

const EXAMPLES = 5;

export function newCounts(): LineCounts {
  return { lines: 0, unparsed: 0, ignored: 0, skipped: 0, unparsedExamples: [] };
}

function unparsed(counts: LineCounts, at: Evidence): void {
  counts.unparsed++;
  if (counts.unparsedExamples.length < EXAMPLES) counts.unparsedExamples.push(at);
}

/** One source's lines that matter, in batches. */
async function* sourceLines(
  src: LineSource,
  counts: LineCounts,
  since: number | undefined,
): AsyncGenerator<SessionLine[]> {
  const ctx = { yearFor: yearGuesser(src.reference) };
  let n = 0;
  for await (const batch of src.batches) {
    const out: SessionLine[] = [];
    for (const text of batch) {
      n++;
      if (text === "" || text.trim() === "") continue;
      counts.lines++;
      const rec = parseEnvelope(text, ctx);
      if (!rec) {
        unparsed(counts, { file: src.name, line: n, text });
        continue;
      }
      if (since !== undefined && rec.time < since) {
        counts.skipped++;
        continue;
      }
      const p = parseMessage(rec.program, rec.message);
      if ("event" in p)
        out.push({
          time: rec.time,
          program: rec.program,
          pid: rec.pid,
          event: p.event,
          at: { file: src.name, line: n, text },
        });
      else if ("unknown" in p) unparsed(counts, { file: src.name, line: n, text });
      else if ("ignored" in p) counts.ignored++;
    }
    if (out.length > 0) yield out;
  }
}

/** A cursor over one source's batches. */
interface Cursor {
  readonly it: AsyncIterator<SessionLine[]>;
  batch: SessionLine[];
  i: number;
}

async function refill(c: Cursor): Promise<boolean> {
  while (c.i >= c.batch.length) {
    const r = await c.it.next();
    if (r.done) return false;
    c.batch = r.value;
    c.i = 0;
  }
  return true;
}

/**
 * Every source's lines that matter, merged in time order (each source is taken as being in
 * time order already, as logs are).
 * @example for await (const batch of mergedLines(sources, counts)) for (const l of batch) grouper.add(l);
 */
export async function* mergedLines(
  sources: readonly LineSource[],
  counts: LineCounts,
  since?: number,
): AsyncGenerator<SessionLine[]> {
  if (sources.length === 1) {
    yield* sourceLines(sources[0]!, counts, since);
    return;
  }
  let live: Cursor[] = sources.map((s) => ({
    it: sourceLines(s, counts, since)[Symbol.asyncIterator](),
    batch: [],
    i: 0,
  }));
  const out: SessionLine[] = [];
  for (;;) {
    const ok = await Promise.all(live.map(refill));
    live = live.filter((_, k) => ok[k]);
    if (live.length === 0) break;
    // Take from the earliest cursor until one runs dry (then refill all).
    for (;;) {
      let min: Cursor | undefined;
      for (const c of live) if (!min || c.batch[c.i]!.time < min.batch[min.i]!.time) min = c;
      out.push(min!.batch[min!.i++]!);
      if (min!.i >= min!.batch.length) break;
    }
    if (out.length >= 1024) yield out.splice(0);
  }
  if (out.length > 0) yield out;
}
