/**
 * The login dialogue on an Inbox with a manual clock: which prompt is answered with what, and
 * when — a prompt answered only once nothing followed it for the settle time, a prompt that
 * comes back twice because of an Enter pressed earlier, a refusal, a missing credential.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { manualClock } from "../testing/manual-clock.js";
import { Inbox } from "./inbox.js";
import { LoginDialogue, type LoginRules } from "./login-dialogue.js";

function setup(rules: Partial<LoginRules> = {}, lineEnd = "\r\n") {
  const clock = manualClock();
  const inbox = new Inbox(1 << 16, clock);
  const sent: string[] = [];
  const host = {
    inbox,
    lineEnd: () => lineEnd,
    write: (text: string) => sent.push(text),
    step: () => {},
  };
  const dialogue = new LoginDialogue(
    host,
    { user: "demo", password: "s3cret" },
    { prompt: /[$#>]\s*$/, quietMs: 100, ...rules },
  );
  return { clock, inbox, sent, dialogue };
}

/** Let promise callbacks run (the wait settles through a promise). */
const tick = () => new Promise((r) => setImmediate(r));

test("user name, password, shell prompt: ok, with each turn recorded", async () => {
  const { clock, inbox, sent, dialogue } = setup();
  const done = dialogue.run(5000);
  inbox.push("router login: ");
  assert.deepEqual(sent, ["demo\r\n"]);
  inbox.push("demo\r\nPassword: ");
  assert.deepEqual(sent, ["demo\r\n", "s3cret\r\n"]);
  inbox.push("\r\nrouter$ ");
  clock.advance(100);
  const r = await done;
  assert.ok(r.ok && r.value.status === "ok", JSON.stringify(r));
  assert.equal(r.value.prompt, "router$");
  assert.deepEqual(
    r.value.steps.map((s) => `${s.prompt}:${s.answered}`),
    ["login:user", "password:password"],
  );
});

test("a prompt is answered only once nothing (text or negotiation) followed it for settleMs", async () => {
  const { clock, inbox, sent, dialogue } = setup({ settleMs: 500 });
  const done = dialogue.run(10_000);
  inbox.push("login: ");
  clock.advance(300);
  inbox.touch(); // the server's negotiation still arriving
  clock.advance(300);
  assert.deepEqual(sent, [], "not answered while the line was busy");
  clock.advance(200);
  assert.deepEqual(sent, ["demo\r\n"]);
  inbox.push("Password: ");
  clock.advance(500);
  assert.deepEqual(sent, ["demo\r\n", "s3cret\r\n"]);
  inbox.push("$ ");
  clock.advance(600);
  assert.equal((await done).ok, true);
});

test("an Enter pressed earlier: a second login prompt then the password prompt is no refusal", async () => {
  const { clock, inbox, sent, dialogue } = setup({ settleMs: 400 });
  const done = dialogue.run(10_000);
  inbox.push("login: ");
  clock.advance(400);
  assert.deepEqual(sent, ["demo\r\n"]);
  // The server read the Enter as an empty name and asked again; then it read our name.
  inbox.push("\r\nlogin: ");
  clock.advance(50);
  inbox.push("demo\r\nPassword: ");
  clock.advance(400);
  assert.deepEqual(sent, ["demo\r\n", "s3cret\r\n"], "the user name was never sent twice");
  inbox.push("\r\n$ ");
  clock.advance(500);
  const r = await done;
  assert.ok(r.ok && r.value.status === "ok", JSON.stringify(r));
});

test("the login prompt that comes back and stays is a refusal; the server's words are kept", async () => {
  const { clock, inbox, dialogue } = setup();
  const done = dialogue.run(10_000);
  inbox.push("login: ");
  inbox.push("demo\r\nPassword: ");
  inbox.push("\r\nLogin incorrect\r\nlogin: ");
  clock.advance(200);
  const r = await done;
  assert.ok(r.ok && r.value.status === "failed");
  assert.equal(r.value.reason, "Login incorrect");
  assert.equal(r.value.sentPassword, true);
});

test("a device that asks only for a password; a missing credential is said, not sent", async () => {
  const a = setup();
  const doneA = a.dialogue.run(5000);
  a.inbox.push("\r\nUser Access Verification\r\n\r\nPassword: ");
  assert.deepEqual(a.sent, ["s3cret\r\n"]);
  a.inbox.push("\r\nrouter>");
  a.clock.advance(100);
  assert.equal((await doneA).ok, true);

  const clock = manualClock();
  const inbox = new Inbox(1 << 16, clock);
  const sent: string[] = [];
  const host = { inbox, lineEnd: () => "\r\n", write: (t: string) => sent.push(t), step() {} };
  const d = new LoginDialogue(host, { user: "demo" }, { prompt: /\$ $/, quietMs: 10 });
  const done = d.run(5000);
  inbox.push("login: ");
  inbox.push("Password: ");
  const r = await done;
  assert.ok(r.ok && r.value.status === "failed");
  assert.equal(r.value.missing, "password");
  assert.deepEqual(sent, ["demo\r\n"]);
});

test("giving up says what it waited for; the line end is asked at each answer", async () => {
  let lineEnd = "\r\n";
  const clock = manualClock();
  const inbox = new Inbox(1 << 16, clock);
  const sent: string[] = [];
  const host = { inbox, lineEnd: () => lineEnd, write: (t: string) => sent.push(t), step() {} };
  const d = new LoginDialogue(host, { user: "u", password: "p" }, { prompt: /\$ $/, quietMs: 10 });
  const done = d.run(1000);
  assert.equal(d.waitingFor, "a login or password prompt");
  inbox.push("login: ");
  lineEnd = "\r"; // BINARY was agreed meanwhile
  inbox.push("Password: ");
  assert.deepEqual(sent, ["u\r\n", "p\r"]);
  clock.advance(1000);
  await tick();
  const r = await done;
  assert.equal(r.ok, false);
  assert.match(d.waitingFor, /after the password/);
});

test("refusal words in a MOTD followed by the shell prompt are no refusal", async () => {
  const { clock, inbox, dialogue } = setup();
  const done = dialogue.run(5000);
  inbox.push("login: ");
  inbox.push("Password: ");
  inbox.push("\r\nNOTICE: access denied to /srv/old for all users since May.\r\n");
  clock.advance(50);
  inbox.push("demo@host:~$ ");
  clock.advance(100);
  const r = await done;
  assert.ok(r.ok && r.value.status === "ok", JSON.stringify(r));
});
