/** `teldoc logs` as users run it: the real CLI on corpus files, its JSON, its usage errors. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runTeldoc } from "../testing/cli.js";

const CORPUS = fileURLToPath(new URL("../../src/hostcheck/logs/corpus/", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "teldoc-logs-cli-"));
after(() => rmSync(dir, { recursive: true, force: true }));

describe("teldoc logs", () => {
  test("--json is one object: sessions with evidence, byCause, unparsed; --client filters", async () => {
    const r = await runTeldoc([
      "logs",
      `${CORPUS}rhel8-secure.log`,
      "--json",
      "--client",
      "::ffff:192.0.2.7",
    ]);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(out.sessions[0]).slice(0, 5), [
      "client",
      "start",
      "end",
      "cause",
      "evidence",
    ]);
    assert.deepEqual(
      out.sessions.map((s: { cause: string }) => s.cause),
      ["auth-failed", "logout", "logout"],
    );
    assert.deepEqual(out.byCause, { "auth-failed": 1, logout: 2 });
    assert.equal(out.unparsed, 1);
    assert.match(out.sessions[0].evidence[0].file, /rhel8-secure\.log$/);
    assert.equal(out.sessions[0].evidence[0].line, 1);
  });

  test("text: one block per session with its key line, then totals and the time zone", async () => {
    const r = await runTeldoc(["logs", `${CORPUS}debian12-auth.log`], {
      env: { TZ: "Europe/Paris" },
    });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^2026-11-30 14:00:01 {2}198\.51\.100\.23 {2}acl-rejected/m);
    assert.match(r.stdout, /> .*debian12-auth\.log:1 {2}.*refused connect from/);
    assert.match(r.stdout, /^by cause: /m);
    assert.match(r.stdout, /Times are local time \(Europe\/Paris\)/);
  });

  test("usage errors: no log, files and --journal, a missing file (exit 2, one line)", async () => {
    for (const args of [
      ["logs"],
      ["logs", "x.log", "--journal"],
      ["logs", join(dir, "none.log")],
      ["logs", "a.log", "--since", "10"],
    ]) {
      const r = await runTeldoc(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, /^teldoc: /);
    }
  });

  test("--trace with a file that is no trace is a usage error naming it", async () => {
    const bad = join(dir, "bad.jsonl");
    writeFileSync(bad, "not json\n");
    const r = await runTeldoc(["logs", `${CORPUS}debian12-auth.log`, "--trace", bad]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.jsonl:1/);
  });
});
