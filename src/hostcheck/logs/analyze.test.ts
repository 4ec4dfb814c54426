import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { analyzeLogs } from "./analyze.js";
import { fileLines, type LineSource } from "./lines.js";
import { loadClientTrace, TraceMatcher } from "./trace-match.js";
import type { ServerSession } from "./types.js";

const CORPUS = fileURLToPath(new URL("../../../src/hostcheck/logs/corpus/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "teldoc-logs-"));
after(() => rmSync(dir, { recursive: true, force: true }));

async function sessions(sources: LineSource[], opts = {}) {
  const got: ServerSession[] = [];
  const totals = await analyzeLogs(sources, opts, (s) => {
    got.push(s);
  });
  return { got, totals };
}

/** An in-memory source (lines in one batch). */
function memory(name: string, lines: string[], reference = Date.now()): LineSource {
  return {
    name,
    reference,
    batches: (async function* () {
      yield lines;
    })(),
  };
}

describe("teldoc logs' engine", () => {
  test("a gzip-rotated file reads like the plain one (told by its bytes, not its name)", async () => {
    const text = readFileSync(`${CORPUS}rhel8-secure.log`);
    writeFileSync(join(dir, "secure.1"), gzipSync(text));
    const reference = Date.parse("2027-03-05T00:00:00");
    const plain = await sessions([await fileLines(`${CORPUS}rhel8-secure.log`, { reference })]);
    const gz = await sessions([await fileLines(join(dir, "secure.1"), { reference })]);
    assert.deepEqual(
      gz.got.map((s) => [s.client, s.cause, s.start]),
      plain.got.map((s) => [s.client, s.cause, s.start]),
    );
    assert.equal(gz.totals.lines, plain.totals.lines);
  });

  test("the year comes from the file's mtime when none is given", async () => {
    const path = join(dir, "messages");
    writeFileSync(path, "Dec 31 23:59:00 h xinetd[1]: FAIL: telnet service_limit from=192.0.2.1\n");
    utimesSync(path, new Date(2027, 0, 1, 0, 5), new Date(2027, 0, 1, 0, 5));
    const { got } = await sessions([await fileLines(path)]);
    assert.equal(new Date(got[0]!.start).getFullYear(), 2026);
  });

  test("--client keeps that client in any form; --since drops older lines", async () => {
    const lines = [
      "26/11/30@10:00:00: FAIL: telnet address from=::ffff:192.0.2.7",
      "26/11/30@11:00:00: FAIL: telnet address from=192.0.2.8",
      "26/11/30@12:00:00: FAIL: telnet per_source_limit from=192.0.2.7",
    ];
    const v4 = await sessions([memory("x", lines)], { client: "192.0.2.7" });
    assert.deepEqual(
      v4.got.map((s) => s.cause),
      ["acl-rejected", "service-unavailable"],
    );
    const mapped = await sessions([memory("x", lines)], { client: "::ffff:192.0.2.7" });
    assert.equal(mapped.got.length, 2);
    const since = await sessions([memory("x", lines)], {
      since: new Date(2026, 10, 30, 10, 30).getTime(),
    });
    assert.equal(since.got.length, 2);
    assert.equal(since.totals.skipped, 1);
  });

  test("several files are merged by time: xinetd's file and syslog meet in one session", async () => {
    const xinetd = memory("xinetd.log", [
      "26/11/30@14:00:00: START: telnet pid=100 from=10.0.0.5",
      "26/11/30@14:00:09: EXIT: telnet status=0 pid=100 duration=9(sec)",
    ]);
    const syslog = memory(
      "auth.log",
      [
        "Nov 30 14:00:08 h login[101]: TOO MANY LOGIN TRIES (3) on '/dev/pts/1' from '10.0.0.5' FOR 'x'",
        "Nov 30 14:00:09 h telnetd[100]: child process 101 exited: 0",
      ],
      new Date(2026, 10, 30, 15).getTime(),
    );
    const { got } = await sessions([xinetd, syslog]);
    assert.equal(got.length, 1);
    assert.equal(got[0]!.cause, "auth-failed");
    assert.deepEqual(
      got[0]!.evidence.map((e) => e.file),
      ["xinetd.log", "auth.log", "xinetd.log", "auth.log"],
    );
  });

  test("memory stays bounded: open sessions are capped, their lines too", async () => {
    const lines: string[] = [];
    for (let i = 0; i < 5000; i++)
      lines.push(`26/11/30@14:00:00: START: telnet pid=${1000 + i} from=10.0.${i >> 8}.${i & 255}`);
    for (let i = 0; i < 200; i++)
      lines.push("Nov 30 14:00:01 h telnetd[999]: ttloop:  read: Connection reset by peer");
    const { got } = await sessions([memory("x", lines, new Date(2026, 10, 30, 15).getTime())], {
      maxOpen: 100,
    });
    assert.equal(got.length, 5001, "every session is handed on, the oldest when the cap is hit");
    const busy = got.find((s) => s.pid === 999)!;
    assert.ok(busy.evidence.length <= 40, `${busy.evidence.length} lines kept`);
  });

  test("--trace: the client's trace is matched to the server's session, with the skew", async () => {
    const trace = join(dir, "trace.jsonl");
    writeFileSync(
      trace,
      [
        '{"t":0,"type":"connecting","address":"127.0.0.1","family":4,"port":2323,"attempt":1}',
        '{"t":2,"type":"connected","local":{"address":"127.0.0.1","port":40000},"remote":{"address":"127.0.0.1","port":2323},"family":4,"durationMs":1}',
        '{"t":5,"type":"closed","by":"remote","transport":"fin"}',
        "",
      ].join("\n"),
    );
    const connected = new Date(2026, 10, 30, 14, 0, 30).getTime();
    utimesSync(trace, new Date(connected), new Date(connected + 3));
    const t = loadClientTrace(trace);
    assert.equal(t.client, "127.0.0.1");
    assert.equal(t.cause, "acl-rejected");
    const m = new TraceMatcher(t);
    const lines = [
      "26/11/30@14:00:00: FAIL: telnet per_source_limit from=127.0.0.1",
      "26/11/30@14:00:50: FAIL: telnet per_source_limit from=127.0.0.1",
      "26/11/30@14:01:31: FAIL: telnet address from=127.0.0.9",
    ];
    await analyzeLogs([memory("x", lines)], {}, (s) => m.offer(s));
    const r = m.result();
    assert.equal(r.skewMs, 20_000, "the closest session: 20 s after the client's connect");
    assert.equal(r.session?.cause, "service-unavailable");
    assert.match(r.verdict, /per_source_limit/);
    const none = new TraceMatcher(t, 10_000);
    await analyzeLogs([memory("x", lines)], {}, (s) => none.offer(s));
    assert.equal(none.result().session, null, "outside the tolerance: no match");
  });
});
