/**
 * @module End to end: the REAL `teldoc connect --json` (bin/teldoc.js, a child process) against
 * REAL Debian daemons on loopback (xinetd + inetutils telnetd + /bin/login + bash, tcpd, sshd;
 * see src/testing/daemons.ts), one test per cause: the `end` line's diagnosis.cause, key
 * evidence, the exit code, and that a password never shows in stdout, stderr or the trace.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { runTeldoc } from "../testing/cli.js";
import {
  canRunDaemons,
  canUnshareMount,
  ensureTestUser,
  freePorts,
  holdSlot,
  IDLE_PASSWORD,
  IDLE_TMOUT_SECONDS,
  IDLE_USER,
  limited,
  MESSAGES,
  onlyFrom,
  type ServiceSpec,
  type SshdHandle,
  startSshd,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  telnetdViaTcpd,
  withLoginTimeout,
  withTcpdDeny,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipOrFail, skipUnlessCI } from "../testing/requirement.js";
import type { EndEvent } from "../trace/events.js";

/** The real CLI, relative to this compiled file (dist/e2e/ -> bin/). */

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);
const namespaced = capability.ok && canUnshareMount().ok;
const privateDeny = namespaced && existsSync("/etc/hosts.deny");
const LOGIN_TIMEOUT = 3;
const TCPD_NAME = "teldoce2ewrap";
const BUSY_BANNER = "Too many connections, try again later\r\n";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  lines: Record<string, unknown>[];
  end: EndEvent;
  ms: number;
  trace?: string;
}

let work: string;
let scriptCount = 0;

/** Write a --script file; returns its path. */
async function script(...steps: string[]): Promise<string> {
  const path = join(work, `script-${++scriptCount}.txt`);
  await writeFile(path, `${steps.join("\n")}\n`);
  return path;
}

/** Run `teldoc connect HOST PORT --json ...` with a trace; killed (SIGKILL) after `limitMs`. */
async function teldoc(
  target: string[],
  extra: string[] = [],
  opts: { env?: Record<string, string>; limitMs?: number } = {},
): Promise<Run> {
  const tracePath = join(work, `trace-${++scriptCount}.jsonl`);
  const args = ["connect", ...target, "--json", "--trace", tracePath, ...extra];
  const limitMs = opts.limitMs ?? 20_000;
  const { code, stdout, stderr, ms, killed } = await runTeldoc(args, {
    ...(opts.env ? { env: opts.env } : {}),
    limitMs,
  });
  assert.ok(!killed, `teldoc ran past ${limitMs} ms and was killed\n${stdout}\n${stderr}`);
  const lines: Record<string, unknown>[] = [];
  for (const [i, l] of stdout.trim().split("\n").entries()) {
    try {
      lines.push(JSON.parse(l) as Record<string, unknown>);
    } catch {
      assert.fail(`stdout line ${i + 1} is not JSON: ${l}\n--- stderr ---\n${stderr}`);
    }
  }
  const end = lines.at(-1) as unknown as EndEvent;
  assert.equal(end?.type, "end", `the last line is the end object\n${stdout}\n${stderr}`);
  assert.ok(
    lines.every((l) => typeof l["type"] === "string" && typeof l["t"] === "number"),
    "every line has type and t",
  );
  const trace = await readFile(tracePath, "utf8").catch(() => undefined);
  return { code, stdout, stderr, lines, end, ms, trace };
}

/** The cause, with the whole end line in the message when it is not the expected one. */
function assertCause(r: Run, cause: string, exitCode: number): void {
  assert.equal(
    r.end.diagnosis.cause,
    cause,
    `diagnosis ${JSON.stringify(r.end.diagnosis, null, 1)}\n--- stderr ---\n${r.stderr}`,
  );
  assert.equal(r.code, exitCode, `exit code (stderr: ${r.stderr})`);
  assert.ok(r.end.diagnosis.confidence >= 0.6, `confidence ${r.end.diagnosis.confidence}`);
}

function hasEvidence(r: Run, pattern: RegExp): void {
  assert.ok(
    r.end.diagnosis.evidence.some((e) => pattern.test(e)),
    `no evidence matching ${pattern}: ${JSON.stringify(r.end.diagnosis.evidence)}`,
  );
}

/** The password appears nowhere: stdout, stderr, the trace; neither as text nor as hex. */
function assertNoSecret(r: Run, secret: string): void {
  const hex = Buffer.from(secret, "latin1").toString("hex");
  assert.ok(r.trace !== undefined && r.trace.length > 0, "the trace was written");
  for (const [where, text] of [
    ["stdout", r.stdout],
    ["stderr", r.stderr],
    ["trace", r.trace ?? ""],
  ] as const) {
    assert.ok(!text.includes(secret), `the password appears in ${where}`);
    assert.ok(!text.toLowerCase().includes(hex), `the password's hex appears in ${where}`);
  }
  // The write that carried it is in the trace, masked.
  assert.match(r.trace ?? "", /"masked":true/);
}

const serverText = (r: Run) =>
  r.lines
    .filter((l) => l["type"] === "data" && l["dir"] === "in")
    .map((l) => String(l["text"]))
    .join("");

describe("teldoc connect against real daemons (end to end)", { skip }, () => {
  let xinetd: XinetdHandle;
  let sshd: SshdHandle | undefined;
  let sshdError: Error | undefined;
  const svc = {
    login: telnetdLogin(),
    timeout: namespaced ? telnetdLogin({ loginTimeout: LOGIN_TIMEOUT }) : undefined,
    retries: namespaced ? telnetdLogin({ loginRetries: 1 }) : undefined,
    // Denied in a private mount namespace (the real /etc/hosts.deny is never edited) where
    // possible; else withTcpdDeny() edits the real file for the test's duration.
    tcpd: telnetdViaTcpd(TCPD_NAME, { denied: privateDeny }),
    onlyFrom: onlyFrom("127.0.0.2", { name: "teldoc-e2e-onlyfrom" }),
    busy: limited({ instances: 1, bannerFail: BUSY_BANNER, name: "teldoc-e2e-busy" }),
    full: limited({ instances: 1, name: "teldoc-e2e-full" }),
  };
  const port = (s: ServiceSpec | undefined) => String(xinetd.port(s!.name));

  before(async () => {
    work = await mkdtemp(join(tmpdir(), "teldoc-e2e-"));
    await ensureTestUser();
    const specs = Object.values(svc).filter((s): s is ServiceSpec => s !== undefined);
    [xinetd] = await Promise.all([
      startXinetd(specs),
      startSshd().then(
        (h) => {
          sshd = h;
        },
        (e: Error) => {
          sshdError = e;
        },
      ),
    ]);
  });
  after(async () => {
    await Promise.all([xinetd?.stop(), sshd?.stop()]);
    if (work) await rm(work, { recursive: true, force: true });
  });

  test("logout: log in with --user/--password-env, `exit` -> logout, exit code 0", async () => {
    // Wait for the shell prompt before typing: login may drop type-ahead sent with the password.
    const s = await script("expect \\$ $ 10s", "send exit\\r\\n", "wait 10s");
    const r = await teldoc(
      ["127.0.0.1", port(svc.login)],
      ["--user", TEST_USER, "--password-env", "TELDOC_E2E_PW", "--script", s],
      { env: { TELDOC_E2E_PW: TEST_PASSWORD } },
    );
    assertCause(r, "logout", 0);
    assert.equal(r.end.transport, "fin");
    assert.equal(r.end.lastServerText, "logout");
    hasEvidence(r, /"exit" sent/);
    hasEvidence(r, /FIN from the server/);
    assertNoSecret(r, TEST_PASSWORD);
  });

  test("auth-failed: a wrong password, login gives up -> auth-failed, exit code 1", async () => {
    const wrong = "Wr0ng-pass!";
    let r: Run;
    if (svc.retries) {
      // LOGIN_RETRIES=1 (private login.defs): login says so and exits after one failure.
      r = await teldoc(
        ["127.0.0.1", port(svc.retries)],
        [
          "--user",
          TEST_USER,
          "--password-env",
          "TELDOC_E2E_PW",
          "--script",
          await script("wait 15s"),
        ],
        { env: { TELDOC_E2E_PW: wrong } },
      );
    } else {
      // Debian's LOGIN_RETRIES is 5, ~3 s each: keep answering wrongly until login closes.
      const again = ["expect login: $ 10s", `send ${TEST_USER}\\r\\n`, "expect Password: $ 10s"];
      const steps = [1, 2, 3, 4].flatMap(() => [...again, "send Wr0ng-again!\\r\\n"]);
      r = await teldoc(
        ["127.0.0.1", port(svc.login)],
        [
          "--user",
          TEST_USER,
          "--password-env",
          "TELDOC_E2E_PW",
          "--script",
          await script(...steps, "wait 15s"),
        ],
        { env: { TELDOC_E2E_PW: wrong }, limitMs: 40_000 },
      );
    }
    assertCause(r, "auth-failed", 1);
    assert.equal(r.end.transport, "fin");
    assert.equal(r.end.phase, "login");
    assert.match(serverText(r), new RegExp(MESSAGES.loginIncorrect));
    hasEvidence(r, /password sent/);
    hasEvidence(r, /server said: (?:Login incorrect|Maximum number of tries exceeded)/);
    assertNoSecret(r, wrong);
  });

  test(`login-timeout: LOGIN_TIMEOUT=${LOGIN_TIMEOUT}, no credentials -> login-timeout`, async () => {
    const wait = await script("wait 15s");
    const run = (p: string) => teldoc(["127.0.0.1", p], ["--script", wait]);
    const r = svc.timeout
      ? await run(port(svc.timeout))
      : await withLoginTimeout(LOGIN_TIMEOUT, () => run(port(svc.login)));
    assertCause(r, "login-timeout", 1);
    assert.equal(r.end.transport, "fin");
    hasEvidence(r, new RegExp(`server said: ${MESSAGES.loginTimedOut(LOGIN_TIMEOUT)}`));
    hasEvidence(r, /no credentials were sent/);
    assert.ok(r.end.durationMs >= LOGIN_TIMEOUT * 1000 - 200, `duration ${r.end.durationMs}`);
  });

  test(`idle-timeout: bash TMOUT=${IDLE_TMOUT_SECONDS} logs an idle user out -> idle-timeout`, async () => {
    const r = await teldoc(
      ["127.0.0.1", port(svc.login)],
      [
        "--user",
        IDLE_USER,
        "--password-env",
        "TELDOC_E2E_PW",
        "--script",
        await script("wait 15s"),
      ],
      { env: { TELDOC_E2E_PW: IDLE_PASSWORD } },
    );
    assertCause(r, "idle-timeout", 1);
    assert.equal(r.end.transport, "fin");
    assert.equal(r.end.phase, "session");
    hasEvidence(r, new RegExp(`server said: ${MESSAGES.bashAutoLogout}`));
    // TMOUT fires after the idle seconds; under load the FIN may come a few tenths later.
    assert.match(r.end.diagnosis.summary, new RegExp(`\\b${IDLE_TMOUT_SECONDS}\\.\\d s\\b`));
    assertNoSecret(r, IDLE_PASSWORD);
  });

  test("acl-rejected: tcpd hosts.deny (no byte at all, close after tcpd's 5 s hold)", async () => {
    const wait = await script("wait 15s");
    const run = () => teldoc(["127.0.0.1", port(svc.tcpd)], ["--script", wait]);
    const r = privateDeny ? await run() : await withTcpdDeny(TCPD_NAME, run);
    assertCause(r, "acl-rejected", 1);
    // FIN, or RST when our own negotiation was still unread in tcpd's socket.
    assert.ok(["fin", "rst"].includes(r.end.transport), r.end.transport);
    assert.equal(r.end.bytesIn, 0);
    assert.ok(r.end.durationMs >= MESSAGES.tcpdDenyHoldMs - 500, `duration ${r.end.durationMs}`);
    assert.ok(!r.lines.some((l) => l["type"] === "option" && l["dir"] === "in"));
    hasEvidence(r, /no text and no option negotiation/);
    hasEvidence(r, /5 s pause/);
  });

  test("acl-rejected: xinetd only_from 127.0.0.2 refuses 127.0.0.1 at once", async () => {
    const r = await teldoc(
      ["127.0.0.1", port(svc.onlyFrom)],
      ["--script", await script("wait 10s")],
    );
    assertCause(r, "acl-rejected", 1);
    assert.equal(r.end.bytesIn, 0);
    assert.ok(r.end.durationMs < 1500, `duration ${r.end.durationMs}`);
    hasEvidence(r, /no text and no option negotiation/);
    await xinetd.waitForLog(/FAIL: teldoc-e2e-onlyfrom address from=127\.0\.0\.1/);
  });

  test("service-unavailable: xinetd instances=1 + banner_fail while another session holds the slot", async () => {
    const holder = await holdSlot(xinetd.port(svc.busy.name));
    try {
      const r = await teldoc(["127.0.0.1", port(svc.busy)], ["--script", await script("wait 10s")]);
      assertCause(r, "service-unavailable", 1);
      assert.equal(r.end.lastServerText, BUSY_BANNER.trim());
      hasEvidence(r, /server said: Too many connections, try again later/);
      await xinetd.waitForLog(/FAIL: teldoc-e2e-busy service_limit from=127\.0\.0\.1/);
    } finally {
      holder.destroy();
    }
  });

  test("xinetd instances=1 WITHOUT banner_fail: indistinguishable from an ACL on the wire", async () => {
    const holder = await holdSlot(xinetd.port(svc.full.name));
    try {
      const r = await teldoc(["127.0.0.1", port(svc.full)], ["--script", await script("wait 10s")]);
      // A silent immediate close is what only_from does too: acl-rejected, with
      // service-unavailable named among the alternatives.
      assertCause(r, "acl-rejected", 1);
      assert.equal(r.end.bytesIn, 0);
      assert.ok(
        r.end.diagnosis.alternatives.some((a) => a.cause === "service-unavailable"),
        JSON.stringify(r.end.diagnosis.alternatives),
      );
      // The summary says both; the first advice is the command that tells them apart.
      assert.match(
        r.end.diagnosis.summary,
        /an access rule .* or a connection limit \(xinetd instances\/per_source\)/,
      );
      assert.ok(
        r.end.diagnosis.advice[0].includes(
          `\`teldoc diagnose 127.0.0.1 ${port(svc.full)} --concurrency 3\``,
        ),
        r.end.diagnosis.advice[0],
      );
      await xinetd.waitForLog(/FAIL: teldoc-e2e-full service_limit from=127\.0\.0\.1/);
    } finally {
      holder.destroy();
    }
  });

  test("wrong-service: sshd on loopback -> wrong-service naming SSH", async (t) => {
    if (!sshd) return skipOrFail(t, "sshd", `it did not start: ${sshdError?.message}`);
    const r = await teldoc(
      ["127.0.0.1", String(sshd.port)],
      ["--script", await script("expect SSH-2\\.0- 5s", "close")],
    );
    assertCause(r, "wrong-service", 1);
    assert.match(r.end.diagnosis.summary, /answers with SSH, not Telnet/);
    hasEvidence(r, new RegExp(sshd.banner.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  });

  test("local-close: the script's `close` -> local-close, exit code 0", async () => {
    const r = await teldoc(
      ["127.0.0.1", port(svc.login)],
      ["--script", await script("expect login: $ 5s", "close")],
    );
    assertCause(r, "local-close", 0);
    assert.equal(r.end.transport, "local-close");
    hasEvidence(r, /local-close \(script\)/);
    assert.match(r.end.lastServerText, /login:$/);
  });

  test("refused: a closed loopback port -> refused, exit code 1", async () => {
    const [closed] = await freePorts(1);
    const r = await teldoc(["127.0.0.1", String(closed)]);
    assertCause(r, "refused", 1);
    assert.equal(r.end.phase, "connect");
    assert.equal(r.end.transport, "refused");
    hasEvidence(r, /ECONNREFUSED/);
  });

  test("dns-failure: a name under .invalid -> dns-failure (≤ 15 s)", async () => {
    const r = await teldoc(["teldoc-e2e.invalid", "23"], [], { limitMs: 15_000 });
    assertCause(r, "dns-failure", 1);
    assert.equal(r.end.phase, "resolve");
    assert.equal(r.end.transport, "dns");
    hasEvidence(r, /teldoc-e2e\.invalid/);
  });
});
