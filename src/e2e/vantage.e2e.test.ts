/**
 * Many vantage points, end to end: two REAL `teldoc monitor` processes, one in the path lab's
 * `client` namespace (vantage office-lan, behind the middlebox) and one in the `middlebox`
 * namespace (vantage dc1, next to the server), probe the same lab server and write to one REAL
 * PostgreSQL (through its unix socket: a namespace has its own loopback, not its own file
 * system). Then the path from office-lan breaks (the middlebox drops what it forwards) while
 * dc1 still reaches the server: `teldoc monitor report` must say "the path from office-lan".
 * Root, network namespaces and PostgreSQL only.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { PATH_ADDRESSES, type PathLab, pathLabUnsupported } from "../lab/netns.js";
import { withPathServer } from "../lab/netns-client.js";
import type { Report, VantageFinding } from "../monitor/analysis/types.js";
import { runTeldoc, TELDOC_BIN } from "../testing/cli.js";
import { findPostgres, type PostgresCluster, startPostgres } from "../testing/daemons/postgres.js";
import { skipUnlessCI } from "../testing/requirement.js";

const pgBin = findPostgres();
const skip =
  skipUnlessCI("network namespaces", pathLabUnsupported()) ||
  skipUnlessCI("PostgreSQL (Debian package postgresql)", pgBin.ok ? false : pgBin.reason);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("two vantage points, one PostgreSQL, a path that breaks for one", {
  skip,
  timeout: 120_000,
}, () => {
  let pg: PostgresCluster;
  let work: string;
  before(async () => {
    pg = await startPostgres((pgBin as { dir: string }).dir);
    work = await mkdtemp(join(tmpdir(), "teldoc-vantage-"));
  });
  after(async () => {
    await pg?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("fails from office-lan, never from dc1: the report names the path from office-lan", async () => {
    await pg.createDatabase("vantage");
    const db = pg.socketUrl("vantage");
    await withPathServer("tdvant", async (lab: PathLab) => {
      const config = async (vantage: string) => {
        const path = join(work, `${vantage}.yaml`);
        await writeFile(
          path,
          `vantage: ${vantage}
storage: "${db}"
defaults: {interval: 1s, timeout: 900ms, level: telnet, connects: 1}
targets:
  - {name: core-sw1, host: ${PATH_ADDRESSES.server}, port: 23}
`,
        );
        return path;
      };
      const monitors: { name: string; child: ChildProcess; out: string }[] = [];
      for (const [ns, vantage] of [
        ["client", "office-lan"],
        ["middlebox", "dc1"],
      ] as const) {
        const child = lab.spawn(ns, process.execPath, [
          TELDOC_BIN,
          "monitor",
          await config(vantage),
          "--listen",
          "off",
        ]);
        const m = { name: vantage, child, out: "" };
        child.stdout?.on("data", (b: Buffer) => {
          m.out += b.toString();
        });
        child.stderr?.on("data", (b: Buffer) => {
          m.out += b.toString();
        });
        monitors.push(m);
      }
      const exited = monitors.map(
        (m) => new Promise<number | null>((resolve) => m.child.on("close", resolve)),
      );
      await sleep(4000);
      await lab.fault("network-failure");
      await sleep(12_000);
      for (const m of monitors) m.child.kill("SIGTERM");
      const codes = await Promise.race([Promise.all(exited), sleep(20_000).then(() => undefined)]);
      for (const m of monitors) m.child.kill("SIGKILL");
      const outs = monitors.map((m) => `--- ${m.name}\n${m.out}`).join("\n");
      assert.deepEqual(codes, [0, 0], outs);
      assert.match(monitors[0]!.out, /core-sw1 .*FAILING/, outs);
      assert.doesNotMatch(monitors[1]!.out, /FAILING/, outs);
    });
    const r = await runTeldoc(["monitor", "report", "--db", db, "--json"], { limitMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout) as Report;
    const of = (v: string) =>
      report.targets.find((t) => t.target === "core-sw1" && t.vantage === v);
    assert.ok(of("office-lan") && of("dc1"), r.stdout);
    assert.ok(of("office-lan")!.availability! < 0.9, JSON.stringify(of("office-lan")));
    assert.equal(of("dc1")!.availability, 1, JSON.stringify(of("dc1")));
    const all = [...report.findings, ...report.targets.flatMap((t) => t.findings)];
    const v = all.find((f): f is VantageFinding => f.kind === "vantage");
    assert.ok(v, `no vantage finding: ${JSON.stringify(all, null, 1)}`);
    assert.deepEqual(v.failing, ["office-lan"]);
    assert.deepEqual(v.healthy, ["dc1"]);
    assert.match(v.summary, /office-lan/);
    const text = await runTeldoc(["monitor", "report", "--db", db], { limitMs: 30_000 });
    assert.match(text.stdout, /office-lan/);
  });
});
