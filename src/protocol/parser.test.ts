import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { TelnetParser } from "./parser.js";
import { chunksOf, parseChunks, parseGolden, splitAt, transcript } from "./testing/transcript.js";

const goldenDir = new URL("../../test/golden/parser/", import.meta.url);

describe("golden parser transcripts (test/golden/parser), every chunking", () => {
  const files = readdirSync(goldenDir).filter((f) => f.endsWith(".txt"));
  test("the golden folder is not empty", () => assert.ok(files.length >= 10));
  for (const file of files) {
    const g = parseGolden(file, readFileSync(new URL(file, goldenDir), "utf8"));
    test(file, () => {
      const options = { binary: g.binary };
      assert.deepEqual(transcript(parseChunks([g.input], options)), g.expected, "one chunk");
      assert.deepEqual(
        transcript(parseChunks(chunksOf(g.input, 1), options)),
        g.expected,
        "1-byte chunks",
      );
      assert.deepEqual(
        transcript(parseChunks(chunksOf(g.input, 2), options)),
        g.expected,
        "2-byte chunks",
      );
      for (let cut = 1; cut < g.input.length; cut++) {
        const t = transcript(parseChunks(splitAt(g.input, [cut]), options));
        assert.deepEqual(t, g.expected, `split at ${cut}`);
      }
    });
  }
});

describe("RFC 854 data", () => {
  test("data events are zero-copy views of the input", () => {
    const input = Buffer.from("hello");
    const [e] = new TelnetParser().feed(input);
    assert.ok(e.type === "data");
    input[0] = 0x4a;
    assert.equal(e.data.toString(), "Jello", "the event sees a change to the input");
  });

  test("a CR at the end of one chunk pairs with a NUL at the start of the next", () => {
    const p = new TelnetParser();
    const events = [...p.feed(Buffer.from("a\r")), ...p.feed(Buffer.from([0, 0x62]))];
    assert.deepEqual(transcript(events), ['data "a\\rb"']);
    assert.equal(p.nulsDropped, 1);
  });

  test("a command between CR and NUL ends the pair: the NUL is data", () => {
    const t = transcript(parseChunks([Buffer.from([0x0d, 0xff, 0xf1, 0x00])]));
    assert.deepEqual(t, ['data "\\r"', "NOP", 'data "\\u0000"']);
  });

  test("RFC 856: switching to BINARY mid-stream keeps CR NUL as two bytes", () => {
    const p = new TelnetParser();
    p.setBinary(true);
    assert.equal(p.isBinary, true);
    assert.deepEqual(transcript(p.feed(Buffer.from([0x0d, 0x00]))), ['data "\\r\\u0000"']);
  });

  test("accepts a plain Uint8Array", () => {
    assert.deepEqual(transcript(new TelnetParser().feed(new Uint8Array([0x61, 0xff, 0xf9]))), [
      'data "a"',
      "GA",
    ]);
  });
});

describe("RFC 855 subnegotiation", () => {
  test("payload within one chunk is a view of the input; across chunks it is a copy", () => {
    const input = Buffer.from([0xff, 0xfa, 0xc9, 0x41, 0x42, 0xff, 0xf0]);
    const [e] = new TelnetParser().feed(input);
    assert.ok(e.type === "subneg" && e.data.byteOffset === input.byteOffset + 3);
    const p = new TelnetParser();
    const a = Buffer.from([0xff, 0xfa, 0xc9, 0x41]);
    p.feed(a);
    const [f] = p.feed(Buffer.from([0x42, 0xff, 0xf0]));
    assert.ok(f.type === "subneg" && f.data.toString() === "AB");
    a.fill(0);
    assert.ok(
      f.type === "subneg" && f.data.toString() === "AB",
      "payload survives the reuse of a chunk",
    );
  });

  test("a payload over the cap is dropped with one error, and parsing resumes after IAC SE", () => {
    const p = new TelnetParser({ maxSubnegotiation: 8 });
    const events = [
      ...p.feed(Buffer.from([0xff, 0xfa, 0xc9])),
      ...p.feed(Buffer.alloc(20, 0x41)),
      ...p.feed(Buffer.from([0xff, 0xf0, 0x7a])),
    ];
    assert.deepEqual(transcript(events), ["error TELDOC_ERR_SB_OVERFLOW", 'data "z"']);
    const e = events[0];
    assert.ok(e.type === "error" && e.option === 0xc9);
  });

  test("a payload exactly at the cap is kept", () => {
    const p = new TelnetParser({ maxSubnegotiation: 4 });
    const t = transcript(p.feed(Buffer.from([0xff, 0xfa, 0x1f, 0, 80, 0, 24, 0xff, 0xf0])));
    assert.deepEqual(t, ["SB NAWS 00 50 00 18"]);
  });

  test("inSubnegotiation tells when an SB is open", () => {
    const p = new TelnetParser();
    p.feed(Buffer.from([0xff, 0xfa, 0x18]));
    assert.equal(p.inSubnegotiation, true);
    p.feed(Buffer.from([0xff, 0xf0]));
    assert.equal(p.inSubnegotiation, false);
  });

  test("rejects a cap that is not a positive integer", () => {
    assert.throws(() => new TelnetParser({ maxSubnegotiation: 0 }), RangeError);
    assert.throws(() => new TelnetParser({ maxSubnegotiation: 1.5 }), RangeError);
  });
});
