/**
 * The library against REAL Telnet servers on loopback (root only, skipped with the reason
 * otherwise): inetutils telnetd + the real /bin/login + bash under xinetd, and BusyBox telnetd
 * with /bin/login or a plain shell. Asserts outputs, codes and diagnosed causes.
 */
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  type BusyboxHandle,
  canRunBusyboxTelnetd,
  startBusyboxTelnetd,
} from "../testing/busybox.js";
import {
  canRunDaemons,
  ensureTestUser,
  IDLE_PASSWORD,
  IDLE_USER,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
  type XinetdHandle,
} from "../testing/daemons.js";
import { skipUnlessCI } from "../testing/requirement.js";
import { connect } from "./connect.js";
import { SessionError } from "./errors.js";

const daemons = canRunDaemons();
const noDaemons = skipUnlessCI("real daemons", daemons.ok ? false : daemons.reason);
const busybox = canRunBusyboxTelnetd();
const noBusybox = skipUnlessCI("BusyBox telnetd", busybox.ok ? false : busybox.reason);

async function rejection(p: Promise<unknown>): Promise<SessionError> {
  const e = await p.then(
    () => assert.fail("should have failed"),
    (err: unknown) => err,
  );
  assert.ok(e instanceof SessionError, String(e));
  return e;
}

describe("inetutils telnetd + /bin/login under xinetd", { skip: noDaemons }, () => {
  let xinetd: XinetdHandle;
  let port: number;
  before(async () => {
    await ensureTestUser();
    xinetd = await startXinetd([telnetdLogin({ name: "teldoc-lib-login" })]);
    port = xinetd.port("teldoc-lib-login");
  });
  after(async () => {
    await xinetd?.stop();
  });

  test("login, exec with echo and prompt stripped, long output, close", async () => {
    const s = await connect({ host: "127.0.0.1", port, commandTimeout: "20s" });
    const login = await s.login({ user: TEST_USER, password: TEST_PASSWORD, timeout: "20s" });
    assert.match(login.prompt, /\$$/);
    assert.equal(await s.exec("echo hello world"), "hello world");
    assert.equal(await s.exec("printf 'a\\nb\\n'"), "a\nb");
    assert.equal(await s.exec("whoami"), TEST_USER);
    const lines = (await s.exec("seq 1 3000")).split("\n");
    assert.equal(lines.length, 3000);
    assert.equal(lines[2999], "3000");
    assert.equal(await s.exec("true"), "");
    const end = await s.close();
    assert.equal(end.diagnosis.cause, "local-close");
  });

  test("exit ends with SESSION_ENDED and the cause logout", async () => {
    const s = await connect({ host: "127.0.0.1", port });
    await s.login({ user: TEST_USER, password: TEST_PASSWORD, timeout: "20s" });
    const e = await rejection(s.exec("exit"));
    assert.equal(e.code, "TELDOC_ERR_SESSION_ENDED");
    assert.equal(e.diagnosis?.cause, "logout");
  });

  test("a wrong password: LOGIN_FAILED, auth-failed", async () => {
    const s = await connect({ host: "127.0.0.1", port });
    const e = await rejection(s.login({ user: TEST_USER, password: "wrong", timeout: "20s" }));
    assert.equal(e.code, "TELDOC_ERR_LOGIN_FAILED");
    assert.equal(e.diagnosis?.cause, "auth-failed");
  });

  test("bash TMOUT: a wait fails with SESSION_ENDED, idle-timeout", async () => {
    const s = await connect({ host: "127.0.0.1", port });
    await s.login({ user: IDLE_USER, password: IDLE_PASSWORD, timeout: "20s" });
    const e = await rejection(s.expect("never printed", { timeout: "20s" }));
    assert.equal(e.code, "TELDOC_ERR_SESSION_ENDED");
    assert.equal(e.diagnosis?.cause, "idle-timeout");
  });
});

describe("BusyBox telnetd", { skip: noBusybox }, () => {
  let login: BusyboxHandle;
  let shell: BusyboxHandle;
  before(async () => {
    if (daemons.ok) await ensureTestUser();
    login = await startBusyboxTelnetd();
    shell = await startBusyboxTelnetd({ program: "/bin/sh" });
  });
  after(async () => {
    await login?.stop();
    await shell?.stop();
  });

  test("with /bin/login: login and exec", { skip: noDaemons }, async () => {
    const s = await connect({ host: "127.0.0.1", port: login.port });
    await s.login({ user: TEST_USER, password: TEST_PASSWORD, timeout: "20s" });
    assert.equal(await s.exec("echo busy box"), "busy box");
    assert.equal((await s.close()).diagnosis.cause, "local-close");
  });

  test("with a plain shell: no login, exec at the # prompt", async () => {
    const s = await connect({ host: "127.0.0.1", port: shell.port });
    const r = await s.login({ timeout: "10s" });
    assert.equal(r.sentUser, false);
    assert.equal(await s.exec("echo $((6 * 7))"), "42");
    const e = await rejection(s.exec("exit"));
    assert.equal(e.code, "TELDOC_ERR_SESSION_ENDED");
    assert.ok(
      ["logout", "server-closed"].includes(e.diagnosis?.cause ?? ""),
      `cause ${e.diagnosis?.cause}`,
    );
  });
});
