// `npm run bench [-- --json]`: every benchmark suite; ratios are measured in the same run.
import { benchParser } from "./parser.mjs";

const json = process.argv.includes("--json");
const log = json ? () => {} : (line) => process.stdout.write(`${line}\n`);

const results = { node: process.version, parser: await benchParser({ log }) };

if (json) {
  process.stdout.write(`${JSON.stringify(results)}\n`);
} else {
  const goals = {
    plain: ["vsIndexOf", 0.3],
    binary: ["vsIndexOf", 0.35],
    dense: ["vsTelnetStream", 4],
  };
  log(
    "\nworkload  teldoc MB/s  indexOf MB/s  telnet-stream MB/s  vs indexOf  vs telnet-stream  goal",
  );
  for (const [name, r] of Object.entries(results.parser)) {
    const [key, goal] = goals[name];
    const met = r[key] >= goal && r.dataBytesOk ? "met" : "MISSED";
    log(
      `${name.padEnd(8)}  ${String(r.mbps).padStart(11)}  ${String(r.indexOfMbps).padStart(12)}  ${String(r.telnetStreamMbps).padStart(18)}  ${r.vsIndexOf.toFixed(3).padStart(10)}  ${r.vsTelnetStream.toFixed(2).padStart(16)}  ${key} >= ${goal}: ${met}`,
    );
  }
}
