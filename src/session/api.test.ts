/**
 * The library against the lab (real sockets on loopback): every way a session can fail gives a
 * SessionError with a stable code and, when the session ended, the diagnosis's cause. Asserts
 * codes and causes, never message text (the messages are printed for people to judge).
 */
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import type { ErrorCode } from "../errors.js";
import { type Lab, startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { freePorts } from "../testing/daemons.js";
import type { Cause } from "../trace/events.js";
import type { TelnetSession } from "./api.js";
import { connect, withReconnect } from "./connect.js";
import { SessionError } from "./errors.js";

const labs: Lab[] = [];
after(async () => {
  for (const l of labs) await l.close();
});

async function lab(scenario: string, config: Partial<LabConfig> = {}, variant?: string) {
  const l = await startLab({ scenario, config: { ...config, variant } });
  labs.push(l);
  return l;
}

/** Await a promise that must reject with a SessionError; returns it. */
async function failure(p: Promise<unknown>): Promise<SessionError> {
  const e = await p.then(
    () => assert.fail("the call should have failed"),
    (err: unknown) => err,
  );
  assert.ok(e instanceof SessionError, `a SessionError, got ${String(e)}`);
  return e;
}

function assertFailure(e: SessionError, code: ErrorCode, cause?: Cause): void {
  assert.equal(e.code, code, e.message);
  if (cause) {
    assert.equal(e.diagnosis?.cause, cause, e.message);
    assert.ok((e.diagnosis?.evidence.length ?? 0) > 0, "the diagnosis has evidence");
    assert.ok(e.end?.type === "end", "the end object is attached");
  }
  if (process.env.TELDOC_SHOW_ERRORS) console.log(`--- ${e.code}\n${e.message}`);
}

describe("the happy path against the lab", () => {
  test("login, exec, expect, close: the end says local-close", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    assert.equal(s.state, "connected");
    const login = await s.login({ user: "demo", password: "demo" });
    assert.equal(login.prompt, "demo@lab:~$");
    assert.equal(s.state, "ready");
    assert.equal(await s.exec("show version"), "teldoc lab fake shell 1.0");
    assert.equal(await s.exec("whoami"), "demo");
    s.sendLine("echo marker-1");
    const m = await s.expect(/marker-(\d)\r\n/);
    assert.deepEqual(m.groups, ["1"]);
    const ends: string[] = [];
    s.on("end", (e) => ends.push(e.diagnosis.cause));
    const end = await s.close();
    assert.equal(end.diagnosis.cause, "local-close");
    assert.deepEqual(ends, ["local-close"]);
    assertFailure(await failure(s.exec("whoami")), "TELDOC_ERR_SESSION_ENDED", "local-close");
  });

  test("exit: the exec fails with SESSION_ENDED and the cause logout", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    await s.login({ user: "demo", password: "demo" });
    assertFailure(await failure(s.exec("exit")), "TELDOC_ERR_SESSION_ENDED", "logout");
  });

  test("the trace file records everything but the password", async () => {
    const dir = await mkdtemp(join(tmpdir(), "teldoc-api-"));
    try {
      const l = await lab("healthy", { password: "s3cret-pw" });
      const trace = join(dir, "t.jsonl");
      const s = await connect({ host: "127.0.0.1", port: l.port, trace });
      await s.login({ user: "demo", password: "s3cret-pw" });
      await s.close();
      await new Promise((r) => setTimeout(r, 50));
      const text = await readFile(trace, "utf8");
      const lines = text
        .trim()
        .split("\n")
        .map((x) => JSON.parse(x) as { type: string });
      assert.equal(lines.at(-1)?.type, "end");
      assert.ok(
        lines.some((x) => x.type === "read"),
        "raw reads are recorded",
      );
      assert.ok(!text.includes("s3cret-pw"), "no password in the trace");
      assert.ok(!text.includes(Buffer.from("s3cret-pw").toString("hex")), "nor its hex");
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  test("async iteration and the Duplex view carry the server's data", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    let seen = "";
    for await (const chunk of s) {
      seen += chunk.toString();
      if (/login: $/.test(seen)) break;
    }
    assert.match(seen, /teldoc lab/);
    const d = s.stream();
    let got = "";
    d.on("data", (b: Buffer) => {
      got += b.toString();
    });
    d.write("demo\r\n");
    await s.expect(/Password: $/);
    assert.match(got, /Password: $/);
    d.end();
    const end = await s.closed;
    assert.equal(end.diagnosis.cause, "local-close");
  });
});

describe("every failure carries a code and, when the session ended, its cause", () => {
  test("refused port: CONNECT_FAILED, refused", async () => {
    const [port] = await freePorts(1);
    const e = await failure(connect({ host: "127.0.0.1", port }));
    assertFailure(e, "TELDOC_ERR_CONNECT_FAILED", "refused");
  });

  test("a name that does not resolve: CONNECT_FAILED, dns-failure", async () => {
    const e = await failure(connect({ host: "no-such-host.invalid", connectTimeout: "5s" }));
    assertFailure(e, "TELDOC_ERR_CONNECT_FAILED", "dns-failure");
  });

  const ended: [string, string, Partial<LabConfig>, string | undefined, Cause][] = [
    ["acl-rejected", "acl-rejected", {}, undefined, "acl-rejected"],
    ["service-unavailable (busy)", "service-unavailable", {}, "busy", "service-unavailable"],
    ["wrong-service (ssh)", "wrong-service", {}, "ssh", "wrong-service"],
  ];
  for (const [name, scenario, config, variant, cause] of ended) {
    test(`${name}: login fails with SESSION_ENDED, ${cause}`, async () => {
      const l = await lab(scenario, config, variant);
      const s = await connect({ host: "127.0.0.1", port: l.port });
      const e = await failure(s.login({ user: "demo", password: "demo", timeout: "10s" }));
      assertFailure(e, "TELDOC_ERR_SESSION_ENDED", cause);
    });
  }

  test("login-timeout: a wait at the login prompt fails with SESSION_ENDED, login-timeout", async () => {
    const l = await lab("login-timeout", { loginTimeoutMs: 400 });
    const s = await connect({ host: "127.0.0.1", port: l.port });
    const e = await failure(s.expect("never printed", { timeout: "10s" }));
    assertFailure(e, "TELDOC_ERR_SESSION_ENDED", "login-timeout");
  });

  test("auth-failed: LOGIN_FAILED, the session closed, auth-failed", async () => {
    const l = await lab("auth-failed", { tries: 3 });
    const s = await connect({ host: "127.0.0.1", port: l.port });
    const e = await failure(s.login({ user: "demo", password: "wrong" }));
    assertFailure(e, "TELDOC_ERR_LOGIN_FAILED", "auth-failed");
    assert.equal(s.ended, true);
  });

  const inSession: [string, Partial<LabConfig>, Cause][] = [
    ["idle-timeout", { idleTimeoutMs: 400 }, "idle-timeout"],
    ["peer-reset", { afterMs: 400 }, "peer-reset"],
    ["server-closed", { afterMs: 400 }, "server-closed"],
  ];
  for (const [scenario, config, cause] of inSession) {
    test(`${scenario}: a wait fails with SESSION_ENDED, ${cause}`, async () => {
      const l = await lab(scenario, config);
      const s = await connect({ host: "127.0.0.1", port: l.port });
      await s.login({ user: "demo", password: "demo" });
      const e = await failure(s.expect("never printed", { timeout: "10s" }));
      assertFailure(e, "TELDOC_ERR_SESSION_ENDED", cause);
    });
  }

  test("expect timeout: EXPECT_TIMEOUT with pattern, wait, tail and state; the session lives", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    const e = await failure(s.expect(/never/, { timeout: 200 }));
    assertFailure(e, "TELDOC_ERR_EXPECT_TIMEOUT");
    assert.ok("pattern" in e && e.pattern === "/never/");
    assert.ok("tail" in e && String(e.tail).includes("login: "));
    assert.equal(e.snapshot?.state, "connected");
    assert.equal(s.ended, false);
    await s.close();
  });

  test("a login that cannot find its prompt: LOGIN_TIMEOUT, session closed with a diagnosis", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    const e = await failure(
      s.login({ user: "demo", password: "demo", timeout: 300, prompts: { user: /^Name\?$/ } }),
    );
    assertFailure(e, "TELDOC_ERR_LOGIN_TIMEOUT");
    assert.ok(e.diagnosis, "the diagnosis of the closed session");
  });

  test("AbortSignal: ABORTED for a wait, and for a connect", async () => {
    const l = await lab("healthy");
    const s = await connect({ host: "127.0.0.1", port: l.port });
    assertFailure(
      await failure(s.expect("never", { signal: AbortSignal.timeout(50) })),
      "TELDOC_ERR_ABORTED",
    );
    assert.equal(s.ended, false);
    await s.close();
    const ac = new AbortController();
    ac.abort();
    const e = await failure(connect({ host: "127.0.0.1", port: l.port, signal: ac.signal }));
    assertFailure(e, "TELDOC_ERR_ABORTED");
  });

  test("idleTimeout closes a session where nothing moved", async () => {
    const l = await lab("healthy");
    const s: TelnetSession = await connect({ host: "127.0.0.1", port: l.port, idleTimeout: 300 });
    const end = await s.closed;
    assert.equal(end.diagnosis.cause, "local-close");
    assert.ok(end.durationMs >= 290, `lasted ${end.durationMs} ms`);
  });

  test("bad options: INVALID_ARGUMENT or BAD_DURATION naming the key", async () => {
    const bad: [Record<string, unknown>, ErrorCode][] = [
      [{ host: "h", colour: "red" }, "TELDOC_ERR_INVALID_ARGUMENT"],
      [{ host: "" }, "TELDOC_ERR_INVALID_ARGUMENT"],
      [{ host: "h", port: 70000 }, "TELDOC_ERR_INVALID_ARGUMENT"],
      [{ host: "h", commandTimeout: "ten seconds" }, "TELDOC_ERR_BAD_DURATION"],
      [{ host: "h", idleTimeout: -1 }, "TELDOC_ERR_INVALID_ARGUMENT"],
      [{ host: "127.0.0.1", trace: "/nonexistent-dir/t.jsonl" }, "TELDOC_ERR_INVALID_ARGUMENT"],
    ];
    for (const [options, code] of bad) {
      const e = await connect(options as never).then(
        () => assert.fail("should fail"),
        (err: { code?: string }) => err,
      );
      assert.equal(e.code, code, JSON.stringify(options));
    }
  });
});

describe("reconnect", () => {
  test("connect retries a refused port with backoff, then gives up with the cause", async () => {
    const [port] = await freePorts(1);
    const retries: number[] = [];
    const e = await failure(
      connect({
        host: "127.0.0.1",
        port,
        reconnect: { retries: 2, initialDelayMs: 10, onRetry: (i) => retries.push(i.attempt) },
      }),
    );
    assertFailure(e, "TELDOC_ERR_CONNECT_FAILED", "refused");
    assert.deepEqual(retries, [1, 2]);
  });

  test("withReconnect never retries after auth-failed", async () => {
    const l = await lab("auth-failed", { tries: 1 });
    let attempts = 0;
    const e = await failure(
      withReconnect(
        { host: "127.0.0.1", port: l.port },
        async (s) => {
          attempts++;
          await s.login({ user: "demo", password: "wrong" });
        },
        { retries: 3, initialDelayMs: 10 },
      ),
    );
    assert.equal(e.diagnosis?.cause, "auth-failed");
    assert.equal(attempts, 1);
  });

  test("withReconnect runs the task again after a peer reset", async () => {
    const l = await lab("peer-reset", { afterMs: 200 });
    let attempts = 0;
    const out = await withReconnect(
      { host: "127.0.0.1", port: l.port },
      async (s) => {
        attempts++;
        await s.login({ user: "demo", password: "demo" });
        if (attempts === 1) await s.expect("never", { timeout: "5s" });
        return s.exec("whoami");
      },
      { retries: 2, initialDelayMs: 10 },
    );
    assert.equal(attempts, 2);
    assert.equal(out, "demo");
  });
});
