/** @module summarize(): phase, transport, times, text and login facts from events. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summarize } from "./summary.js";
import { trace } from "./testing/build.js";

describe("summarize: phase", () => {
  test("resolve until resolved, connect until connected, negotiation until text", () => {
    assert.equal(summarize(trace().push({ type: "resolving", host: "h" }).events).phase, "resolve");
    assert.equal(summarize(trace().resolve().events).phase, "connect");
    assert.equal(summarize(trace().resolve().connect().negotiate().events).phase, "negotiation");
  });
  test("login while a prompt is unanswered or rejected, session after the shell prompt", () => {
    const b = trace().resolve().connect().negotiate().in("host login: ");
    assert.equal(summarize(b.events).phase, "login");
    b.wait(500)
      .out("alice\r\n")
      .in("alice\r\n")
      .in("Password: ")
      .password()
      .wait(3000)
      .in("\r\nLogin incorrect\r\nhost login: ");
    assert.equal(summarize(b.events).phase, "login");
    const ok = trace().resolve().connect().negotiate().login();
    const s = summarize(ok.events);
    assert.equal(s.phase, "session");
    assert.ok(s.shellPromptAfterLogin);
    assert.ok(s.loginSucceededAt !== undefined && s.passwordSentAt !== undefined);
  });
  test("data with no login prompt at all is a session", () => {
    const b = trace().resolve().connect().in("Welcome to the MUD!\r\n> ");
    assert.equal(summarize(b.events).phase, "session");
  });
  test("the echo of a retried user name is not a successful login", () => {
    const b = trace()
      .resolve()
      .connect()
      .negotiate()
      .in("login: ")
      .out("bob\r\n")
      .in("bob\r\n")
      .in("Password: ");
    b.password()
      .wait(3000)
      .in("\r\nLogin incorrect\r\nlogin: ")
      .out("bob\r\n")
      .wait(5)
      .in("bob\r\n");
    const s = summarize(b.events);
    assert.equal(s.loginSucceededAt, undefined);
    assert.equal(s.phase, "login");
  });
  test("an unmasked line typed at a password prompt counts as the password, not as a command", () => {
    const b = trace()
      .resolve()
      .connect()
      .in("Password: ")
      .wait(800)
      .out("hunter2\r")
      .wait(100)
      .in("\r\nrouter1>");
    const s = summarize(b.events);
    assert.equal(s.passwordSentAt, 800 + 1.2 + 0.8);
    assert.equal(s.lastCommand, undefined);
    assert.equal(s.phase, "session");
  });
});

describe("summarize: transport", () => {
  const connected = () => trace().resolve().connect().negotiate().login().wait(1000);
  const cases: [string, ReturnType<typeof trace>, string][] = [
    [
      "resolve-failed",
      trace().push({
        type: "resolve-failed",
        host: "x",
        code: "ENOTFOUND",
        message: "",
        durationMs: 3,
      }),
      "dns",
    ],
    ["FIN", connected().serverCloses(), "fin"],
    ["ECONNRESET", connected().socketError("ECONNRESET"), "rst"],
    ["EPIPE", connected().socketError("EPIPE"), "rst"],
    ["ETIMEDOUT", connected().socketError("ETIMEDOUT"), "timeout"],
    ["EHOSTUNREACH", connected().socketError("EHOSTUNREACH"), "timeout"],
    [
      "dead-peer",
      connected()
        .out("x")
        .push({ type: "timer", name: "dead-peer" })
        .push({ type: "local-close", reason: "dead-peer" }),
      "timeout",
    ],
    [
      "local close",
      connected().push({ type: "local-close", reason: "user" }).wait(2).fin(),
      "local-close",
    ],
    [
      "local close after FIN",
      connected().fin().wait(2).push({ type: "local-close", reason: "user" }),
      "fin",
    ],
    ["RST after FIN", connected().fin().wait(2).socketError("ECONNRESET"), "fin"],
    [
      "a closed event alone",
      connected().push({ type: "closed", by: "remote", transport: "rst" }),
      "rst",
    ],
    ["no close at all (a cut trace)", connected(), "unknown"],
    [
      "cut while connecting",
      trace()
        .resolve()
        .push({ type: "connecting", address: "192.0.2.7", family: 4, port: 23, attempt: 1 }),
      "unknown",
    ],
    ["cut while resolving", trace().push({ type: "resolving", host: "x" }), "unknown"],
  ];
  for (const [name, b, want] of cases) {
    test(`${name} → ${want}`, () => assert.equal(summarize(b.events).transport, want));
  }
  test("connect outcomes: the last attempt decides", () => {
    for (const [outcome, want] of [
      ["refused", "refused"],
      ["timeout", "timeout"],
      ["unreachable", "unreachable"],
      ["local-firewall", "local-error"],
      ["local-error", "local-error"],
    ] as const) {
      const b = trace().resolve().push({
        type: "connect-failed",
        address: "192.0.2.7",
        port: 23,
        outcome,
        code: "X",
        durationMs: 1,
      });
      assert.equal(summarize(b.events).transport, want);
    }
  });
});

describe("summarize: times, bytes and text", () => {
  test("idleMs runs from the later of connect and the last outgoing data to the end", () => {
    const b = trace().resolve().connect();
    const connectedAt = b.t;
    b.wait(500).serverCloses();
    assert.equal(summarize(b.events).idleMs, 500);
    assert.equal(summarize(b.events).connectedAt, connectedAt);
    const c = trace()
      .resolve()
      .connect()
      .negotiate()
      .login()
      .wait(2000)
      .out("ls\r")
      .wait(10_002)
      .serverCloses();
    const s = summarize(c.events);
    assert.equal(s.idleMs, 10_002);
    assert.equal(s.endAt, s.finAt);
  });
  test("lastServerText is the last non-empty line, trimmed, ANSI stripped, at most 200 chars", () => {
    const b = trace().resolve().connect().in("\x1b[1;31mBye now\x1b[0m   \r\n\r\n");
    assert.equal(summarize(b.events).lastServerText, "Bye now");
    const long = trace()
      .resolve()
      .connect()
      .in(`${"x".repeat(500)}\r\n`);
    assert.equal(summarize(long.events).lastServerText.length, 200);
  });
  test("serverText keeps the last ~2 KB", () => {
    const b = trace().resolve().connect();
    for (let i = 0; i < 100; i++) b.in(`line ${i} ${"-".repeat(60)}\r\n`);
    const s = summarize(b.events);
    assert.ok(
      s.serverText.length <= 2048 && s.serverText.endsWith("line 99 " + "-".repeat(60) + "\n"),
    );
  });
  test("bytes come from read/write events when the trace has them, else from the data", () => {
    const b = trace()
      .resolve()
      .connect()
      .push({ type: "read", bytes: 12, hex: "fffd18fffd20fffd23fffd27" })
      .push({ type: "write", bytes: 3, hex: "fffb18" });
    const s = summarize(b.events);
    assert.deepEqual([s.bytesIn, s.bytesOut, s.optionsSeen], [12, 3, 0]);
    const d = summarize(trace().resolve().connect().in("hello").out("hi").events);
    assert.deepEqual([d.bytesIn, d.bytesOut], [5, 2]);
  });
  test("target comes from resolve and connect events", () => {
    const s = summarize(trace().resolve("h.example", "2001:db8::1").connect(1, 2323).events);
    assert.deepEqual(s.target, {
      host: "h.example",
      port: 2323,
      address: "2001:db8::1",
      family: 6,
    });
  });
  test("unanswered data: the idle stretch before it counts outgoing NOPs as traffic", () => {
    const b = trace()
      .resolve()
      .connect()
      .in("$ ")
      .wait(100_000)
      .push({ type: "command", dir: "out", command: "NOP" });
    b.wait(50_000).out("l").wait(30_000);
    assert.deepEqual(summarize(b.events).unanswered, { since: b.t - 30_000, idleBeforeMs: 50_000 });
    const answered = trace().resolve().connect().in("$ ").wait(1000).out("l").wait(2).in("l");
    assert.equal(summarize(answered.events).unanswered, undefined);
  });
  test("survivedQuietMs: the longest quiet stretch after which the server's data still came", () => {
    const b = trace().resolve().connect().in("$ ").wait(40_000).in("broadcast\r\n");
    // Our write after 70 s quiet was answered: it survived that too; the last write was not.
    b.wait(70_000).out("l").wait(3).in("l").wait(300_000).out("s").wait(30_000);
    const s = summarize(b.events);
    assert.equal(s.survivedQuietMs, 70_000);
    assert.equal(s.unanswered?.idleBeforeMs, 300_000);
    assert.equal(
      summarize(trace().resolve().connect().wait(9000).serverCloses().events).survivedQuietMs,
      0,
    );
  });
  test("an empty trace summarizes without throwing", () => {
    const s = summarize([]);
    assert.deepEqual([s.phase, s.durationMs, s.idleMs, s.lastServerText], ["resolve", 0, 0, ""]);
  });
});

test("a name that did not resolve keeps the port it was asked for", () => {
  const events = trace().push({ type: "resolving", host: "nosuchhost", port: 2323 }).push({
    type: "resolve-failed",
    host: "nosuchhost",
    code: "ENOTFOUND",
    message: "",
    durationMs: 1,
  }).events;
  assert.deepEqual(summarize(events).target, { host: "nosuchhost", port: 2323 });
});
