/**
 * @module The library's `trace: "FILE"` when writing fails mid-session (the reader of a pipe
 * goes away, as a full disk would fail it): one `warning` with TELDOC_ERR_TRACE_WRITE, a process
 * warning when nobody listens, and the session goes on. Real sockets (the lab), a real FIFO.
 */
import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { isTeldocError, type TeldocError } from "../errors.js";
import { type Lab, startLab } from "../lab/server.js";
import { connect } from "./connect.js";

let lab: Lab;
let dir: string;
before(async () => {
  lab = await startLab({ scenario: "healthy" });
  dir = mkdtempSync(join(tmpdir(), "teldoc-trace-write-"));
});
after(async () => {
  await lab.close();
  rmSync(dir, { recursive: true });
});

/** A FIFO with a reader (`cat`), which the test kills to make the next write fail (EPIPE). */
function pipeWithReader(name: string): { path: string; reader: ChildProcess } {
  const path = join(dir, name);
  execFileSync("mkfifo", [path]);
  const reader = spawn("cat", [path], { stdio: "ignore" });
  return { path, reader };
}

/** Wait until `done()` (the write error comes from the thread pool, in its own time), at most 5 s. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await new Promise((r) => setTimeout(r, 10));
}

async function killed(reader: ChildProcess): Promise<void> {
  const gone = new Promise((r) => reader.once("exit", r));
  reader.kill("SIGKILL");
  await gone;
}

describe("library: a trace file that cannot be written", () => {
  test("one warning event (TELDOC_ERR_TRACE_WRITE, EPIPE); exec and close go on", async () => {
    const { path, reader } = pipeWithReader("listened.jsonl");
    const s = await connect({ host: "127.0.0.1", port: lab.port, trace: path });
    const warnings: TeldocError[] = [];
    s.on("warning", (w) => warnings.push(w));
    await s.login({ user: "demo", password: "demo", timeout: "10s" });
    await killed(reader);
    assert.equal(await s.exec("whoami", { timeout: "5s" }), "demo");
    await until(() => warnings.length > 0);
    for (let i = 0; i < 5; i++) assert.equal(await s.exec("whoami", { timeout: "5s" }), "demo");
    assert.equal(warnings.length, 1, "one warning");
    const [w] = warnings;
    assert.ok(isTeldocError(w, "TELDOC_ERR_TRACE_WRITE"), w.message);
    assert.equal((w.cause as NodeJS.ErrnoException).code, "EPIPE");
    assert.ok(w.message.includes(path));
    const end = await s.close();
    assert.equal(end.diagnosis.cause, "local-close");
  });

  test("without a listener it is a process warning", async () => {
    const { path, reader } = pipeWithReader("unheard.jsonl");
    const heard: Error[] = [];
    const onWarning = (w: Error) => heard.push(w);
    process.on("warning", onWarning);
    try {
      const s = await connect({ host: "127.0.0.1", port: lab.port, trace: path });
      await s.login({ user: "demo", password: "demo", timeout: "10s" });
      await killed(reader);
      assert.equal(await s.exec("whoami", { timeout: "5s" }), "demo");
      await until(() => heard.length > 0);
      await s.close();
      assert.ok(
        heard.some((w) => isTeldocError(w, "TELDOC_ERR_TRACE_WRITE")),
        `process warning: ${heard.map(String)}`,
      );
    } finally {
      process.off("warning", onWarning);
    }
  });
});
