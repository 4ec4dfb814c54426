/**
 * @module Test support: a child process that writes monitor samples to a SQLite store in
 * batches and prints "acked N" (N samples in total) each time a `write()` resolved, until it
 * is killed. sqlite-crash.test.ts kills it with SIGKILL mid-way and checks every acked sample
 * is in the database. Usage: node store-crash-writer.js URL
 */
import { openStore } from "../monitor/store/open.js";
import { history } from "./monitor-samples.js";

const url = process.argv[2];
if (!url) throw new Error("usage: store-crash-writer URL");
const store = await openStore(url);
const targets = Array.from({ length: 20 }, (_, i) => `sw${i}`);
let acked = 0;
for (let round = 0; ; round++) {
  const batch = history({
    targets,
    start: Date.UTC(2026, 0, 1) + round * 50 * 60_000,
    rounds: 50,
    seed: round + 1,
  });
  await store.write(batch);
  acked += batch.length;
  process.stdout.write(`acked ${acked}\n`);
}
