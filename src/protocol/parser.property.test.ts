import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { COMMAND_CODES, type CommandName, IAC, SB, SE } from "./constants.js";
import { encodeCommand, encodeNegotiation, encodeSubnegotiation, escapeData } from "./encoder.js";
import type { TelnetEvent } from "./events.js";
import { TelnetParser } from "./parser.js";
import { normalize, parseChunks, splitAt, transcript } from "./testing/transcript.js";

/** Bytes rich in protocol bytes, so random input exercises every parser state. */
const telnetish = fc.uint8Array({ minLength: 0, maxLength: 400 }).chain((base) =>
  fc
    .array(
      fc.constantFrom(
        IAC,
        SB,
        SE,
        0xfb,
        0xfc,
        0xfd,
        0xfe,
        0xf1,
        0xf9,
        0x0d,
        0x00,
        0x0a,
        0x18,
        0x1f,
      ),
      {
        maxLength: 200,
      },
    )
    .chain((extra) =>
      fc
        .shuffledSubarray([...base, ...extra], { minLength: base.length + extra.length })
        .map((a) => Buffer.from(a)),
    ),
);

const cutsFor = (bytes: Buffer) =>
  fc.array(fc.nat({ max: Math.max(0, bytes.length) }), { maxLength: 40 });

describe("parser properties", () => {
  test("any bytes split at any points give the same events as one chunk", () => {
    fc.assert(
      fc.property(
        telnetish.chain((b) =>
          fc.tuple(fc.constant(b), cutsFor(b), fc.boolean(), fc.constantFrom(1, 32, 4096)),
        ),
        ([bytes, cuts, binary, gatherBelow]) => {
          const whole = transcript(parseChunks([bytes], { binary }));
          const split = transcript(parseChunks(splitAt(bytes, cuts), { binary, gatherBelow }));
          assert.deepEqual(split, whole);
        },
      ),
      { numRuns: 600 },
    );
  });

  test("the parser never throws, and data plus protocol never exceeds the input", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 2000 }),
        fc.integer({ min: 1, max: 64 }),
        (arr, max) => {
          const p = new TelnetParser({ maxSubnegotiation: max });
          const bytes = Buffer.from(arr);
          let out = 0;
          for (const e of p.feed(bytes)) {
            if (e.type === "data" || e.type === "subneg") out += e.data.length;
            if (e.type === "subneg") assert.ok(e.data.length <= max);
          }
          assert.ok(out <= bytes.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  type Item =
    | { kind: "data"; bytes: Buffer }
    | { kind: "cmd"; name: CommandName }
    | { kind: "neg"; verb: "WILL" | "WONT" | "DO" | "DONT"; option: number }
    | { kind: "sb"; option: number; payload: Buffer };

  const item: fc.Arbitrary<Item> = fc.oneof(
    fc
      .uint8Array({ minLength: 1, maxLength: 60 })
      .map((a) => ({ kind: "data" as const, bytes: Buffer.from(a) })),
    fc
      .constantFrom(...(Object.keys(COMMAND_CODES) as CommandName[]))
      .map((name) => ({ kind: "cmd" as const, name })),
    fc
      .tuple(
        fc.constantFrom("WILL", "WONT", "DO", "DONT") as fc.Arbitrary<
          "WILL" | "WONT" | "DO" | "DONT"
        >,
        fc.nat(255),
      )
      .map(([verb, option]) => ({ kind: "neg" as const, verb, option })),
    fc
      .tuple(fc.nat(255), fc.uint8Array({ maxLength: 80 }))
      .map(([option, p]) => ({ kind: "sb" as const, option, payload: Buffer.from(p) })),
  );

  test("encode then parse round-trips (BINARY: data bytes exactly)", () => {
    fc.assert(
      fc.property(
        fc.array(item, { maxLength: 30 }),
        fc.array(fc.nat(4000), { maxLength: 10 }),
        (items, cuts) => {
          const wire = Buffer.concat(
            items.map((it) => {
              if (it.kind === "data") return escapeData(it.bytes, { binary: true });
              if (it.kind === "cmd") return encodeCommand(it.name);
              if (it.kind === "neg") return encodeNegotiation(it.verb, it.option);
              return encodeSubnegotiation(it.option, it.payload);
            }),
          );
          const expected: TelnetEvent[] = items.map((it) => {
            if (it.kind === "data") return { type: "data", data: it.bytes };
            if (it.kind === "cmd") return { type: "command", command: it.name };
            if (it.kind === "neg") return { type: "option", verb: it.verb, option: it.option };
            return { type: "subneg", option: it.option, data: it.payload };
          });
          const got = parseChunks(splitAt(wire, cuts), { binary: true });
          assert.deepEqual(transcript(got), transcript(normalize(expected)));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("NVT: text escaped by the encoder reads back with bare CRs kept as CR", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (arr) => {
        // The encoder turns a bare CR into CR NUL; the parser turns CR NUL back into CR.
        const text = Buffer.from(arr);
        const got = normalize(parseChunks([escapeData(text)]));
        const data = Buffer.concat(got.map((e) => (e.type === "data" ? e.data : Buffer.alloc(0))));
        assert.deepEqual(data, text);
      }),
      { numRuns: 400 },
    );
  });
});
