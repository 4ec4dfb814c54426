/** The recorder's bounded log: what it keeps of a bulk transfer, and that silences survive. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { summarize } from "../diagnosis/index.js";
import { manualClock } from "../testing/manual-clock.js";
import { Recorder } from "./recorder.js";

test("a bulk run of incoming data merges into few events; bytes add up; the tail text is the last", () => {
  const clock = manualClock();
  const rec = new Recorder(clock);
  const seen: number[] = [];
  rec.subscribe((e) => seen.push(e.t));
  rec.emit({
    type: "connected",
    local: { address: "127.0.0.1", port: 1 },
    remote: { address: "127.0.0.1", port: 23 },
    family: 4,
    durationMs: 1,
  });
  let textBytes = 0;
  for (let i = 0; i < 10_000; i++) {
    clock.advance(1);
    const text = `chunk ${i} ${"x".repeat(990)}\n`;
    textBytes += text.length;
    rec.emit({ type: "read", bytes: 1000, hex: "41".repeat(1000) });
    rec.emit({ type: "data", dir: "in", text });
  }
  assert.equal(seen.length, 20_001, "subscribers see every event");
  const log = rec.events();
  const data = log.filter((e) => e.type === "data");
  const reads = log.filter((e) => e.type === "read");
  assert.ok(
    data.length <= 101 && reads.length <= 101,
    `${data.length} data, ${reads.length} reads`,
  );
  const last = data.at(-1);
  assert.ok(last?.type === "data");
  assert.match(last.text, /^x+\n$/);
  const logged = data.reduce((n, e) => n + (e.type === "data" ? (e.bytes ?? e.text.length) : 0), 0);
  assert.equal(logged, textBytes, "merged data events keep the byte count");
  assert.ok(last.text.length <= 256);
  const s = summarize(log);
  assert.equal(s.bytesIn, 10_000_000, "read bytes add up");
  assert.equal(s.lastInAt, 10_000);
  for (const e of reads) assert.ok(e.type === "read" && e.hex.length <= 64);
});

test("a silence of 1 s or more starts a new event, and so does any other event", () => {
  const clock = manualClock();
  const rec = new Recorder(clock);
  for (let i = 0; i < 150; i++) {
    clock.advance(10);
    rec.emit({ type: "data", dir: "in", text: "a" });
  }
  clock.advance(5000);
  rec.emit({ type: "data", dir: "in", text: "after the silence" });
  clock.advance(10);
  rec.emit({ type: "command", dir: "in", command: "GA" });
  clock.advance(10);
  rec.emit({ type: "data", dir: "in", text: "after GA" });
  const data = rec.events().filter((e) => e.type === "data");
  const texts = data.slice(-3).map((e) => (e.type === "data" ? e.text : ""));
  assert.deepEqual(texts.slice(1), ["after the silence", "after GA"]);
  assert.equal(data.at(-2)?.t, 6500, "the event after the silence has its own time");
});

test("a listener that unsubscribes (or subscribes) while an event goes out: every other listener gets it", () => {
  const rec = new Recorder(manualClock());
  const got: string[] = [];
  const offFirst = rec.subscribe(() => {
    got.push("first");
    offFirst();
    rec.subscribe(() => got.push("late"));
  });
  rec.subscribe(() => got.push("second"));
  rec.emit({ type: "fin" });
  assert.deepEqual(
    got,
    ["first", "second"],
    "the second still got the event; the late one did not",
  );
  rec.emit({ type: "fin" });
  assert.deepEqual(got, ["first", "second", "second", "late"]);
});
