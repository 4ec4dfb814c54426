// Runs teldoc's real Telnet parser (built from src/ into dist/ by `npm run build`) over the
// chunks of one workload, as ../shared/bench/README.md specifies: default options (NVT mode,
// 64 KiB subnegotiation cap), consumed through the sink interface the session layer uses
// (data as ranges of the chunk), NULs dropped from CR NUL pairs added back to dataBytes.
import { readFileSync } from "node:fs";
import { TelnetParser } from "../dist/protocol/parser.js";

export const version = JSON.parse(
  readFileSync(new URL("../package.json", import.meta.url), "utf8"),
).version;

export default async function parse(chunks) {
  const parser = new TelnetParser();
  const c = { data: 0, dataBytes: 0, command: 0, option: 0, subneg: 0, sbBytes: 0, error: 0 };
  const verbs = { WILL: 0, WONT: 0, DO: 0, DONT: 0 };
  const commands = new Map();
  const sink = {
    data(_chunk, start, end) {
      c.data++;
      c.dataBytes += end - start;
    },
    command(name) {
      c.command++;
      commands.set(name, (commands.get(name) ?? 0) + 1);
    },
    option(verb) {
      c.option++;
      if (verb === "WILL") verbs.WILL++;
      else if (verb === "WONT") verbs.WONT++;
      else if (verb === "DO") verbs.DO++;
      else verbs.DONT++;
    },
    subneg(_option, payload) {
      c.subneg++;
      c.sbBytes += payload.length;
    },
    error() {
      c.error++;
    },
  };
  for (const chunk of chunks) parser.parse(chunk, sink);
  const events = {
    data: c.data,
    command: c.command,
    option: c.option,
    subneg: c.subneg,
    error: c.error,
    ...verbs,
    ...Object.fromEntries(commands),
  };
  return {
    dataBytes: c.dataBytes + parser.nulsDropped,
    sbBytes: c.sbBytes,
    errors: c.error,
    events,
  };
}
