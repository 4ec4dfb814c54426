/**
 * @module Test support: readable transcripts of parser events, chunking helpers and the golden
 * file format (`<` lines: input bytes in hex; `>` lines: expected transcript; `#` comments).
 */
import { optionName } from "../constants.js";
import type { TelnetEvent } from "../events.js";
import { type ParserOptions, TelnetParser } from "../parser.js";

/** Join adjacent data events, so transcripts do not depend on chunking. */
export function normalize(events: readonly TelnetEvent[]): TelnetEvent[] {
  const out: TelnetEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e.type === "data" && last?.type === "data") {
      out[out.length - 1] = { type: "data", data: Buffer.concat([last.data, e.data]) };
    } else if (e.type !== "data" || e.data.length > 0) {
      out.push(e);
    }
  }
  return out;
}

/** One line per event: `data "text"`, `WILL ECHO`, `SB TTYPE 01`, `NOP`, `error CODE`. */
export function transcript(events: readonly TelnetEvent[]): string[] {
  return normalize(events).map((e) => {
    switch (e.type) {
      case "data":
        return `data ${quote(e.data)}`;
      case "command":
        return e.command;
      case "option":
        return `${e.verb} ${optionName(e.option)}`;
      case "subneg":
        return `SB ${optionName(e.option)} ${e.data.toString("hex").replace(/(..)(?!$)/g, "$1 ")}`.trimEnd();
      default:
        return `error ${e.code}`;
    }
  });
}

/** Split `bytes` into chunks at the given cut points (sorted, deduplicated, inside the range). */
export function splitAt(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    out.push(bytes.subarray(prev, p));
    prev = p;
  }
  out.push(bytes.subarray(prev));
  return out;
}

/** Split into chunks of `size` bytes. */
export function chunksOf(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return out.length > 0 ? out : [bytes];
}

/** Parse the chunks with one parser (copies each chunk first, as a socket would hand them over). */
export function parseChunks(chunks: readonly Buffer[], options?: ParserOptions): TelnetEvent[] {
  const p = new TelnetParser(options);
  const events: TelnetEvent[] = [];
  for (const c of chunks) events.push(...p.feed(Buffer.from(c)));
  return events;
}

export interface GoldenCase {
  readonly name: string;
  readonly input: Buffer;
  readonly expected: string[];
  readonly binary: boolean;
}

/** Read a golden file. A `binary` line switches the parser to BINARY mode. */
export function parseGolden(name: string, text: string): GoldenCase {
  const hex: string[] = [];
  const expected: string[] = [];
  let binary = false;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    if (line === "binary") binary = true;
    else if (line.startsWith("<")) hex.push(line.slice(1).replace(/\s+/g, ""));
    else if (line.startsWith(">")) expected.push(line.slice(1).trim());
    else throw new Error(`${name}: a line must start with <, > or #: ${line}`);
  }
  return { name, input: Buffer.from(hex.join(""), "hex"), expected, binary };
}

/** JSON-style quoting of bytes as latin1, with every byte outside printable ASCII as \uXXXX. */
function quote(bytes: Buffer): string {
  return JSON.stringify(bytes.toString("latin1")).replace(
    /[\u007f-\u00ff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
