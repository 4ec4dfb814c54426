/**
 * End to end: REAL xinetd, inetutils telnetd and /bin/login (with PAM) produce real log lines —
 * xinetd's own file, and login/telnetd's syslog lines caught by a private BusyBox syslogd (a
 * private mount namespace: /dev/log is never touched, see testing/daemons/syslogd.ts) — while
 * the REAL `teldoc connect` makes the sessions; then the REAL `teldoc logs --json` must name each
 * one's cause, and `--trace` must find the server's side of a client trace.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runTeldoc } from "../../testing/cli.js";
import {
  BUSYBOX,
  type SyslogHandle,
  startPrivateSyslog,
  telnetdWithSyslog,
} from "../../testing/daemons/syslogd.js";
import {
  canRunDaemons,
  canUnshareMount,
  ensureTestUser,
  holdSlot,
  LOGIN_DEFS,
  limited,
  onlyFrom,
  rewriteLoginDef,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  type XinetdHandle,
} from "../../testing/daemons.js";
import { skipUnlessCI } from "../../testing/requirement.js";
import type { ServerSession } from "./types.js";

const daemons = canRunDaemons();
const ns = canUnshareMount();
const missing = !daemons.ok
  ? daemons.reason
  : !ns.ok
    ? ns.reason
    : existsSync(BUSYBOX)
      ? false
      : `${BUSYBOX} is missing (package busybox-static)`;
const skip = skipUnlessCI("real xinetd, telnetd, login and a private syslogd", missing);

interface LogsJson {
  sessions: ServerSession[];
  byCause: Record<string, number>;
  unparsed: number;
  trace?: { session: ServerSession | null; skewMs: number | null; verdict: string };
}

describe("teldoc logs against real daemons' logs", { skip }, () => {
  let work: string;
  let syslog: SyslogHandle;
  let xinetd: XinetdHandle;

  before(async () => {
    await ensureTestUser();
    work = await mkdtemp(join(tmpdir(), "teldoc-logs-e2e-"));
    syslog = await startPrivateSyslog();
    const defs = rewriteLoginDef(readFileSync(LOGIN_DEFS, "utf8"), "LOGIN_RETRIES", 1);
    xinetd = await startXinetd([
      telnetdWithSyslog(syslog, { name: "teldoc-logs-login", loginDefs: defs }),
      onlyFrom("192.0.2.1", { name: "teldoc-logs-onlyfrom" }),
      limited({ instances: 1, name: "teldoc-logs-limited" }),
    ]);
  });

  after(async () => {
    await xinetd?.stop();
    await syslog?.stop();
    if (work) await rm(work, { recursive: true, force: true });
  });

  const connect = async (service: string, extra: string[], traceName?: string) => {
    const args = ["connect", "127.0.0.1", String(xinetd.port(service)), "--connect-timeout", "5s"];
    if (traceName) args.push("--trace", join(work, traceName));
    return runTeldoc([...args, ...extra], {
      env: { TELDOC_LOGS_PW: TEST_PASSWORD },
      limitMs: 30_000,
    });
  };
  const script = async (name: string, ...steps: string[]) => {
    const path = join(work, name);
    await writeFile(path, `${steps.join("\n")}\n`);
    return path;
  };

  test("refused, limited, logged out, wrong password: each session's cause, and --trace", async () => {
    // 1. Refused by only_from: xinetd's FAIL address.
    await connect(
      "teldoc-logs-onlyfrom",
      ["--script", await script("s1", "wait 5s")],
      "refused.jsonl",
    );
    // 2. The per-instance limit: one slot held, the next one refused (service_limit).
    const holder = await holdSlot(xinetd.port("teldoc-logs-limited"));
    await connect("teldoc-logs-limited", ["--script", await script("s2", "wait 5s")]);
    holder.destroy();
    // 3. A login and a logout.
    const login = ["--user", TEST_USER, "--password-env", "TELDOC_LOGS_PW"];
    const out = await script("s3", "expect \\$ $ 10s", "send exit\\r\\n", "wait 10s");
    const ok = await connect("teldoc-logs-login", [...login, "--script", out]);
    assert.equal(ok.code, 0, ok.stderr);
    // 4. A wrong password: with LOGIN_RETRIES=1 login gives up after the first.
    const wrong = await runTeldoc(
      [
        "connect",
        "127.0.0.1",
        String(xinetd.port("teldoc-logs-login")),
        "--user",
        TEST_USER,
        "--password-env",
        "TELDOC_LOGS_PW",
        "--script",
        await script("s4", "wait 15s"),
      ],
      { env: { TELDOC_LOGS_PW: "not-the-password" }, limitMs: 30_000 },
    );
    assert.notEqual(wrong.code, null, "the wrong-password run ended");
    await xinetd.waitForLog(/EXIT: teldoc-logs-limited/);
    await syslog.waitFor(/TOO MANY LOGIN TRIES|FAILED LOGIN/, 10_000);
    await xinetd.waitForLog(/EXIT: teldoc-logs-login[\s\S]*EXIT: teldoc-logs-login/, 10_000);

    const r = await runTeldoc(
      ["logs", xinetd.logPath, syslog.logPath, "--json", "--trace", join(work, "refused.jsonl")],
      { limitMs: 30_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as LogsJson;
    const by = (service: string) => json.sessions.filter((s) => s.service === service);
    assert.deepEqual(
      by("teldoc-logs-onlyfrom").map((s) => s.cause),
      ["acl-rejected"],
    );
    const limitedCauses = by("teldoc-logs-limited").map((s) => s.cause);
    assert.ok(limitedCauses.includes("service-unavailable"), JSON.stringify(limitedCauses));
    const logins = by("teldoc-logs-login").map((s) => [s.cause, s.user]);
    assert.deepEqual(
      logins,
      [
        ["logout", TEST_USER],
        ["auth-failed", TEST_USER],
      ],
      r.stdout,
    );
    for (const s of json.sessions) assert.equal(s.client, "127.0.0.1");
    assert.ok(json.byCause["acl-rejected"]! >= 1);
    // --trace: the client's refused connection is the session xinetd refused (address).
    assert.equal(json.trace?.session?.cause, "acl-rejected", JSON.stringify(json.trace));
    assert.match(
      json.trace!.session!.key.text,
      /FAIL: teldoc-logs-onlyfrom address from=127\.0\.0\.1/,
    );
    assert.ok(Math.abs(json.trace!.skewMs!) < 2_000, `skew ${json.trace!.skewMs} ms`);
    assert.match(json.trace!.verdict, /the server saw: xinetd refused it: address/);
  });
});
