import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { TelnetConnection } from "./connection.js";
import { Opt } from "./constants.js";
import type { TelnetSink } from "./parser.js";
import { TelnetParser } from "./parser.js";

/** A sink that only counts, so the test itself holds no memory. */
function countingSink() {
  const n = { dataBytes: 0, dataEvents: 0, errors: 0, subnegs: 0, other: 0 };
  const sink: TelnetSink = {
    data(_c, s, e) {
      n.dataBytes += e - s;
      n.dataEvents++;
    },
    command: () => n.other++,
    option: () => n.other++,
    subneg: () => n.subnegs++,
    error: () => n.errors++,
  };
  return { n, sink };
}

describe("hostile peers", () => {
  test("an alternating WILL/WONT storm gets bounded answers and one storm report", () => {
    const c = new TelnetConnection({ role: "client", maxRenegotiations: 1000 });
    const storm = Buffer.alloc(6 * 50_000);
    for (let i = 0; i < 50_000; i++) storm.set([0xff, 0xfb, Opt.ECHO, 0xff, 0xfc, Opt.ECHO], i * 6);
    let sent = 0;
    let storms = 0;
    for (let i = 0; i < storm.length; i += 4096) {
      for (const e of c.receive(storm.subarray(i, i + 4096))) {
        if (e.type === "send") sent += e.data.length;
        if (e.type === "error" && e.code === "TELDOC_ERR_NEGOTIATION_STORM") storms++;
      }
    }
    assert.equal(storms, 1);
    assert.ok(sent <= 3 * 1000, `answers stay bounded: ${sent} bytes`);
  });

  test("100,000 subnegotiations without SE: each reported, nothing kept", () => {
    const p = new TelnetParser({ maxSubnegotiation: 1024 });
    const one = Buffer.from([0xff, 0xfa, 0x18, ...Buffer.alloc(40, 0x41)]);
    const { n, sink } = countingSink();
    for (let i = 0; i < 100_000; i++) p.parse(one, sink);
    p.parse(Buffer.from([0xff, 0xf0, 0x7a]), sink);
    assert.equal(n.errors, 99_999, "each SB cut off by the next is reported");
    assert.equal(n.subnegs, 1, "the last one, closed by IAC SE, is delivered");
    assert.equal(n.dataBytes, 1);
  });

  test("a subnegotiation that never ends holds at most its cap", () => {
    const p = new TelnetParser({ maxSubnegotiation: 4096 });
    const { n, sink } = countingSink();
    p.parse(Buffer.from([0xff, 0xfa, 0xc9]), sink);
    const junk = Buffer.alloc(64 * 1024, 0x42);
    const before = process.memoryUsage().arrayBuffers;
    for (let i = 0; i < 2048; i++) p.parse(junk, sink); // 128 MiB
    const grown = process.memoryUsage().arrayBuffers - before;
    assert.ok(grown < 16 * 1024 * 1024, `buffers grew by ${grown} bytes`);
    p.parse(Buffer.from([0xff, 0xf0]), sink);
    assert.equal(n.errors, 1);
    assert.equal(n.subnegs, 0);
  });

  test("IAC at every chunk boundary: same result as one chunk", () => {
    const unit = Buffer.from([0x61, 0x62, 0xff, 0xf1, 0x63, 0xff, 0xff, 0x64, 0xff, 0xfd, 0x03]);
    const whole = Buffer.concat(Array.from({ length: 1000 }, () => unit));
    const a = countingSink();
    new TelnetParser().parse(whole, a.sink);
    const b = countingSink();
    const p = new TelnetParser();
    // Cut right after every IAC byte.
    let prev = 0;
    for (let i = whole.indexOf(0xff); i !== -1; i = whole.indexOf(0xff, i + 1)) {
      p.parse(whole.subarray(prev, i + 1), b.sink);
      prev = i + 1;
    }
    p.parse(whole.subarray(prev), b.sink);
    assert.equal(b.n.dataBytes, a.n.dataBytes);
    assert.equal(b.n.other, a.n.other);
    assert.equal(a.n.dataBytes, 5000);
    assert.equal(a.n.other, 2000);
  });

  test("1 GiB of IAC IAC: 512 MiB of 0xFF data, one event per chunk, bounded memory", () => {
    const chunk = Buffer.alloc(64 * 1024, 0xff);
    const p = new TelnetParser();
    const { n, sink } = countingSink();
    let peak = 0;
    for (let i = 0; i < 16_384; i++) {
      p.parse(chunk, sink);
      if ((i & 1023) === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    assert.equal(n.dataBytes, 512 * 1024 * 1024);
    assert.equal(n.dataEvents, 16_384);
    assert.ok(peak < 512 * 1024 * 1024, `rss peaked at ${peak} bytes`);
  });

  test("binary garbage never throws and yields no more bytes than it got", () => {
    let seed = 0x12345678;
    const next = () => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return seed >>> 0;
    };
    const c = new TelnetConnection({ role: "client" });
    let inBytes = 0;
    let outBytes = 0;
    for (let k = 0; k < 2000; k++) {
      const b = Buffer.alloc(1 + (next() % 512));
      for (let i = 0; i < b.length; i++) b[i] = next() & 0xff;
      inBytes += b.length;
      for (const e of c.receive(b)) if (e.type === "data") outBytes += e.data.length;
    }
    assert.ok(outBytes <= inBytes);
  });
});
