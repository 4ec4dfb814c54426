/**
 * `teldoc monitor` and its subcommands as a user meets them (the real binary): check's exit
 * codes and messages with line numbers, usage errors in one line, --once against a lab server
 * and a closed port, export/import of a bad line, report on an empty store.
 */
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { type Lab, startLab } from "../lab/server.js";
import { runTeldoc } from "../testing/cli.js";

describe("teldoc monitor (CLI)", () => {
  let dir: string;
  let lab: Lab;
  let closed: number;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), "teldoc-monitor-cli-"));
    lab = await startLab({ scenario: "healthy", port: 0 });
    const s = createServer();
    await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
    closed = (s.address() as { port: number }).port;
    await new Promise<void>((r) => s.close(() => r()));
  });
  after(async () => {
    await lab.close();
    await rm(dir, { recursive: true, force: true });
  });

  test("check: a good config prints the plan, exit 0; no secret value is printed", async () => {
    const cfg = join(dir, "good.yaml");
    await writeFile(
      cfg,
      `targets:\n  - {name: sw1, host: 192.0.2.10, level: login, user: admin, password_env: SW1_PW}\n  - {host: 192.0.2.11, interval: 30s}\n`,
    );
    const r = await runTeldoc(["monitor", "check", cfg], { env: { SW1_PW: "pw-value-9" } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /sw1/);
    assert.match(r.stdout, /192\.0\.2\.11:23/);
    assert.ok(!r.stdout.includes("pw-value-9"));
  });

  test("check: a bad config names file, line and path of every problem, exit 2", async () => {
    const cfg = join(dir, "bad.yaml");
    await writeFile(
      cfg,
      `defaults: {interval: 10}\ntargets:\n  - {name: a, host: 192.0.2.1, port: 23a}\n  - {name: a, host: 192.0.2.2, colour: red}\n`,
    );
    const r = await runTeldoc(["monitor", "check", cfg]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.yaml:1:\d+ defaults\.interval/);
    assert.match(r.stderr, /bad\.yaml:3:\d+ targets\[0\]\.port/);
    assert.match(r.stderr, /bad\.yaml:4:\d+ targets\[1\]\.colour/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, "no stack trace");
  });

  test("usage errors: one line, exit 2", async () => {
    for (const args of [
      ["monitor"],
      ["monitor", "--target", "h", "--listen", "nowhere:port"],
      ["monitor", "--target", "h", "--level", "ssh"],
      ["monitor", "report", "--since", "7y"],
      ["monitor", "check", join(dir, "missing.yaml")],
    ]) {
      const r = await runTeldoc(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stderr.trim().split("\n").length >= 1, true);
      assert.doesNotMatch(r.stderr, /internal error|at .*\.js:\d+/, args.join(" "));
    }
  });

  test("--once: a healthy lab server and a closed port, stored, exit 1", async () => {
    const db = `sqlite:${join(dir, "once.db")}`;
    const r = await runTeldoc([
      "monitor",
      "--target",
      `127.0.0.1:${lab.port}`,
      "--target",
      `127.0.0.1:${closed}`,
      "--once",
      "--db",
      db,
    ]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /✔ .* healthy \(3\/3 connects answered/);
    assert.match(r.stdout, /✖ .* refused at connect/);
    assert.match(r.stdout, /→ /, "the advice");
    const exported = await runTeldoc(["monitor", "export", "--db", db]);
    assert.equal(exported.stdout.trim().split("\n").length, 2);
  });

  test("import: a bad line stops with its line number, exit 2; report on an empty store", async () => {
    const file = join(dir, "bad.jsonl");
    await writeFile(file, '\n{"t":"2026-11-30T14:00:00Z"}\n');
    const db = `sqlite:${join(dir, "import.db")}`;
    const r = await runTeldoc(["monitor", "import", file, "--db", db]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /bad\.jsonl:2: /);
    const rep = await runTeldoc(["monitor", "report", "--db", db, "--json"]);
    assert.equal(rep.code, 0, rep.stderr);
    assert.deepEqual(JSON.parse(rep.stdout).targets, []);
  });
});
