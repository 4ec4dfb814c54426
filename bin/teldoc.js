#!/usr/bin/env node
// The teldoc command: loads the compiled CLI from dist/ (built by `npm install` or `npm run build`).
import { existsSync } from "node:fs";

const main = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(main)) {
  process.stderr.write("teldoc: not built yet; run `npm run build` in the teldoc folder first\n");
  process.exit(2);
}
// A reader that goes away (`teldoc ... | head`) ends the output, as with any Unix tool. A
// command that listens for it too (`demo`: to stop its servers first) ends on its own.
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (stream.listenerCount("error") > 1) return;
    if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
    throw err;
  });
}
const { run } = await import(main.href);
process.exitCode = await run(process.argv.slice(2));
