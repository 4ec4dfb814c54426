/**
 * @module `teldoc trace show|diagnose FILE` on bad files, through the real CLI: a bad line is one
 * line `FILE:LINE: field: what is wrong` and exit 2; an unknown event type and a last line cut
 * short are warnings, and the rest is still diagnosed.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runTeldoc } from "../testing/cli.js";

const GOLDEN = new URL("../../test/golden/diagnosis/", import.meta.url);
const golden = (name: string) => readFileSync(new URL(name, GOLDEN), "utf8");

const START = '{"t":0,"type":"resolving","host":"h"}\n';
const CONNECTED =
  '{"t":2,"type":"connected","local":{"address":"192.0.2.1","port":51234},"remote":{"address":"192.0.2.7","port":23},"family":4,"durationMs":0.8}\n';

/** A bad file (written as t.jsonl) and the one line teldoc must print. */
const BAD: [string, string, string][] = [
  [
    "a data event whose text is a number",
    `${START}${CONNECTED}{"t":3,"type":"data","dir":"in","text":123}\n`,
    "t.jsonl:3: data.text: expected a string, got a number",
  ],
  [
    "a bare connected event",
    `${START}{"type":"connected"}\n`,
    "t.jsonl:2: connected.t: missing (expected a number)",
  ],
  [
    "a port written as text",
    `${START}${CONNECTED.replace('"port":23', '"port":"23"')}`,
    "t.jsonl:2: connected.remote.port: expected a number, got a string",
  ],
  [
    "a direction that does not exist",
    `${START}{"t":1,"type":"option","dir":"sideways","verb":"DO","option":"ECHO","code":1}\n`,
    't.jsonl:2: option.dir: expected one of "in", "out", got "sideways"',
  ],
  [
    "an address family 5",
    `${START}{"t":1,"type":"resolved","host":"h","addresses":[{"address":"a","family":5}],"durationMs":1}\n`,
    "t.jsonl:2: resolved.addresses[0].family: expected one of 4, 6, got 5",
  ],
  [
    "raw bytes that are not hex",
    `${START}{"t":1,"type":"read","bytes":2,"hex":"xyz"}\n`,
    't.jsonl:2: read.hex: expected hex digits, two per byte, got "xyz"',
  ],
  [
    "a line that is an array",
    `${START}[1,2]\n`,
    "t.jsonl:2: not a trace event: expected an object, got an array",
  ],
  ["a line without a type", `${START}{"t":1}\n`, 't.jsonl:2: not a trace event: "type" is missing'],
  [
    "a numeric type",
    `${START}{"t":1,"type":7}\n`,
    "t.jsonl:2: type: expected a string, got a number",
  ],
  [
    "an end whose confidence is over 1",
    golden("logout.jsonl") +
      '{"t":9,"type":"end","target":{"host":"h","port":23},"phase":"session","transport":"fin","durationMs":9,"idleMs":1,"bytesIn":1,"bytesOut":1,"lastServerText":"","diagnosis":{"cause":"logout","confidence":1.5,"summary":"s","evidence":[],"advice":[],"alternatives":[]}}\n',
    "t.jsonl:41: end.diagnosis.confidence: expected at most 1, got 1.5",
  ],
  [
    "two bad lines: the first is shown, the rest counted",
    `${START}{"t":1,"type":"fin","x":1}\n{"t":"2","type":"fin"}\n{"type":"fin"}\n`,
    "t.jsonl:3: fin.t: expected a number, got a string (and 1 more bad line)",
  ],
];

describe("trace show|diagnose on bad files", () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), "teldoc-trace-"));
  });
  after(() => rmSync(dir, { recursive: true }));

  /** Write `text` as t.jsonl and run `teldoc trace VERB t.jsonl` in that directory's path. */
  async function traceCmd(verb: "show" | "diagnose", text: string, name = "t.jsonl") {
    const file = join(dir, name);
    writeFileSync(file, text);
    const r = await runTeldoc(["trace", verb, file]);
    return { ...r, stderr: r.stderr.replaceAll(`${dir}/`, "") };
  }

  for (const [what, text, line] of BAD) {
    for (const verb of ["diagnose", "show"] as const)
      test(`${verb}: ${what}`, async () => {
        const r = await traceCmd(verb, text);
        assert.equal(r.stderr, `teldoc: ${line}\n`);
        assert.equal(r.code, 2);
        assert.equal(r.stdout, "");
      });
  }

  test("a line that is not JSON: its number and the parser's words", async () => {
    const r = await traceCmd("diagnose", `${START}{"t":1,"type":"fin"\n${START}`);
    assert.match(r.stderr, /^teldoc: t\.jsonl:2: not JSON \(.+\)\n$/);
    assert.equal(r.code, 2);
  });

  test("an empty file holds no trace events", async () => {
    const r = await traceCmd("diagnose", "\n");
    assert.match(r.stderr, /^teldoc: .*t\.jsonl holds no trace events/);
    assert.equal(r.code, 2);
  });

  test("an unknown event type (a newer teldoc) is skipped with a warning; the rest is diagnosed", async () => {
    const lines = golden("logout.jsonl").split("\n");
    lines.splice(5, 0, '{"t":3.6,"type":"tls-upgrade","version":"1.3"}');
    const r = await traceCmd("diagnose", lines.join("\n"));
    assert.equal(
      r.stderr,
      'teldoc: warning: t.jsonl:6: skipped: unknown event type "tls-upgrade" (from a newer teldoc?)\n',
    );
    assert.match(r.stdout, /^teldoc: logout /m);
    assert.equal(r.code, 0);
  });

  test("a last line cut mid-write: a warning, and the rest diagnosed as a cut trace", async () => {
    const lines = golden("login-timeout.jsonl").trimEnd().split("\n");
    // Cut inside the server's closing message: the FIN and the close never made it to disk.
    const cut = `${lines.slice(0, 20).join("\n")}\n${lines[20].slice(0, 40)}`;
    const r = await traceCmd("diagnose", cut);
    assert.equal(
      r.stderr,
      "teldoc: warning: t.jsonl:21: skipped: the last line is cut short (the file ends mid-line)\n",
    );
    assert.match(r.stdout, /^\(the trace ends here: no close was recorded\)$/m);
    assert.match(r.stdout, /^teldoc: unknown /m);
    assert.match(
      r.stdout,
      /The trace ends at 7 ms while the session was open: no close was recorded/,
    );
    assert.doesNotMatch(r.stdout, /FIN|foreign host/);
    assert.equal(r.code, 1);
  });

  test("--json: the cut trace's end names transport unknown", async () => {
    const lines = golden("login-timeout.jsonl").trimEnd().split("\n");
    const file = join(dir, "cut.jsonl");
    writeFileSync(file, `${lines.slice(0, 21).join("\n")}\n`);
    const r = await runTeldoc(["trace", "diagnose", file, "--json"]);
    const end = JSON.parse(r.stdout) as { transport: string; diagnosis: { cause: string } };
    assert.deepEqual([end.transport, end.diagnosis.cause, r.code], ["unknown", "unknown", 1]);
  });
});
