/**
 * Secrets typed by hand: after the server's password prompt, what the client sends up to the
 * line end is recorded only as a fixed placeholder, in every event a subscriber sees (the
 * trace, --json, the pcap, -v all subscribe to the same events). Against the lab's real login
 * dialogue and raw loopback servers.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, before, describe, test } from "node:test";
import { diagnose, summarize } from "../diagnosis/index.js";
import { type Lab, startLab } from "../lab/server.js";
import type { TraceEvent } from "../trace/events.js";
import { ClientSession, type SessionEnd } from "./client.js";
import { MASK } from "./secret-line.js";

const hexOf = (s: string) => Buffer.from(s, "latin1").toString("hex");

/** Everything a subscriber saw, and the raw bytes written, in order. */
function recorded(events: readonly TraceEvent[]): { json: string; written: string; sent: string } {
  let written = "";
  let sent = "";
  for (const e of events) {
    if (e.type === "write") written += e.hex;
    if (e.type === "data" && e.dir === "out") sent += e.text;
  }
  return { json: JSON.stringify(events), written, sent };
}

function assertNowhere(events: readonly TraceEvent[], secret: string): void {
  const r = recorded(events);
  assert.ok(!r.json.includes(secret), "no clear text in any event");
  assert.ok(!r.sent.includes(secret), "not in the outgoing data, joined");
  assert.ok(!r.written.includes(hexOf(secret)), "not in the raw writes, joined");
  assert.ok(!r.json.includes(hexOf(secret)), "no hex in any event");
}

/** Log in to the lab, typing the password one key at a time; then `exit`. */
async function typedLogin(
  port: number,
  password: string,
): Promise<{ end: SessionEnd; all: TraceEvent[]; bytesOut: number }> {
  const session = new ClientSession({ host: "127.0.0.1", port, rawIo: true });
  const all: TraceEvent[] = [];
  session.recorder.subscribe((e) => all.push(e), { fullText: true });
  let step = 0;
  session.onData(() => {
    const line = session.serverLine;
    if (step === 0 && line.endsWith("login: ")) {
      step = 1;
      session.send("demo\r\n");
    } else if (step === 1 && line.endsWith("Password: ")) {
      step = 2;
      for (const key of password) session.send(key);
      session.send("\r");
    } else if (step === 2 && line.endsWith("$ ")) {
      step = 3;
      session.send("exit\r\n");
    }
  });
  const end = await session.run();
  return { end, all, bytesOut: session.bytesOut };
}

describe("a password typed at the lab's prompt", () => {
  let lab: Lab;
  let short: Lab;
  const secret = "Kx9-typed-by-hand";
  before(async () => {
    lab = await startLab({ scenario: "healthy", port: 0, config: { password: secret } });
    short = await startLab({ scenario: "healthy", port: 0, config: { password: "K" } });
  });
  after(async () => {
    await lab.close();
    await short.close();
  });

  test("reaches the server (the login works) and is recorded once, as the placeholder", async () => {
    const { end, all } = await typedLogin(lab.port, secret);
    assert.equal(end.transport, "fin");
    assert.equal(diagnose(end.events).cause, "logout", "logged in, then exit");
    assertNowhere(all, secret);
    assertNowhere(end.events, secret);
    const masked = all.filter((e) => (e.type === "data" || e.type === "write") && "masked" in e);
    assert.deepEqual(
      masked.map((e) => (e.type === "data" ? e.text : e.type === "write" ? e.hex : "")),
      [MASK, hexOf(MASK)],
      "one data and one write record for the whole line",
    );
    const sent = all.filter((e) => e.type === "data" && e.dir === "out" && !e.masked);
    assert.deepEqual(
      sent.map((e) => e.type === "data" && e.text),
      ["demo\r\n", "exit\r\n"],
      "the user name and the command stay readable",
    );
  });

  test("the records do not tell a 1-key password from a 17-key one", async () => {
    const long = await typedLogin(lab.port, secret);
    const one = await typedLogin(short.port, "K");
    const shape = (events: TraceEvent[]) =>
      events
        .filter((e) => e.type === "write" || (e.type === "data" && e.dir === "out"))
        .map(({ t: _t, ...rest }) => rest);
    assert.deepEqual(shape(one.all), shape(long.all));
    assert.equal(one.bytesOut, long.bytesOut, "bytesOut counts the placeholder");
    assert.equal(summarize(one.end.events).bytesOut, summarize(long.end.events).bytesOut);
  });

  test("a wrong password typed by hand is still the password sent, for the diagnosis", async () => {
    const strict = await startLab({
      scenario: "healthy",
      port: 0,
      config: { password: secret, tries: 1 },
    });
    try {
      const { end, all } = await typedLogin(strict.port, "wrong-pw-123");
      assertNowhere(all, "wrong-pw-123");
      const s = summarize(end.events);
      assert.ok(s.passwordSentAt !== undefined, "the password was sent");
      assert.match(s.textAfterCredentials, /Login incorrect/);
      assert.equal(diagnose(end.events).cause, "auth-failed");
    } finally {
      await strict.close();
    }
  });
});

const IAC_WILL_ECHO = Buffer.from([0xff, 0xfb, 0x01]);

/** A raw loopback server; the handler gets each connection. */
async function serve(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const a = server.address();
  assert.ok(a && typeof a === "object");
  return { server, port: a.port };
}

describe("the prompt and the server's WILL ECHO (echo off for the password)", () => {
  const servers: Server[] = [];
  after(() => {
    for (const s of servers) s.close();
  });

  for (const [name, greeting] of [
    ["WILL ECHO right after the prompt", Buffer.concat([Buffer.from("Password: "), IAC_WILL_ECHO])],
    ["WILL ECHO just before the prompt", Buffer.concat([IAC_WILL_ECHO, Buffer.from("Passcode: ")])],
  ] as const) {
    test(`${name}: the line sent once echo is off is masked, the next one is not`, async () => {
      const { server, port } = await serve((s) => {
        s.write(greeting);
        s.on("data", (d) => {
          if (d.includes("exit")) s.end("\r\nbye\r\n");
          else if (d.includes("\r")) s.write("\r\nok$ ");
        });
      });
      servers.push(server);
      const session = new ClientSession({ host: "127.0.0.1", port, rawIo: true });
      // Answer when the option arrives: the option event must not have cleared the prompt.
      session.recorder.subscribe((e) => {
        if (e.type === "option" && e.dir === "in" && e.option === "ECHO")
          setImmediate(() => session.send("pin-4242\r\nexit\r\n"));
      });
      const end = await session.run();
      assertNowhere(end.events, "pin-4242");
      const out = end.events.filter((e) => e.type === "data" && e.dir === "out");
      assert.deepEqual(
        out.map((e) => e.type === "data" && [e.text, e.masked === true]),
        [
          [MASK, true],
          ["exit\r\n", false],
        ],
      );
    });
  }

  test("a session that ends mid-password records the placeholder once, before the FIN", async () => {
    const { server, port } = await serve((s) => {
      s.write("PIN: ");
      s.once("data", () => setTimeout(() => s.end(), 50));
    });
    servers.push(server);
    const session = new ClientSession({ host: "127.0.0.1", port, rawIo: true });
    let sent = false;
    session.onData(() => {
      if (sent) return;
      sent = true;
      session.send("9");
      session.send("8");
    });
    const end = await session.run();
    const types = end.events.map((e) => (e.type === "data" && e.masked ? "masked" : e.type));
    assert.equal(types.filter((t) => t === "masked").length, 1);
    assert.ok(types.indexOf("masked") < types.indexOf("fin"), types.join(" "));
    assert.ok(!recorded(end.events).written.includes(hexOf("98")));
  });
});
