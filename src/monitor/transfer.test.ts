import assert from "node:assert/strict";
import { test } from "node:test";
import { history } from "../testing/monitor-samples.js";
import { collect, inStoreOrder, oddSamples } from "../testing/store-cases.js";
import { CAUSE_NAMES } from "./sample.js";
import { openStore } from "./store/open.js";
import { exportSamples, importSamples } from "./transfer.js";

const T0 = Date.UTC(2026, 10, 30, 14, 0, 0);

async function* from(lines: readonly string[]): AsyncIterable<string> {
  yield* lines;
}

async function exported(store: Awaited<ReturnType<typeof openStore>>): Promise<string> {
  let out = "";
  await exportSamples(store, {}, (line) => {
    out += line;
  });
  return out;
}

test("export writes the contract's sample, keys in the contract's order", async () => {
  const store = await openStore("sqlite::memory:");
  try {
    await store.write(oddSamples());
    const lines = (await exported(store)).trimEnd().split("\n");
    assert.equal(lines.length, oddSamples().length);
    const keys = Object.keys(JSON.parse(lines[0]!));
    assert.deepEqual(keys, [
      "t",
      "vantage",
      "target",
      "host",
      "port",
      "level",
      "ok",
      "cause",
      "stage",
      "connects",
      "timings",
      "durationMs",
      "evidence",
    ]);
    assert.deepEqual(Object.keys(JSON.parse(lines[0]!).connects), ["sent", "answered", "rttMs"]);
    assert.ok(CAUSE_NAMES.includes(JSON.parse(lines[0]!).cause));
    assert.equal(JSON.parse(lines[1]!).skipped, true);
  } finally {
    await store.close();
  }
});

test("export → import → export is identical, in batches, blank lines skipped", async () => {
  const a = await openStore("sqlite::memory:");
  const b = await openStore("sqlite::memory:");
  try {
    const samples = [...oddSamples(), ...history({ targets: ["x", "y"], start: T0, rounds: 700 })];
    await a.write(samples);
    const text = await exported(a);
    const lines = text.split("\n");
    lines.splice(5, 0, "", "   ");
    assert.equal(
      await importSamples(b, from(lines), "backup.jsonl", { batch: 97 }),
      samples.length,
    );
    assert.equal(await exported(b), text);
    assert.deepEqual(await collect(b.samples()), inStoreOrder(samples));
  } finally {
    await a.close();
    await b.close();
  }
});

test("import stops at the first bad line, naming it", async () => {
  const store = await openStore("sqlite::memory:");
  try {
    const good = (await exportOf(oddSamples().slice(0, 2))).trimEnd().split("\n");
    const bad = JSON.stringify({ ...JSON.parse(good[0]!), port: 0 });
    await assert.rejects(
      importSamples(store, from([good[0]!, "", bad, good[1]!]), "in.jsonl"),
      (e: Error & { code?: string }) => {
        assert.equal(e.code, "TELDOC_ERR_BAD_SAMPLE");
        assert.match(e.message, /^in\.jsonl:3: /);
        return true;
      },
    );
    await assert.rejects(importSamples(store, from(["{"]), "stdin"), {
      code: "TELDOC_ERR_BAD_SAMPLE",
    });
  } finally {
    await store.close();
  }
});

async function exportOf(samples: Parameters<Awaited<ReturnType<typeof openStore>>["write"]>[0]) {
  const s = await openStore("sqlite::memory:");
  try {
    await s.write(samples);
    return await exported(s);
  } finally {
    await s.close();
  }
}
