/**
 * @module End to end: the REAL `teldoc monitor` (bin/teldoc.js, a child process) against REAL
 * Debian daemons on loopback (xinetd + inetutils telnetd + /bin/login, only_from, a service at
 * its instance limit) and a closed port. One round of each (`--once`): each target's cause is
 * the one `diagnose` names for the same server. The foreground monitor: state-change lines,
 * SIGHUP with a bad config (the old one keeps running), SIGHUP with a good one, SIGTERM with
 * every sample written; then export, import and report on what it stored. A password never
 * reaches stdout, stderr, the database or a kept trace.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import type { Report } from "../monitor/analysis/types.js";
import type { Sample } from "../monitor/sample.js";
import { openStore } from "../monitor/store/open.js";
import { runTeldoc, TELDOC_BIN } from "../testing/cli.js";
import {
  canRunDaemons,
  ensureTestUser,
  freePorts,
  holdSlot,
  limited,
  onlyFrom,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipUnlessCI } from "../testing/requirement.js";

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);
const WRONG = "Wr0ng-monitor!";

describe("teldoc monitor against real daemons (end to end)", { skip, timeout: 180_000 }, () => {
  let xinetd: XinetdHandle;
  let work: string;
  let closedPort: number;
  let slot: Socket | undefined;
  const svc = {
    login: telnetdLogin(),
    onlyFrom: onlyFrom("127.0.0.2", { name: "teldoc-mon-onlyfrom" }),
    busy: limited({
      instances: 1,
      bannerFail: "Too many connections, try again later\r\n",
      name: "teldoc-mon-busy",
    }),
  };
  const port = (name: string) => xinetd.port(name);
  const env = { TELDOC_MON_PW: TEST_PASSWORD, TELDOC_MON_WRONG: WRONG };

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "teldoc-monitor-e2e-"));
    await ensureTestUser();
    xinetd = await startXinetd(Object.values(svc));
    [closedPort] = await freePorts(1);
  });
  after(async () => {
    slot?.destroy();
    await xinetd?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  async function config(name: string, text: string): Promise<string> {
    const path = join(work, name);
    await writeFile(path, text);
    return path;
  }

  function assertNoSecret(where: string, text: string): void {
    for (const secret of [TEST_PASSWORD, WRONG]) {
      assert.ok(!text.includes(secret), `a password appears in ${where}`);
      const hex = Buffer.from(secret).toString("hex");
      assert.ok(!text.toLowerCase().includes(hex), `a password's hex appears in ${where}`);
    }
  }

  test("--once: each target's cause, as diagnose would name it; no password anywhere", async () => {
    slot = await holdSlot(port(svc.busy.name));
    const db = join(work, "once.db");
    const cfg = await config(
      "once.yaml",
      `vantage: e2e
storage: sqlite:${db}
defaults: {interval: 60s, timeout: 15s, connects: 2}
targets:
  - {name: login-ok, host: 127.0.0.1, port: ${port(svc.login.name)}, level: login, user: ${TEST_USER}, password_env: TELDOC_MON_PW}
  - {name: login-bad, host: 127.0.0.1, port: ${port(svc.login.name)}, level: login, user: ${TEST_USER}, password_env: TELDOC_MON_WRONG}
  - {name: telnet-ok, host: 127.0.0.1, port: ${port(svc.login.name)}, tags: [site:lab]}
  - {name: only-from, host: 127.0.0.1, port: ${port(svc.onlyFrom.name)}}
  - {name: busy, host: 127.0.0.1, port: ${port(svc.busy.name)}}
  - {name: closed, host: 127.0.0.1, port: ${closedPort}, level: tcp}
`,
    );
    const r = await runTeldoc(["monitor", cfg, "--once", "--json"], { env, limitMs: 60_000 });
    assert.ok(!r.killed, `killed\n${r.stdout}\n${r.stderr}`);
    assert.equal(r.code, 1, r.stderr);
    const samples = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Sample);
    const byName = Object.fromEntries(samples.map((s) => [s.target, s]));
    const cause = (n: string) =>
      [byName[n]?.cause, byName[n]?.stage, JSON.stringify(byName[n]?.evidence)] as const;
    assert.deepEqual(cause("login-ok").slice(0, 2), ["healthy", null], cause("login-ok")[2]);
    assert.ok(byName["login-ok"]!.timings.loginMs! > 0);
    assert.deepEqual(
      cause("login-bad").slice(0, 2),
      ["auth-failed", "login"],
      cause("login-bad")[2],
    );
    assert.deepEqual(cause("telnet-ok").slice(0, 2), ["healthy", null]);
    assert.ok(byName["telnet-ok"]!.timings.promptMs! > 0);
    assert.equal(byName["telnet-ok"]!.connects.answered, 2);
    assert.deepEqual(
      cause("only-from").slice(0, 2),
      ["acl-rejected", "telnet"],
      cause("only-from")[2],
    );
    assert.deepEqual(
      cause("busy").slice(0, 2),
      ["service-unavailable", "telnet"],
      cause("busy")[2],
    );
    assert.deepEqual(cause("closed").slice(0, 2), ["refused", "connect"]);
    assertNoSecret("stdout", r.stdout);
    assertNoSecret("stderr", r.stderr);
    const store = await openStore(`sqlite:${db}`);
    try {
      const stored: Sample[] = [];
      for await (const s of store.samples()) stored.push(s);
      assert.equal(stored.length, 6);
      const traces = await store.traces("login-bad");
      assert.equal(traces.length, 1);
      assertNoSecret("the kept trace", traces[0]!.jsonl);
      assert.match(traces[0]!.jsonl, /"masked":true/);
    } finally {
      await store.close();
    }
    assertNoSecret("the database", (await readFile(db)).toString("latin1"));
    slot.destroy();
    slot = undefined;
  });

  test("foreground: state lines, SIGHUP bad then good, SIGTERM writes every sample", async () => {
    const db = join(work, "run.db");
    const good = (extra = "") => `vantage: e2e-run
storage: sqlite:${db}
defaults: {interval: 1s, timeout: 900ms, connects: 1, level: tcp}
targets:
  - {name: telnet-ok, host: 127.0.0.1, port: ${port(svc.login.name)}}
${extra}`;
    const cfg = await config("run.yaml", good());
    const child = spawn(process.execPath, [TELDOC_BIN, "monitor", cfg, "--listen", "127.0.0.1:0"], {
      env: { ...process.env, NO_COLOR: "1", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const waitFor = async (pattern: RegExp, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!pattern.test(out)) {
        if (Date.now() > deadline) assert.fail(`no ${pattern} in ${ms} ms\n${out}\n${err}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      await waitFor(/teldoc monitor: 1 target/);
      await new Promise((r) => setTimeout(r, 2500));
      await writeFile(cfg, `${good()}surprise: 1\n`);
      child.kill("SIGHUP");
      await waitFor(/reload failed, still running the previous config: .*surprise/);
      await writeFile(cfg, good(`  - {name: closed, host: 127.0.0.1, port: ${closedPort}}\n`));
      child.kill("SIGHUP");
      await waitFor(/reloaded .*2 target/);
      await waitFor(/closed \(127\.0\.0\.1:\d+\)\s+FAILING refused at connect/);
      await new Promise((r) => setTimeout(r, 1500));
      child.kill("SIGTERM");
      const code = await exited;
      assert.equal(code, 0, `${out}\n${err}`);
      await waitFor(/stopped: (\d+) sample/);
    } finally {
      child.kill("SIGKILL");
    }
    const stored = Number(/stopped: (\d+) sample/.exec(out)![1]);
    assert.ok(stored >= 5, out);
    // Healthy rounds print nothing: lines for the failing target, none per probe.
    assert.equal(out.match(/telnet-ok/g)?.length ?? 0, 0, `${out}\n${err}`);
    const exported = await runTeldoc(["monitor", "export", "--db", `sqlite:${db}`]);
    assert.equal(exported.code, 0, exported.stderr);
    const lines = exported.stdout.trim().split("\n");
    assert.equal(lines.length, stored);
    // The export reads back into another store, and out again the same.
    const copy = `sqlite:${join(work, "copy.db")}`;
    const imported = await runTeldoc(["monitor", "import", "-", "--db", copy], {
      input: exported.stdout,
    });
    assert.equal(imported.code, 0, imported.stderr);
    const again = await runTeldoc(["monitor", "export", "--db", copy]);
    assert.equal(again.stdout, exported.stdout);
    const report = await runTeldoc(["monitor", "report", "--db", `sqlite:${db}`, "--json"]);
    assert.equal(report.code, 0, report.stderr);
    const rep = JSON.parse(report.stdout) as Report;
    const t = rep.targets.find((x) => x.target === "telnet-ok");
    assert.equal(t?.availability, 1);
    const c = rep.targets.find((x) => x.target === "closed");
    assert.equal(c?.availability, 0);
    assert.ok((c?.byCause.refused ?? 0) >= 1);
  });
});
