/**
 * A slow, chunk-splitting path in front of REAL inetutils telnetd + /bin/login (under xinetd):
 * every chunk, each way, held 100-300 ms and re-split at random points by a relay on loopback.
 * The login must never be blamed on the credentials: diagnose says healthy every time, the
 * library logs in and runs a command, connect --user logs in.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runChecklist } from "../checks/run.js";
import type { DiagnoseReport } from "../checks/types.js";
import { connect } from "../session/connect.js";
import { runTeldoc } from "../testing/cli.js";
import {
  canRunDaemons,
  ensureTestUser,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { type SlowRelay, seeded, startSlowRelay } from "../testing/slow-relay.js";

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);

/** Runs of diagnose through the relay, and how many at once (each is mostly waiting). */
const RUNS = 20;
const AT_ONCE = 5; // xinetd's default cps (50 a second) must not trip: each run connects 6 times

function explain(r: DiagnoseReport): string {
  return `${r.verdict.cause} ${r.verdict.confidence}: ${r.verdict.summary}\n${r.checks
    .map((c) => `${c.id} ${c.status} ${c.summary}`)
    .join("\n")}`;
}

describe("a slow, re-splitting path to real telnetd + login", { skip }, () => {
  let xinetd: XinetdHandle;
  let relay: SlowRelay;
  const svc = telnetdLogin({ name: "teldoc-slow-login" });

  before(async () => {
    await ensureTestUser();
    xinetd = await startXinetd([svc]);
    const seed = Date.now() % 1_000_000;
    // The seed is printed so that a failing run can be replayed.
    process.stdout.write(`# slow relay seed ${seed}\n`);
    relay = await startSlowRelay({
      host: "127.0.0.1",
      port: xinetd.port(svc.name),
      random: seeded(seed),
    });
  });
  after(async () => {
    await relay?.close();
    await xinetd?.stop();
  });

  test(`diagnose --user with the right password says healthy in ${RUNS} runs of ${RUNS}`, async () => {
    const one = () =>
      runChecklist({
        host: "127.0.0.1",
        port: relay.port,
        connectTimeoutMs: 5000,
        sshPort: 1,
        user: TEST_USER,
        password: TEST_PASSWORD,
        tools: { ping: false, path: [] },
      });
    const reports: DiagnoseReport[] = [];
    for (let i = 0; i < RUNS; i += AT_ONCE)
      reports.push(...(await Promise.all(Array.from({ length: AT_ONCE }, one))));
    const wrong = reports.filter((r) => r.verdict.cause !== "healthy");
    assert.equal(wrong.length, 0, wrong.map(explain).join("\n---\n"));
    for (const r of reports) {
      const login = r.checks.find((c) => c.id === "login");
      assert.equal(login?.status, "pass", explain(r));
    }
  });

  test("the library logs in and runs a command, 5 sessions at once", async () => {
    const one = async () => {
      const s = await connect({ host: "127.0.0.1", port: relay.port, connectTimeout: "5s" });
      try {
        await s.login({ user: TEST_USER, password: TEST_PASSWORD, timeout: "20s" });
        const out = await s.exec("echo teldoc-$((6*7))", { timeout: "10s" });
        assert.match(out, /teldoc-42/);
      } finally {
        await s.close();
      }
    };
    await Promise.all(Array.from({ length: 5 }, one));
  });

  test("connect --user --password-env then a script: logged in, the command answered", async () => {
    const dir = mkdtempSync(join(tmpdir(), "teldoc-slow-"));
    const script = join(dir, "script.txt");
    writeFileSync(
      script,
      "expect [$#] 15s\nsend echo teldoc-$((6*7))\\r\nexpect teldoc-42 10s\nsend exit\\r\nwait 10s\n",
    );
    const r = await runTeldoc(
      [
        "connect",
        "127.0.0.1",
        String(relay.port),
        "--user",
        TEST_USER,
        "--password-env",
        "SLOW_PW",
        "--script",
        script,
        "--json",
      ],
      {
        env: { SLOW_PW: TEST_PASSWORD },
        limitMs: 60_000,
      },
    );
    rmSync(dir, { recursive: true, force: true });
    assert.doesNotMatch(r.stderr, /^teldoc: script line/m, "every script step passed");
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes(TEST_PASSWORD), "the password is in no output");
    assert.match(r.stdout, /"cause":"logout"/, r.stdout.slice(-2000));
  });
});
