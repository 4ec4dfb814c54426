import assert from "node:assert/strict";
import { test } from "node:test";
import fc from "fast-check";
import { CAUSE_NAMES, STAGES } from "../sample.js";
import {
  ByteReader,
  ByteWriter,
  decodeMeasures,
  encodeMeasures,
  packStatus,
  unpackStatus,
} from "./codec.js";

test("measures read back bit for bit: µs values small, other doubles exact", () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.oneof(
          fc.double({ min: 0, max: 1e9, noNaN: true }),
          fc.integer({ min: 0, max: 10_000_000 }).map((us) => us / 1000),
          fc.constant(null),
        ),
      ),
      (values) => {
        const w = new ByteWriter();
        for (const v of values) w.measure(v);
        const r = new ByteReader(w.bytes());
        for (const v of values) assert.ok(Object.is(r.measure(), v));
        assert.ok(r.done);
      },
    ),
  );
  const w = new ByteWriter();
  w.measure(1.2);
  assert.equal(w.bytes().length, 2);
});

test("a healthy round's status is 0; every status reads back", () => {
  assert.equal(packStatus({ ok: true, cause: "healthy", stage: null, skipped: false }), 0);
  for (const cause of CAUSE_NAMES)
    for (const stage of [null, ...STAGES])
      for (const skipped of [false, true])
        for (const ok of [false, true])
          assert.deepEqual(unpackStatus(packStatus({ ok, cause, stage, skipped })), {
            ok,
            cause,
            stage,
            skipped,
          });
});

test("a healthy sample's measures take a few bytes", () => {
  const blob = encodeMeasures(
    { sent: 3, answered: 3, rttMs: [1.234, 1.1, 1.3] },
    { firstByteMs: 2.5, promptMs: 23.1, loginMs: null },
    34.567,
  );
  assert.ok(blob.length <= 20, `${blob.length} bytes`);
  assert.deepEqual(decodeMeasures(blob), {
    connects: { sent: 3, answered: 3, rttMs: [1.234, 1.1, 1.3] },
    timings: { firstByteMs: 2.5, promptMs: 23.1, loginMs: null },
    durationMs: 34.567,
  });
});

test("a damaged blob is TELDOC_ERR_STORE, not a crash", () => {
  assert.throws(() => decodeMeasures(Buffer.from([3, 3, 3, 0xff])), { code: "TELDOC_ERR_STORE" });
  assert.throws(() => new ByteReader(Buffer.from([1, 0, 0])).measure(), {
    code: "TELDOC_ERR_STORE",
  });
});
