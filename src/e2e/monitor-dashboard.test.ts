/**
 * `teldoc monitor --listen` serves the dashboard: the real CLI probes a lab server and a closed
 * port, and its listener answers `/` with both targets (the closed one failing, refused, from
 * the engine's live state) and each target's page.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";

import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { closedPort } from "../lab/closed-port.js";
import { startLab } from "../lab/server.js";
import { TELDOC_BIN } from "../testing/cli.js";

test("teldoc monitor --listen serves the dashboard with the live state", {
  timeout: 60_000,
}, async () => {
  const lab = await startLab({ scenario: "healthy", port: 0 });
  const closed = await closedPort();
  const dir = await mkdtemp(join(tmpdir(), "teldoc-dash-e2e-"));
  const cfg = join(dir, "monitor.yaml");
  await writeFile(
    cfg,
    `vantage: e2e-dash
storage: sqlite:${join(dir, "m.db")}
defaults: {interval: 1s, timeout: 900ms, connects: 1, level: tcp}
targets:
  - {name: lab-ok, host: 127.0.0.1, port: ${lab.port}, tags: [site:lab]}
  - {name: closed, host: 127.0.0.1, port: ${closed}}
`,
  );
  const child = spawn(process.execPath, [TELDOC_BIN, "monitor", cfg, "--listen", "127.0.0.1:0"], {
    env: { ...process.env, NO_COLOR: "1" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  child.stderr.on("data", (b: Buffer) => {
    err += b.toString();
  });
  let out = "";
  child.stdout.on("data", (b: Buffer) => {
    out += b.toString();
  });
  const exited = new Promise((resolve) => child.on("close", resolve));
  try {
    const deadline = Date.now() + 20_000;
    let page = "";
    while (!/class="status failing"/.test(page)) {
      assert.ok(
        Date.now() < deadline,
        `no failing target on the dashboard in 20 s\n${out}\n${err}\n${page}`,
      );
      await new Promise((r) => setTimeout(r, 200));
      const url = /dashboard, \/metrics and \/probe on (http:\/\/\S+)/.exec(out)?.[1];
      if (url) page = await (await fetch(`${url}/`)).text();
    }
    assert.match(page, /closed<\/a>[\s\S]*?refused/);
    assert.match(page, /lab-ok<\/a>/, "the healthy target is listed too");
    const url = /on (http:\/\/\S+)/.exec(out)![1];
    const target = await fetch(`${url}/target/closed?since=24h`);
    assert.equal(target.status, 200);
    assert.match(await target.text(), /Now: <span class="status failing">failing<\/span>/);
  } finally {
    child.kill("SIGTERM");
    await exited;
    await lab.close();
    await rm(dir, { recursive: true, force: true });
  }
});
