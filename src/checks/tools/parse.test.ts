/** The tool parsers on real output (iputils, busybox, tracepath, traceroute, mtr 0.95 --json). */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  analyzeLoss,
  median,
  parseMtrJson,
  parsePing,
  parseTracepath,
  parseTraceroute,
} from "./parse.js";

describe("parsePing", () => {
  test("iputils: counts, loss, per-reply times and the summary", () => {
    const p = parsePing(`PING 127.0.0.1 (127.0.0.1) 56(84) bytes of data.
64 bytes from 127.0.0.1: icmp_seq=1 ttl=64 time=0.513 ms
64 bytes from 127.0.0.1: icmp_seq=2 ttl=64 time=0.036 ms

--- 127.0.0.1 ping statistics ---
3 packets transmitted, 2 received, 33.3333% packet loss, time 407ms
rtt min/avg/max/mdev = 0.036/0.196/0.513/0.223 ms
`);
    assert.ok(p);
    assert.equal(p.transmitted, 3);
    assert.equal(p.received, 2);
    assert.equal(p.lossPct, 33.3333);
    assert.deepEqual(p.rttMs, [0.513, 0.036]);
    assert.equal(p.min, 0.036);
    assert.equal(p.max, 0.513);
  });

  test("iputils with ICMP errors: unreachable is reported, not a reply", () => {
    const p = parsePing(`PING 198.18.2.2 (198.18.2.2) 56(84) bytes of data.
From 198.18.1.1 icmp_seq=1 Destination Host Unreachable
From 198.18.1.1 icmp_seq=2 Destination Host Unreachable

--- 198.18.2.2 ping statistics ---
2 packets transmitted, 0 received, +2 errors, 100% packet loss, time 1001ms
`);
    assert.ok(p);
    assert.equal(p.received, 0);
    assert.equal(p.lossPct, 100);
    assert.deepEqual(p.errors, ["Destination Host Unreachable"]);
    assert.equal(p.avg, undefined);
  });

  test("busybox: 'packets received' and round-trip", () => {
    const p = parsePing(`PING 127.0.0.1 (127.0.0.1): 56 data bytes
64 bytes from 127.0.0.1: seq=0 ttl=64 time=0.061 ms

--- 127.0.0.1 ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 0.061/0.061/0.061 ms
`);
    assert.equal(p?.received, 1);
    assert.equal(p?.avg, 0.061);
  });

  test("no statistics line: undefined, not a guess", () => {
    assert.equal(parsePing("ping: socket: Operation not permitted\n"), undefined);
  });
});

describe("path parsers", () => {
  test("tracepath: last line per TTL wins, no reply is a hop without address, reached", () => {
    const r = parseTracepath(` 1?: [LOCALHOST]                      pmtu 1500
 1:  198.18.1.1                                            0.360ms 
 1:  198.18.1.1                                            0.262ms 
 2:  no reply
 3:  198.18.2.2                                            0.668ms reached
     Resume: pmtu 1500 hops 3 back 2 
`);
    assert.equal(r.reached, true);
    assert.equal(r.pmtu, 1500);
    assert.deepEqual(
      r.hops.map((h) => [h.ttl, h.address, h.lossPct]),
      [
        [1, "198.18.1.1", 0],
        [2, undefined, 100],
        [3, "198.18.2.2", 0],
      ],
    );
    assert.equal(r.hops[0].rttMs, 0.262);
  });

  test("tracepath cut short (killed at the time limit): the hops so far, not reached", () => {
    const r = parseTracepath(
      " 1:  198.18.1.1   0.360ms \n 2:  no reply\n 3:  no reply\n",
      "198.18.2.2",
    );
    assert.equal(r.reached, false);
    assert.equal(r.hops.length, 3);
  });

  test("traceroute: stars, several probes and !H", () => {
    const r = parseTraceroute(
      `traceroute to 198.18.2.2 (198.18.2.2), 30 hops max, 60 byte packets
 1  198.18.1.1  0.117 ms  0.090 ms  0.085 ms
 2  * * *
 3  198.18.2.2  0.300 ms * 0.250 ms
`,
      "198.18.2.2",
    );
    assert.equal(r.reached, true);
    assert.deepEqual(
      r.hops.map((h) => [h.ttl, h.address, h.lossPct]),
      [
        [1, "198.18.1.1", 0],
        [2, undefined, 100],
        [3, "198.18.2.2", 33],
      ],
    );
    assert.equal(r.hops[2].rttMs, 0.25);
    const u = parseTraceroute(" 1  198.18.1.1  3.001 ms !H\n", "198.18.2.2");
    assert.equal(u.hops[0].error, "!H");
    assert.equal(u.reached, false);
  });

  test("mtr --json: per-hop loss; ??? is a silent hop; bad JSON is undefined", () => {
    const r = parseMtrJson(
      JSON.stringify({
        report: {
          mtr: { dst: "198.18.2.2" },
          hubs: [
            { count: 1, host: "198.18.1.1", "Loss%": 0, Snt: 10, Best: 0.1, Avg: 0.2 },
            { count: 2, host: "???", "Loss%": 100, Snt: 10 },
            { count: 3, host: "198.18.2.2", "Loss%": 20, Snt: 10, Best: 0.3, Avg: 0.4 },
          ],
        },
      }),
      "198.18.2.2",
    );
    assert.ok(r);
    assert.equal(r.reached, true);
    assert.deepEqual(
      r.hops.map((h) => [h.address, h.lossPct, h.rttMs]),
      [
        ["198.18.1.1", 0, 0.1],
        [undefined, 100, undefined],
        ["198.18.2.2", 20, 0.3],
      ],
    );
    assert.equal(parseMtrJson("mtr: unable to get raw sockets"), undefined);
  });
});

describe("analyzeLoss", () => {
  test("mid-path loss that does not persist is ICMP rate limiting", () => {
    const l = analyzeLoss(
      [
        { ttl: 1, lossPct: 0 },
        { ttl: 2, lossPct: 60 },
        { ttl: 3, lossPct: 100 },
        { ttl: 4, lossPct: 0 },
      ],
      true,
    );
    assert.deepEqual(l.rateLimitedHops, [2, 3]);
    assert.equal(l.endLossPct, 0);
    assert.equal(l.lossStartsAt, undefined);
  });

  test("loss that carries on to the end is loss, from the hop where it starts", () => {
    const l = analyzeLoss(
      [
        { ttl: 1, lossPct: 0 },
        { ttl: 2, lossPct: 30 },
        { ttl: 3, lossPct: 30 },
      ],
      true,
    );
    assert.equal(l.endLossPct, 30);
    assert.equal(l.lossStartsAt, 2);
    assert.deepEqual(l.rateLimitedHops, []);
  });

  test("a path that does not reach the end says nothing about rate limiting", () => {
    const l = analyzeLoss(
      [
        { ttl: 1, lossPct: 50 },
        { ttl: 2, lossPct: 100 },
      ],
      false,
    );
    assert.deepEqual(l.rateLimitedHops, []);
    assert.equal(l.endLossPct, undefined);
  });

  test("median", () => {
    assert.equal(median([3, 1, 2]), 2);
    assert.equal(median([4, 1, 2, 3]), 2.5);
    assert.equal(median([]), undefined);
  });
});
