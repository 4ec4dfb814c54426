// Parser throughput: teldoc's parser (through bench/parser-adapter.mjs) next to a bare
// Buffer.indexOf(0xff) scan and the npm package telnet-stream, over the same 16 KiB chunks, in
// interleaved rounds; medians and ratios of this one run.
import { createRequire } from "node:module";
import parse from "./parser-adapter.mjs";
import { loadWorkloads } from "./workloads.mjs";

const require = createRequire(import.meta.url);
const { TelnetInput } = require("telnet-stream");

function scan(chunks) {
  let hits = 0;
  for (const c of chunks) {
    for (let i = c.indexOf(0xff); i !== -1; i = c.indexOf(0xff, i + 1)) hits++;
  }
  return hits;
}

function telnetStream(chunks) {
  return new Promise((resolve, reject) => {
    const input = new TelnetInput({ bufferSize: 64 * 1024 });
    let dataBytes = 0;
    input.on("data", (d) => {
      dataBytes += d.length;
    });
    input.on("error", reject);
    input.on("end", () => resolve(dataBytes));
    for (const c of chunks) input.write(c);
    input.end();
  });
}

async function seconds(fn) {
  const t0 = process.hrtime.bigint();
  const result = await fn();
  return { s: Number(process.hrtime.bigint() - t0) / 1e9, result };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs the parser suite; returns { plain: {...}, binary: {...}, dense: {...} }. */
export async function benchParser({ rounds = 7, log = () => {} } = {}) {
  const out = {};
  for (const w of loadWorkloads()) {
    const mb = w.bytes.length / 1e6;
    const teldoc = [];
    const indexOf = [];
    const ts = [];
    let dataBytes = 0;
    for (let r = 0; r < rounds; r++) {
      const a = await seconds(() => parse(w.chunks));
      teldoc.push(mb / a.s);
      dataBytes = a.result.dataBytes;
      indexOf.push(mb / (await seconds(() => scan(w.chunks))).s);
      if (r < 3) ts.push(mb / (await seconds(() => telnetStream(w.chunks))).s);
    }
    const m = median(teldoc);
    out[w.name] = {
      mbps: Math.round(m),
      indexOfMbps: Math.round(median(indexOf)),
      telnetStreamMbps: Math.round(median(ts)),
      vsIndexOf: Number((m / median(indexOf)).toFixed(3)),
      vsTelnetStream: Number((m / median(ts)).toFixed(2)),
      dataBytesOk: dataBytes === w.expect.dataBytes,
    };
    log(`parser ${w.name}: ${JSON.stringify(out[w.name])}`);
  }
  return out;
}
