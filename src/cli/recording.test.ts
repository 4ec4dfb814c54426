/**
 * @module `teldoc connect --trace FILE --pcap FILE` when the files cannot be written mid-session
 * (a pipe whose reader goes away, /dev/full): one warning line each on stderr, and the session
 * goes on to its real end and diagnosis — no stall, no stack trace. The real CLI, the lab.
 */
import assert from "node:assert/strict";
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { runTeldoc } from "../testing/cli.js";

const SCRIPT = [
  "expect login: 5s",
  "send demo\\r\\n",
  "expect Password: 5s",
  "send demo\\r\\n",
  "expect \\$ 5s",
  "send help\\r\\n",
  "expect \\$ 5s",
  "send exit\\r\\n",
  "wait 5s",
  "",
].join("\n");

describe("connect: a trace or pcap that cannot be written", () => {
  let lab: Lab;
  let dir: string;
  before(async () => {
    lab = await startLab({ scenario: "healthy" });
    dir = mkdtempSync(join(tmpdir(), "teldoc-recording-"));
  });
  after(async () => {
    await lab.close();
    rmSync(dir, { recursive: true });
  });

  test("one warning line per file; the session ends in order (logout, exit 0)", async () => {
    const fifo = join(dir, "trace.jsonl");
    execFileSync("mkfifo", [fifo]);
    // The reader takes the first 2000 bytes (the connect and the negotiation), then goes away.
    const reader = spawn("head", ["-c", "2000", fifo], { stdio: "ignore" });
    const script = join(dir, "login.txt");
    writeFileSync(script, SCRIPT);
    const r = await runTeldoc(
      [
        "connect",
        "127.0.0.1",
        String(lab.port),
        "--script",
        script,
        "--trace",
        fifo,
        "--pcap",
        "/dev/full",
      ],
      { limitMs: 20_000 },
    );
    reader.kill();
    assert.equal(r.killed, false, "the session did not stall");
    const warnings = r.stderr.split("\n").filter((l) => l.startsWith("teldoc: warning:"));
    assert.deepEqual(warnings.map((l) => l.replace(/ at \d+ ms| at [\d.]+ s/, " at T")).sort(), [
      "teldoc: warning: cannot write the pcap to /dev/full at T (ENOSPC: no space left on device, write): the pcap stops there, the session goes on",
      `teldoc: warning: cannot write the trace to ${fifo} at T (EPIPE: broken pipe, write): the trace stops there, the session goes on`,
    ]);
    assert.match(r.stderr, /^teldoc: logout /m);
    assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+|internal error/);
    assert.equal(r.code, 0, r.stderr);
  });
});
