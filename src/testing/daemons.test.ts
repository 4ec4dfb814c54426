import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { after, before, describe, test } from "node:test";
import {
  canRunDaemons,
  canUnshareMount,
  denyWithTcpd,
  ensureTestUser,
  IDLE_PASSWORD,
  IDLE_TMOUT_SECONDS,
  IDLE_USER,
  limited,
  MESSAGES,
  onlyFrom,
  readFirstLine,
  rewriteLoginDef,
  rewriteLoginTimeout,
  type ServiceSpec,
  shellService,
  startSshd,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  telnetdViaTcpd,
  undenyTcpd,
  withLoginTimeout,
  withTcpdDeny,
  type XinetdHandle,
  xinetdConfig,
} from "./daemons.js";
import { RawTelnet, TELNET } from "./raw-telnet.js";
import { requireInCI, skipUnlessCI } from "./requirement.js";

const capability = canRunDaemons();
const skip = skipUnlessCI("real daemons", capability.ok ? false : capability.reason);
const LOGIN_PROMPT = /login: $/;
const SHELL_PROMPT = /\$ $/;
// One name per process: a second copy of the suite running beside this one edits the same
// /etc/hosts.deny, and must not deny the daemon this copy is testing.
const TCPD_NAME = `teldocwrapd${process.pid}`;
const LOGIN_TIMEOUT = 3;
const useNamespace = capability.ok && canUnshareMount().ok;

describe("pure helpers", () => {
  test("rewriteLoginTimeout replaces the line in place, or appends one", () => {
    assert.equal(
      rewriteLoginTimeout("A 1\nLOGIN_TIMEOUT\t\t60\nB 2\n", 3),
      "A 1\nLOGIN_TIMEOUT\t\t3\nB 2\n",
    );
    assert.equal(rewriteLoginTimeout("A 1", 5), "A 1\nLOGIN_TIMEOUT\t\t5\n");
    assert.equal(
      rewriteLoginTimeout("#LOGIN_TIMEOUT 60\n", 5),
      "#LOGIN_TIMEOUT 60\nLOGIN_TIMEOUT\t\t5\n",
    );
    assert.throws(() => rewriteLoginTimeout("", 0));
    assert.equal(
      rewriteLoginDef("LOGIN_RETRIES\t\t5\nLOGIN_TIMEOUT 60\n", "LOGIN_RETRIES", 1),
      "LOGIN_RETRIES\t\t1\nLOGIN_TIMEOUT 60\n",
    );
    assert.throws(() => rewriteLoginDef("", "bad key", 1));
  });

  test("telnetdLogin/telnetdViaTcpd: private login.defs and hosts.deny copies, real files untouched", () => {
    const spec = telnetdLogin({ loginTimeout: 7, loginRetries: 1 });
    assert.equal(spec.name, "teldoc-login-t7-r1");
    const defs = spec.files?.find((f) => f.path.endsWith(".login.defs"))?.content ?? "";
    assert.match(defs, /^LOGIN_TIMEOUT\t\t7$/m);
    assert.match(defs, /^LOGIN_RETRIES\t\t1$/m);
    if (existsSync("/etc/hosts.deny")) {
      const tcpd = telnetdViaTcpd("teldocx", { denied: true });
      const deny = tcpd.files?.find((f) => f.path.endsWith(".hosts.deny"))?.content ?? "";
      assert.match(deny, /^teldocx: ALL # teldoc test fixture$/m);
      assert.match(tcpd.files?.find((f) => f.path.endsWith(".sh"))?.content ?? "", /mount --bind/);
    } else requireInCI("tcpd's /etc/hosts.deny", "it does not exist");
  });

  test("xinetdConfig writes one UNLISTED loopback service block per spec", () => {
    const specs: ServiceSpec[] = [
      limited({ instances: 1, perSource: 2, bannerFail: "busy\r\n", name: "a" }),
      onlyFrom("127.0.0.2", { name: "b" }),
      shellService("c", "echo hi"),
    ];
    const conf = xinetdConfig(specs, { a: 1001, b: 1002, c: 1003 }, "/tmp/x");
    assert.match(conf, /log_type = FILE \/tmp\/x\/xinetd\.log/);
    assert.match(
      conf,
      /service a\n\{\n {2}type = UNLISTED\n {2}bind = 127\.0\.0\.1\n {2}port = 1001\n/,
    );
    assert.match(conf, /server_args = -h\n {2}instances = 1\n {2}per_source = 2\n/);
    assert.match(conf, /banner_fail = \/tmp\/x\/a\.banner_fail/);
    assert.match(conf, /only_from = 127\.0\.0\.2/);
    assert.match(conf, /server = \/tmp\/x\/c\.sh/);
    assert.match(conf, /libwrap = c\n/);
    assert.throws(() => xinetdConfig([shellService("d", "")], { d: 1 }, "/tmp/{x}"));
  });
});

describe("real Debian daemons on loopback", () => {
  let xinetd: XinetdHandle;
  const svc = {
    login: telnetdLogin(),
    tcpd: telnetdViaTcpd(TCPD_NAME),
    instances: limited({ instances: 1, name: "teldoc-instances1" }),
    perSource: limited({
      perSource: 1,
      bannerFail: "Too busy, go away\r\n",
      name: "teldoc-persrc1",
    }),
    onlyFrom: onlyFrom("127.0.0.2"),
    libwrap: shellService(`teldoc-xlibwrap${process.pid}`, "printf 'SERVED\\r\\n'"),
    loginTimeout: useNamespace ? telnetdLogin({ loginTimeout: LOGIN_TIMEOUT }) : undefined,
  };
  const open: RawTelnet[] = [];
  const dial = async (service: ServiceSpec) => {
    const client = await RawTelnet.open({ port: xinetd.port(service.name) });
    open.push(client);
    return client;
  };
  const login = async (user: string, password: string) => {
    const c = await dial(svc.login);
    await c.waitFor(LOGIN_PROMPT, 5000);
    c.send(`${user}\r\n`);
    await c.waitFor("Password: ", 5000);
    c.send(`${password}\r\n`);
    await c.waitFor(SHELL_PROMPT, 10_000);
    return c;
  };

  before(async () => {
    if (!capability.ok) return;
    await ensureTestUser();
    await ensureTestUser(); // idempotent
    const specs = Object.values(svc).filter((s): s is ServiceSpec => s !== undefined);
    xinetd = await startXinetd(specs);
  });
  after(async () => {
    for (const c of open) c.destroy();
    await xinetd?.stop();
  });

  test("telnetd under xinetd negotiates (IAC) and shows a login prompt", { skip }, async () => {
    const c = await dial(svc.login);
    await c.waitFor(LOGIN_PROMPT, 5000);
    assert.equal(c.raw[0], TELNET.IAC);
    const verbs = new Set(c.negotiation.map(([verb]) => verb));
    assert.ok(verbs.has(TELNET.DO) && verbs.has(TELNET.WILL));
    assert.ok(
      c.negotiation.some(([v, o]) => v === TELNET.DO && o === 24),
      "DO TTYPE",
    );
    c.destroy();
  });

  test("the right password reaches a shell; exit ends with logout and a FIN", {
    skip,
  }, async () => {
    const c = await login(TEST_USER, TEST_PASSWORD);
    c.send("echo TELDOC_$((6*7))\r\n"); // the echoed command line itself never contains 42
    // Under load bash may start after the command arrived, so its echo can be missing: match the output alone.
    await c.waitFor("TELDOC_42\r\n", 5000);
    c.send("exit\r\n");
    const closed = await c.waitClose(5000);
    assert.equal(closed?.kind, "fin");
    assert.match(c.text, /logout\r\n$/);
  });

  test("a wrong password yields 'Login incorrect' (~3 s) and a new prompt", { skip }, async (t) => {
    const c = await dial(svc.login);
    await c.waitFor(LOGIN_PROMPT, 5000);
    c.send(`${TEST_USER}\r\n`);
    await c.waitFor("Password: ", 5000);
    const sent = Date.now();
    c.send("not-the-password\r\n");
    await c.waitFor(`\r\n${MESSAGES.loginIncorrect}\r\n`, 10_000);
    const delay = Date.now() - sent;
    t.diagnostic(`Login incorrect ${delay} ms after the password`);
    assert.ok(delay >= 2000, `pam_faildelay: ${delay} ms`);
    await c.waitFor(/Login incorrect\r\n.*login: $/s, 5000);
    assert.equal(c.closed, undefined);
    c.destroy();
  });

  test("tcpd: allowed -> telnetd; denied -> no bytes, FIN after ~5 s; hosts.deny restored", {
    skip,
  }, async (t) => {
    const allowed = await dial(svc.tcpd);
    await allowed.waitFor(LOGIN_PROMPT, 5000);
    allowed.destroy();

    // Restored means: no line of ours is left (a second copy of the suite running beside this
    // one may add and remove its own lines meanwhile, so the whole file is not compared).
    const ours = async () => (await readFile("/etc/hosts.deny", "utf8")).includes(TCPD_NAME);
    assert.equal(await ours(), false);
    await withTcpdDeny(TCPD_NAME, async () => {
      const text = await readFile("/etc/hosts.deny", "utf8");
      assert.match(text, new RegExp(`^${TCPD_NAME}: ALL # teldoc test fixture$`, "m"));
      const c = await dial(svc.tcpd);
      const closed = await c.waitClose(10_000);
      assert.equal(closed?.kind, "fin");
      assert.equal(c.raw.length, 0);
      assert.ok(closed.afterMs >= MESSAGES.tcpdDenyHoldMs - 500, `held ${closed.afterMs} ms`);
      t.diagnostic(`tcpd deny: ${c.raw.length} bytes, ${closed.kind} after ${closed.afterMs} ms`);
    });
    assert.equal(await ours(), false);

    await assert.rejects(
      withTcpdDeny(TCPD_NAME, async () => {
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.equal(await ours(), false);
    await denyWithTcpd(TCPD_NAME);
    assert.equal(await ours(), true);
    await undenyTcpd(TCPD_NAME);
    assert.equal(await ours(), false);
  });

  test("only_from 127.0.0.2 rejects 127.0.0.1: accepted, no bytes, immediate FIN", {
    skip,
  }, async (t) => {
    const c = await dial(svc.onlyFrom);
    const closed = await c.waitClose(3000);
    assert.equal(closed?.kind, "fin");
    assert.equal(c.raw.length, 0);
    assert.ok(closed.afterMs < 1000, `${closed.afterMs} ms`);
    t.diagnostic(`only_from: ${closed.kind} after ${closed.afterMs} ms`);
    await xinetd.waitForLog(/FAIL: teldoc-onlyfrom address from=127\.0\.0\.1/);
  });

  test("instances=1 refuses a second concurrent connection: no bytes, immediate FIN", {
    skip,
  }, async (t) => {
    const first = await dial(svc.instances);
    await first.waitFor(LOGIN_PROMPT, 5000);
    const second = await dial(svc.instances);
    const closed = await second.waitClose(3000);
    assert.equal(closed?.kind, "fin");
    assert.equal(second.raw.length, 0);
    assert.ok(closed.afterMs < 1000, `${closed.afterMs} ms`);
    assert.equal(first.closed, undefined);
    t.diagnostic(`instances: ${closed.kind} after ${closed.afterMs} ms`);
    first.destroy();
    await xinetd.waitForLog(/FAIL: teldoc-instances1 service_limit from=127\.0\.0\.1/);
  });

  test("per_source=1 with banner_fail sends the banner, then FIN", { skip }, async () => {
    const first = await dial(svc.perSource);
    await first.waitFor(LOGIN_PROMPT, 5000);
    const second = await dial(svc.perSource);
    const closed = await second.waitClose(3000);
    assert.equal(closed?.kind, "fin");
    assert.equal(second.raw.toString("latin1"), "Too busy, go away\r\n");
    first.destroy();
    await xinetd.waitForLog(/FAIL: teldoc-persrc1 per_source_limit from=127\.0\.0\.1/);
  });

  test("xinetd's own libwrap check (hosts.deny by service name): no bytes, immediate FIN", {
    skip,
  }, async () => {
    const served = await dial(svc.libwrap);
    assert.equal((await served.waitClose(3000))?.kind, "fin");
    assert.equal(served.text, "SERVED\r\n");
    await withTcpdDeny(svc.libwrap.name, async () => {
      const c = await dial(svc.libwrap);
      const closed = await c.waitClose(3000);
      assert.equal(closed?.kind, "fin");
      assert.equal(c.raw.length, 0);
      assert.ok(closed.afterMs < 1000, `${closed.afterMs} ms`);
    });
    await xinetd.waitForLog(new RegExp(`FAIL: ${svc.libwrap.name} libwrap from=127\\.0\\.0\\.1`));
  });

  test(`bash TMOUT=${IDLE_TMOUT_SECONDS} logs the idle user out with its message and a FIN`, {
    skip,
  }, async (t) => {
    const c = await login(IDLE_USER, IDLE_PASSWORD);
    const promptAt = c.elapsed();
    const closed = await c.waitClose(10_000);
    assert.equal(closed?.kind, "fin");
    assert.ok(c.text.endsWith(`\x07${MESSAGES.bashAutoLogout}\r\n`), JSON.stringify(c.text));
    const idle = closed.afterMs - promptAt;
    t.diagnostic(`TMOUT: ${closed.kind} ${idle} ms after the shell prompt`);
    assert.ok(idle >= IDLE_TMOUT_SECONDS * 1000 - 300 && idle < 6000, `idle ${idle} ms`);
  });

  test(`LOGIN_TIMEOUT=${LOGIN_TIMEOUT} closes an idle login prompt with login's message`, {
    skip,
  }, async (t) => {
    const check = async (c: RawTelnet) => {
      await c.waitFor(LOGIN_PROMPT, 5000);
      const closed = await c.waitClose(10_000);
      assert.equal(closed?.kind, "fin");
      assert.ok(
        c.text.endsWith(`\r\n${MESSAGES.loginTimedOut(LOGIN_TIMEOUT)}\r\n`),
        JSON.stringify(c.text),
      );
      assert.ok(closed.afterMs >= LOGIN_TIMEOUT * 1000 - 300 && closed.afterMs < 8000);
      t.diagnostic(
        `LOGIN_TIMEOUT (${svc.loginTimeout ? "mount namespace" : "withLoginTimeout"}): ` +
          `${closed.kind} after ${closed.afterMs} ms`,
      );
    };
    if (svc.loginTimeout) {
      await check(await dial(svc.loginTimeout));
    } else {
      await withLoginTimeout(LOGIN_TIMEOUT, async () => check(await dial(svc.login)));
    }
  });

  test("withLoginTimeout restores /etc/login.defs byte for byte, also on failure", {
    skip,
  }, async () => {
    const original = await readFile("/etc/login.defs");
    await assert.rejects(
      withLoginTimeout(7, async () => {
        assert.match(await readFile("/etc/login.defs", "utf8"), /^LOGIN_TIMEOUT\t\t7$/m);
        throw new Error("boom");
      }),
      /boom/,
    );
    assert.deepEqual(await readFile("/etc/login.defs"), original);
  });

  test("stop() ends xinetd and its live sessions, and removes the temp dir", {
    skip,
  }, async (t) => {
    const own = await startXinetd([telnetdLogin({ name: "teldoc-stop" })]);
    const c = await RawTelnet.open({ port: own.port("teldoc-stop") });
    open.push(c);
    await c.waitFor(LOGIN_PROMPT, 5000);
    await own.stop();
    const closed = await c.waitClose(5000);
    assert.ok(closed, "the session ended");
    t.diagnostic(`stop(): the live session saw ${closed.kind}`);
    await assert.rejects(readFile(own.logPath));
    await assert.rejects(RawTelnet.open({ port: own.port("teldoc-stop"), connectTimeoutMs: 2000 }));
  });

  test("sshd answers with SSH-2.0-OpenSSH", { skip }, async () => {
    const sshd = await startSshd();
    try {
      assert.match(sshd.banner, /^SSH-2\.0-OpenSSH_/);
      assert.match(await readFirstLine(sshd.port, 5000), /^SSH-2\.0-OpenSSH_/);
    } finally {
      await sshd.stop();
    }
  });
});
