import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, test } from "node:test";
import { skipUnlessCI } from "../testing/requirement.js";
import type { TraceEvent } from "./events.js";
import { ipBytes, MASKED_COMMENT, PcapngWriter } from "./pcapng.js";

const hex = (b: number[] | string) => Buffer.from(b as never).toString("hex");

function session(local: string, remote: string, port: number): TraceEvent[] {
  return [
    {
      type: "connected",
      t: 5,
      local: { address: local, port: 40000 },
      remote: { address: remote, port },
      family: local.includes(":") ? 6 : 4,
      durationMs: 1,
    },
    { type: "read", t: 10, bytes: 3, hex: hex([0xff, 0xfb, 0x01]) },
    { type: "write", t: 11, bytes: 3, hex: hex([0xff, 0xfd, 0x01]) },
    { type: "read", t: 20, bytes: 7, hex: hex("login: ") },
    { type: "write", t: 30, bytes: 7, hex: hex("admin\r\n") },
    { type: "read", t: 40, bytes: 4, hex: hex("bye\n") },
    { type: "fin", t: 41 },
    { type: "closed", t: 42, by: "remote", transport: "fin" },
  ];
}

function write(events: TraceEvent[]): Buffer {
  const w = new PcapngWriter(1_700_000_000_000);
  return Buffer.concat([w.header(), ...events.flatMap((e) => w.blocks(e))]);
}

const TSHARK = "/usr/bin/tshark";
const noTshark = skipUnlessCI("tshark", existsSync(TSHARK) ? false : `${TSHARK} is not installed`);

describe("pcapng writer", () => {
  test("block structure: SHB magic, IDB, one EPB per packet, lengths that close", () => {
    const bytes = write(session("127.0.0.1", "127.0.0.1", 2323));
    assert.equal(bytes.readUInt32LE(0), 0x0a0d0d0a);
    assert.equal(bytes.readUInt32LE(8), 0x1a2b3c4d);
    let at = 0;
    const types: number[] = [];
    while (at < bytes.length) {
      const len = bytes.readUInt32LE(at + 4);
      assert.equal(bytes.readUInt32LE(at + len - 4), len, "trailing length matches");
      types.push(bytes.readUInt32LE(at));
      at += len;
    }
    // SHB, IDB, SYN, SYN-ACK, ACK, 5 data segments, server FIN, our FIN
    assert.deepEqual(types, [0x0a0d0d0a, 1, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6]);
  });

  test("IPv6 literals become 16 bytes; IPv4-mapped ones 4", () => {
    assert.equal(ipBytes("::1")?.toString("hex"), "00000000000000000000000000000001");
    assert.equal(ipBytes("fd00::2:1")?.toString("hex"), "fd000000000000000000000000020001");
    assert.equal(ipBytes("::ffff:127.0.0.1")?.toString("hex"), "7f000001");
    assert.equal(ipBytes("not an address"), undefined);
  });

  for (const [local, remote] of [
    ["127.0.0.1", "127.0.0.1"],
    ["::1", "::1"],
  ]) {
    test(`tshark decodes both directions as Telnet (${remote})`, { skip: noTshark }, () => {
      const dir = mkdtempSync(join(tmpdir(), "teldoc-pcap-"));
      try {
        const file = join(dir, "s.pcapng");
        writeFileSync(file, write(session(local, remote, 2323)));
        const out = execFileSync(
          TSHARK,
          [
            "-r",
            file,
            "-d",
            "tcp.port==2323,telnet",
            "-Y",
            "telnet",
            "-T",
            "fields",
            "-e",
            "ip.src",
            "-e",
            "ipv6.src",
            "-e",
            "tcp.srcport",
            "-e",
            "telnet.data",
            "-e",
            "telnet.cmd",
          ],
          { encoding: "utf8", timeout: 20_000, stdio: ["ignore", "pipe", "pipe"] },
        );
        const lines = out.trim().split("\n");
        assert.equal(lines.length, 5, out);
        assert.ok(
          lines.some((l) => l.includes("2323") && l.includes("login: ")),
          out,
        );
        assert.ok(
          lines.some((l) => l.includes("40000") && l.includes("admin")),
          out,
        );
        const check = execFileSync(
          TSHARK,
          [
            "-r",
            file,
            "-Y",
            "tcp.analysis.flags || tcp.checksum.status == 0",
            "-o",
            "tcp.check_checksum:TRUE",
          ],
          {
            encoding: "utf8",
            timeout: 20_000,
            stdio: ["ignore", "pipe", "pipe"],
          },
        );
        assert.equal(check.trim(), "", "no TCP analysis warnings, checksums good");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

/** The TCP segments of an IPv4 capture: who sent it, seq, ack, payload, packet comment. */
function segments(file: Buffer) {
  const out: { sport: number; seq: number; ack: number; payload: string; comment?: string }[] = [];
  for (let at = 0; at < file.length; at += file.readUInt32LE(at + 4)) {
    if (file.readUInt32LE(at) !== 6) continue;
    const captured = file.readUInt32LE(at + 20);
    const frame = file.subarray(at + 28, at + 28 + captured);
    const tcp = frame.subarray(14 + 20);
    const optsAt = at + 28 + captured + ((4 - (captured % 4)) % 4);
    const comment =
      file.readUInt16LE(optsAt) === 1
        ? file.toString("utf8", optsAt + 4, optsAt + 4 + file.readUInt16LE(optsAt + 2))
        : undefined;
    out.push({
      sport: tcp.readUInt16BE(0),
      seq: tcp.readUInt32BE(4),
      ack: tcp.readUInt32BE(8),
      payload: tcp.subarray(20).toString("latin1"),
      ...(comment ? { comment } : {}),
    });
  }
  return out;
}

test("a masked write: the placeholder as payload, a packet comment, sequence numbers that follow", () => {
  const events = session("127.0.0.1", "127.0.0.1", 2323);
  events.splice(
    5,
    0,
    { type: "read", t: 31, bytes: 10, hex: hex("Password: ") },
    { type: "write", t: 32, bytes: 8, hex: hex("********"), masked: true },
    { type: "read", t: 33, bytes: 3, hex: hex("$ \n") },
    { type: "write", t: 34, bytes: 4, hex: hex("ls\r\n") },
  );
  const segs = segments(write(events));
  const masked = segs.filter((x) => x.comment !== undefined);
  assert.deepEqual(
    masked.map((x) => [x.payload, x.comment]),
    [["********", MASKED_COMMENT]],
  );
  // Each side's next segment starts where its previous one ended; every ACK is the peer's next seq.
  const next = new Map<number, number>();
  for (const x of segs.filter((y) => y.payload.length > 0)) {
    const expected = next.get(x.sport);
    if (expected !== undefined)
      assert.equal(x.seq, expected, `seq of ${JSON.stringify(x.payload)}`);
    next.set(x.sport, x.seq + x.payload.length);
    const peer = [...next.keys()].find((p) => p !== x.sport);
    if (peer !== undefined)
      assert.equal(x.ack, next.get(peer), `ack of ${JSON.stringify(x.payload)}`);
  }
});

test("trace lines for raw reads are the same JSON as JSON.stringify gives", async () => {
  const { encodeEvent } = await import("./jsonl.js");
  const e: TraceEvent = { t: 12.5, type: "read", bytes: 3, hex: "fffb01" };
  assert.equal(encodeEvent(e), `${JSON.stringify(e)}\n`);
  assert.deepEqual(JSON.parse(encodeEvent(e)), e);
});
