/**
 * @module Log files as batches of lines, streamed: a plain or gzip-rotated file (`auth.log.2.gz`,
 * told by its magic bytes, not its name) read in 1 MiB chunks and split on newlines, so memory
 * stays bounded whatever the size. A line longer than MAX_LINE_CHARS is cut there.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";
import { TeldocError } from "../../errors.js";

/** The longest line kept whole; the rest of it is dropped (a log line is rarely 8 KiB). */
export const MAX_LINE_CHARS = 65_536;

/** A source of lines: a name for evidence, batches of lines, the reference time for the year. */
export interface LineSource {
  readonly name: string;
  /** The time the log was last written (its mtime; now for the journal): year.ts's reference. */
  readonly reference: number;
  readonly batches: AsyncIterable<string[]>;
}

/**
 * Split a stream of text chunks into batches of lines (without `\n` or a final `\r`).
 * @example for await (const batch of splitLines(stream)) count += batch.length;
 */
export async function* splitLines(input: AsyncIterable<Buffer | string>): AsyncGenerator<string[]> {
  const decoder = new StringDecoder("utf8");
  let rest = "";
  for await (const chunk of input) {
    const text = rest + (typeof chunk === "string" ? chunk : decoder.write(chunk));
    const lines = text.split("\n");
    rest = lines.pop()!;
    if (rest.length > MAX_LINE_CHARS) rest = rest.slice(0, MAX_LINE_CHARS);
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!;
      if (l.endsWith("\r")) lines[i] = l.slice(0, -1);
      if (l.length > MAX_LINE_CHARS) lines[i] = l.slice(0, MAX_LINE_CHARS);
    }
    if (lines.length > 0) yield lines;
  }
  rest += decoder.end();
  if (rest !== "") yield [rest.endsWith("\r") ? rest.slice(0, -1) : rest];
}

/** True when the file starts with gzip's magic bytes (1f 8b). */
async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, "r");
  try {
    const { buffer, bytesRead } = await fh.read(Buffer.alloc(2), 0, 2, 0);
    return bytesRead === 2 && buffer[0] === 0x1f && buffer[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * A log file as a line source; a missing or unreadable file is a usage error naming it.
 * `reference` replaces the file's mtime as the year's reference (tests; a copied file).
 * @example const src = await fileLines("/var/log/auth.log.2.gz");
 */
export async function fileLines(
  path: string,
  options: { readonly reference?: number } = {},
): Promise<LineSource> {
  let mtime: number;
  let gzip: boolean;
  try {
    const st = await stat(path);
    if (st.isDirectory()) throw Object.assign(new Error("is a directory"), { code: "EISDIR" });
    mtime = st.mtimeMs;
    gzip = await isGzip(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new TeldocError("TELDOC_ERR_USAGE", `cannot read ${path} (${code}): give a log file`);
  }
  const raw = createReadStream(path, { highWaterMark: 1 << 20 });
  const stream: Readable = gzip ? raw.pipe(createGunzip()) : raw;
  if (gzip) raw.on("error", (e) => stream.destroy(e));
  return {
    name: path,
    reference: options.reference ?? mtime,
    batches: guarded(path, splitLines(stream)),
  };
}

/** Turn a read or gunzip error mid-file into a TeldocError naming the file. */
async function* guarded(path: string, batches: AsyncIterable<string[]>): AsyncGenerator<string[]> {
  try {
    yield* batches;
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new TeldocError(
      "TELDOC_ERR_USAGE",
      `${path}: cannot read it to the end (${e.code ?? e.message})`,
    );
  }
}
