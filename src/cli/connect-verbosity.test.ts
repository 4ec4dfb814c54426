/**
 * The real CLI (bin/teldoc.js) with pipes: `-q` and `-v` do what `connect --help` says, and
 * stdout (the session) is the same with either, byte for byte; no Trying line when stderr is
 * not a terminal. (On a terminal: src/e2e/escape-prompt.test.ts.)
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { type CliRun, runTeldoc } from "../testing/cli.js";

describe("connect -q and -v (pipes)", () => {
  let lab: Lab;
  const runs: Record<string, CliRun> = {};
  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0 });
    const input = "demo\r\ndemo\r\necho hi\r\nexit\r\n";
    for (const flag of ["", "-q", "-v"]) {
      const args = ["connect", "127.0.0.1", String(lab.port), ...(flag ? [flag] : [])];
      runs[flag] = await runTeldoc(args, { input });
    }
  });
  after(async () => {
    await lab?.close();
  });

  test("stdout is the session, the same with -q, -v or neither; no Trying line on a pipe", () => {
    for (const [flag, r] of Object.entries(runs)) {
      assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
      assert.match(r.stdout, /^hi\r?$/m, flag);
      assert.equal(r.stdout, runs[""]?.stdout, `stdout with ${flag || "no flag"}`);
      assert.doesNotMatch(r.stderr, /Trying|Connected to|Escape character/, flag);
    }
    assert.match(runs[""]?.stderr ?? "", /^Connection closed by foreign host\.\n\nteldoc: logout/);
  });

  test("-q: the end in one line (the classic one, for a session that ended as asked)", () => {
    assert.equal(runs["-q"]?.stderr, "Connection closed by foreign host.\n");
  });

  test("-q: an abnormal end is one line with the cause and its summary", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
    const r = await runTeldoc(["connect", "127.0.0.1", String(port), "-q"]);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /^teldoc: refused: Nothing listens on 127\.0\.0\.1:\d+.*\n$/);
    assert.equal(r.stderr.split("\n").length, 2, r.stderr);
  });

  test("-v: each event as it happens (negotiation, the close), no session text; then all the evidence", () => {
    const err = runs["-v"]?.stderr ?? "";
    const events = err.split("\n").filter((l) => l.startsWith("[trace] "));
    for (const want of [
      /connecting to 127\.0\.0\.1 port \d+/,
      /<- IAC WILL ECHO$/,
      /-> IAC DO ECHO$/,
      /<- FIN: the server closed its side$/,
      /closed by remote \(fin\)$/,
    ])
      assert.ok(
        events.some((l) => want.test(l)),
        `${want} in:\n${events.join("\n")}`,
      );
    assert.ok(!events.some((l) => /(<-|->) "/.test(l)), "the text is on stdout, not repeated");
    const close = err.indexOf("Connection closed by foreign host.");
    assert.ok(close > err.lastIndexOf("[trace] "), "the end comes after the events");
    assert.match(err.slice(close), /teldoc: logout/);
  });
});
