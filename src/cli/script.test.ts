/**
 * `connect --script` through the real CLI against the lab: a step that fails fails the run
 * (exit 1, one line naming the script's line), however the session then ended; `sendline`
 * sends the text and the line end, `send` exactly the text.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { runTeldoc } from "../testing/cli.js";

let dir: string;
let healthy: Lab;
let closing: Lab;
before(async () => {
  dir = mkdtempSync(join(tmpdir(), "teldoc-script-"));
  healthy = await startLab({ scenario: "healthy" });
  closing = await startLab({ scenario: "server-closed", config: { afterMs: 300 } });
});
after(async () => {
  await healthy.close();
  await closing.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run `teldoc connect 127.0.0.1 PORT --script FILE ...extra` with the script's lines. */
function connect(lab: Lab, lines: string[], extra: string[] = []) {
  const file = join(dir, `s${Math.random().toString(16).slice(2)}.txt`);
  writeFileSync(file, `${lines.join("\n")}\n`);
  return runTeldoc(["connect", "127.0.0.1", String(lab.port), "--script", file, ...extra]);
}

const LOGIN = ["expect login: 5s", "sendline demo", "expect Password: 5s", "sendline demo"];

describe("connect --script: a failed step fails the run", () => {
  test("an expect that times out: exit 1, the line, the pattern, the wait, the last text", async () => {
    const r = await connect(healthy, ["# log in", "expect login: 5s", "expect Password: 300ms"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^teldoc: script line 3: expected \/Password:\/ within 300 ms; last text seen: ".*login: "$/m,
    );
    // The session itself ended in order: the script closed it.
    assert.match(r.stderr, /^teldoc: local-close /m);
  });

  test("the connection ended before the pattern came: exit 1, said so", async () => {
    const r = await connect(closing, [...LOGIN, "expect never-printed 10s"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      /^teldoc: script line 5: the connection ended before \/never-printed\/ came; last text seen: "/m,
    );
  });

  test("a send after the end: exit 1", async () => {
    const r = await connect(closing, [...LOGIN, "wait 5s", "sendline uptime"]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^teldoc: script line 6: the connection had ended$/m);
  });

  test("every step passes, the user logs out: exit 0, nothing about the script", async () => {
    const r = await connect(healthy, [...LOGIN, "expect \\$ 5s", "sendline exit", "wait 5s"]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /script/);
    assert.match(r.stderr, /^teldoc: logout /m);
  });
});

describe("connect --script: send and sendline", () => {
  test("sendline adds CR LF (not in BINARY mode); send adds nothing; --json", async () => {
    const steps = [...LOGIN, "expect \\$ 5s", "send echo a", "sendline b", "expect a ?b", "close"];
    const r = await connect(healthy, steps, ["--json"]);
    assert.equal(r.code, 0, r.stderr);
    const sent = r.stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as { type: string; dir?: string; text?: string })
      .filter((e) => e.type === "data" && e.dir === "out")
      .map((e) => e.text);
    assert.deepEqual(sent.slice(0, 1), ["demo\r\n"]);
    // Numbers are written rounded: no 2.9850000000000003.
    assert.doesNotMatch(r.stdout, /[:,[]-?\d+\.\d{4,}[,\]}]/);
    assert.equal(sent.slice(2).join(""), "echo ab\r\n");
  });
});
