/**
 * End to end: the REAL `teldoc diagnose --json` (bin/teldoc.js, a child process) against REAL
 * Debian daemons on loopback: xinetd + inetutils telnetd + /bin/login + bash (TMOUT), tcpd's
 * hosts.deny, xinetd's only_from and instances, sshd. Each check's pass and fail paths and the
 * verdict for each cause these peers produce; the exit code; no password in any output.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import type { CheckResult, DiagnoseReport } from "../checks/types.js";
import { runTeldoc } from "../testing/cli.js";
import {
  canRunDaemons,
  canUnshareMount,
  ensureTestUser,
  IDLE_PASSWORD,
  IDLE_TMOUT_SECONDS,
  IDLE_USER,
  limited,
  onlyFrom,
  type ServiceSpec,
  type SshdHandle,
  startSshd,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  telnetdViaTcpd,
  withTcpdDeny,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipOrFail, skipUnlessCI } from "../testing/requirement.js";

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);
const namespaced = capability.ok && canUnshareMount().ok;
const privateDeny = namespaced && existsSync("/etc/hosts.deny");
const TCPD_NAME = "teldocdiagwrap";

/** `diagnose --json` as the contract's types say (JSON: no class instances, same fields). */
type Report = DiagnoseReport;
type Check = CheckResult;
interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  report: Report;
  ms: number;
}

/** Run `teldoc diagnose ARGS --json` (SIGKILL after limitMs). */
async function diagnose(
  args: string[],
  opts: { env?: Record<string, string>; limitMs?: number } = {},
): Promise<Run> {
  const limitMs = opts.limitMs ?? 30_000;
  const r = await runTeldoc(["diagnose", ...args, "--json"], { ...opts, limitMs });
  assert.ok(!r.killed, `diagnose ran past ${limitMs} ms\n${r.stdout}\n${r.stderr}`);
  let report: Report;
  try {
    report = JSON.parse(r.stdout) as Report;
  } catch {
    assert.fail(`stdout is not one JSON object:\n${r.stdout}\n--- stderr ---\n${r.stderr}`);
  }
  return { ...r, report };
}

function check(r: Run, id: string): Check {
  const c = r.report.checks.find((x) => x.id === id);
  assert.ok(c, `no ${id} check`);
  return c;
}

function verdict(r: Run, cause: string, exit: number): void {
  assert.equal(
    r.report.verdict.cause,
    cause,
    `verdict ${JSON.stringify(r.report.verdict, null, 1)}\n${r.report.checks.map((c) => `${c.id} ${c.status} ${c.summary}`).join("\n")}`,
  );
  assert.equal(r.code, exit, `exit code; stderr: ${r.stderr}`);
}

const quick = ["--port-ssh", "1"]; // no SSH lookups unless the test is about SSH

describe("teldoc diagnose against real daemons (end to end)", { skip }, () => {
  let xinetd: XinetdHandle;
  let sshd: SshdHandle | undefined;
  const svc = {
    login: telnetdLogin(),
    tcpd: telnetdViaTcpd(TCPD_NAME, { denied: privateDeny }),
    onlyFrom: onlyFrom("127.0.0.2", { name: "teldoc-diag-onlyfrom" }),
    one: limited({ instances: 1, name: "teldoc-diag-one" }),
    ...(namespaced ? { timeout: telnetdLogin({ loginTimeout: 3 }) } : {}),
  };
  const port = (s: ServiceSpec) => String(xinetd.port(s.name));

  before(async () => {
    await ensureTestUser();
    [xinetd, sshd] = await Promise.all([
      startXinetd(Object.values(svc)),
      startSshd().catch(() => undefined),
    ]);
  });
  after(async () => {
    await Promise.all([xinetd?.stop(), sshd?.stop()]);
  });

  test("healthy: telnetd + login, the login check passes; exit 0; no password anywhere", async () => {
    const r = await diagnose(
      ["127.0.0.1", port(svc.login), ...quick, "--user", TEST_USER, "--password-env", "DIAG_PW"],
      {
        env: { DIAG_PW: TEST_PASSWORD },
      },
    );
    verdict(r, "healthy", 0);
    const t = check(r, "telnet");
    assert.equal(t.status, "pass", t.summary);
    assert.equal(t.data.loginPrompt, true);
    // telnetd opens with its options (AUTHENTICATION, TTYPE, NAWS...): they are reported.
    assert.ok(
      (t.data.offered as string[]).some((o) => /TTYPE/.test(o)),
      JSON.stringify(t.data.offered),
    );
    const inEffect = t.data.inEffect as { server: string[]; client: string[] };
    // telnetd echoes; it offers SGA, then withdraws it (WONT SGA) when we refuse LINEMODE:
    // BSD telnetd's "kludge linemode".
    assert.ok(inEffect.server.includes("ECHO"), JSON.stringify(inEffect));
    assert.ok(!inEffect.server.includes("SGA"), JSON.stringify(inEffect));
    assert.ok(inEffect.client.includes("TTYPE"), JSON.stringify(inEffect));
    assert.equal(check(r, "login").status, "pass", check(r, "login").summary);
    assert.equal(check(r, "tcp").status, "pass");
    assert.ok(
      !r.stdout.includes(TEST_PASSWORD) && !r.stderr.includes(TEST_PASSWORD),
      "no password in output",
    );
  });

  test("healthy without --user: route and ssh checks run, the login prompt is seen", async () => {
    const r = await diagnose(["127.0.0.1", port(svc.login), "--port-ssh", String(sshd?.port ?? 1)]);
    verdict(r, "healthy", 0);
    assert.equal(check(r, "telnet").data.prompt, "login");
    assert.equal(check(r, "login").status, "skip");
  });

  test("auth-failed: a wrong password -> login fail quoting login's 'Login incorrect'", async () => {
    const wrong = "Wr0ng-diag!";
    const r = await diagnose(
      ["127.0.0.1", port(svc.login), ...quick, "--user", TEST_USER, "--password-env", "DIAG_PW"],
      {
        env: { DIAG_PW: wrong },
      },
    );
    verdict(r, "auth-failed", 1);
    const l = check(r, "login");
    assert.equal(l.status, "fail");
    assert.match(String(l.data.serverSaid), /Login incorrect/);
    assert.ok(!r.stdout.includes(wrong) && !r.stderr.includes(wrong));
  });

  test("acl-rejected: tcpd hosts.deny (silence, then close after tcpd's 5 s hold)", async () => {
    const run = () => diagnose(["127.0.0.1", port(svc.tcpd), ...quick]);
    const r = privateDeny ? await run() : await withTcpdDeny(TCPD_NAME, run);
    verdict(r, "acl-rejected", 1);
    assert.equal(check(r, "tcp").status, "pass", "the handshake succeeds");
    assert.equal(check(r, "telnet").status, "fail");
    assert.equal(check(r, "telnet").data.bytesIn, 0);
    assert.match(r.report.adminNote ?? "", /hosts\.allow/);
  });

  test("acl-rejected: xinetd only_from closes at once; the verdict names a limit too, and how to tell", async () => {
    const r = await diagnose(["127.0.0.1", port(svc.onlyFrom), ...quick]);
    verdict(r, "acl-rejected", 1);
    assert.match(
      r.report.verdict.summary,
      /an access rule .* or a connection limit \(xinetd instances\/per_source\)/,
    );
    assert.ok(
      r.report.verdict.advice[0].includes(
        `\`teldoc diagnose 127.0.0.1 ${port(svc.onlyFrom)} --concurrency 3\``,
      ),
      r.report.verdict.advice[0],
    );
  });

  test("limits: xinetd instances = 1 -> one session served, the second closed; service-unavailable", async () => {
    const r = await diagnose(["127.0.0.1", port(svc.one), ...quick, "--concurrency", "3"]);
    const c = check(r, "limits");
    assert.equal(c.status, "warn", c.summary);
    assert.equal(c.data.limit, 1);
    assert.equal(c.data.refusedAt, 2);
    assert.equal(c.data.how, "closed at once, without a word");
    verdict(r, "service-unavailable", 1);
  });

  test("ssh: real sshd -> pass with OpenSSH's version; sshd as the target -> wrong-service", async (t) => {
    if (!sshd) return skipOrFail(t, "sshd", "it did not start");
    const r = await diagnose(["127.0.0.1", port(svc.login), "--port-ssh", String(sshd.port)]);
    const s = check(r, "ssh");
    assert.equal(s.status, "pass", s.summary);
    assert.equal(s.data.version, sshd.banner.trim());
    assert.match(String(s.data.software), /^OpenSSH_/);
    // Telnet works: SSH is no advice then, and no note goes to the administrator.
    verdict(r, "healthy", 0);
    assert.ok(
      !r.report.verdict.advice.some((a) => /ssh/i.test(a)),
      r.report.verdict.advice.join("\n"),
    );
    assert.equal(r.report.adminNote, null);
    // Telnet refuses this client: SSH on the same host is the way in, with the real command.
    const denied = await diagnose([
      "127.0.0.1",
      port(svc.onlyFrom),
      "--port-ssh",
      String(sshd.port),
    ]);
    verdict(denied, "acl-rejected", 1);
    assert.ok(
      denied.report.verdict.advice.some((a) => a.includes(`\`ssh -p ${sshd?.port} 127.0.0.1\``)),
      denied.report.verdict.advice.join("\n"),
    );
    assert.match(denied.report.adminNote ?? "", /SSH answers on port \d+ \(OpenSSH_/);
    const w = await diagnose(["127.0.0.1", String(sshd.port), ...quick]);
    verdict(w, "wrong-service", 1);
    assert.match(w.report.verdict.summary, /SSH/);
  });

  test("idle without --user: login's LOGIN_TIMEOUT=3 ends the wait at the prompt -> login-timeout", async (t) => {
    if (!svc.timeout)
      return skipOrFail(
        t,
        "a private mount namespace",
        "unshare -m failed: login.defs cannot be private",
      );
    const r = await diagnose(["127.0.0.1", port(svc.timeout), ...quick, "--idle-test", "6s"], {
      limitMs: 40_000,
    });
    const c = check(r, "idle");
    const first = c.data.first as { outcome: string; serverSaid?: string; atLogin: boolean };
    assert.equal(first.outcome, "fin-message", c.summary);
    assert.equal(first.atLogin, true);
    assert.match(String(first.serverSaid), /Login timed out after 3 seconds/);
    verdict(r, "login-timeout", 1);
    assert.ok(r.report.verdict.evidence.some((e) => /login prompt/.test(e)));
  });

  test(`idle: bash TMOUT=${IDLE_TMOUT_SECONDS} -> idle-timeout; keepalive does not help`, async () => {
    const r = await diagnose(
      [
        "127.0.0.1",
        port(svc.login),
        ...quick,
        "--user",
        IDLE_USER,
        "--password-env",
        "DIAG_PW",
        "--idle-test",
        "8s",
      ],
      { env: { DIAG_PW: IDLE_PASSWORD }, limitMs: 40_000 },
    );
    const c = check(r, "idle");
    assert.equal(c.status, "fail", c.summary);
    const first = c.data.first as { outcome: string; diedAfterMs: number; serverSaid?: string };
    assert.equal(first.outcome, "fin-message");
    assert.match(String(first.serverSaid), /auto-logout/);
    assert.ok(
      Math.abs(first.diedAfterMs - IDLE_TMOUT_SECONDS * 1000) < 1000,
      `died after ${first.diedAfterMs} ms idle, TMOUT is ${IDLE_TMOUT_SECONDS} s`,
    );
    assert.equal(c.data.keepaliveHelps, false);
    assert.equal(c.data.keystrokesHelp, true, "Enter at bash's prompt resets TMOUT");
    verdict(r, "idle-timeout", 1);
  });
});
