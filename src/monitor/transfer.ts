/**
 * @module `monitor export` / `monitor import`: samples as the contract's JSON Lines, for backups
 * and for moving from SQLite to PostgreSQL. Export writes exactly the contract's sample shape,
 * keys in the contract's order; import reads with `parseSampleLine` (the one decoder of outside
 * samples) and writes in batches. Export then import round-trips exactly: the stores keep every
 * number bit for bit.
 */
import { parseSampleLine, type Sample } from "./sample.js";
import { orderedSample } from "./store/sample-order.js";
import type { SampleQuery, Store } from "./store/types.js";

/**
 * Write every sample `query` selects, in the store's order, one JSON line each (the string
 * passed to `write` ends with "\n"). Returns how many.
 * @example await exportSamples(store, { since }, (line) => out.write(line));
 */
export async function exportSamples(
  store: Store,
  query: SampleQuery,
  write: (line: string) => void | Promise<void>,
): Promise<number> {
  let n = 0;
  for await (const s of store.samples(query)) {
    const pending = write(`${JSON.stringify(orderedSample(s))}\n`);
    if (pending) await pending;
    n++;
  }
  return n;
}

export interface ImportOptions {
  /** Samples per `write` (one transaction each); default 1000. */
  readonly batch?: number;
}

/**
 * Read JSON Lines samples from `lines` (blank lines skipped) into `store`, `batch` at a time.
 * The first bad line stops the import with TELDOC_ERR_BAD_SAMPLE naming `where:LINE` and the
 * field; the batches before it are already written (importing the fixed file again adds
 * only what is missing: a store keeps a sample once). Returns how many samples were read.
 * @example await importSamples(store, readline.createInterface({ input }), "backup.jsonl");
 */
export async function importSamples(
  store: Store,
  lines: AsyncIterable<string>,
  where: string,
  options: ImportOptions = {},
): Promise<number> {
  const size = Math.max(1, options.batch ?? 1000);
  let batch: Sample[] = [];
  let lineNo = 0;
  let count = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === "") continue;
    batch.push(parseSampleLine(line, `${where}:${lineNo}`));
    if (batch.length >= size) {
      await store.write(batch);
      count += batch.length;
      batch = [];
    }
  }
  if (batch.length > 0) await store.write(batch);
  return count + batch.length;
}
