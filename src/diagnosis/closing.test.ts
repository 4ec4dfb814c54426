/** @module The server's closing words: which lines count, in which stage, and how long before the close. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { CLOSING_WORDS_MS, closingText, findClosingMessage, stageOf } from "./closing.js";
import { summarize } from "./summary.js";
import { trace } from "./testing/build.js";

const greeted = () => trace().resolve().connect().negotiate();
const atPrompt = () => greeted().in("\r\nDebian GNU/Linux 12\r\nhost login: ");
const shell = () => greeted().login().wait(1000).type("ls").in("notes.txt\r\nalice@host:~$ ");

describe("closing lines: the server's last words, with their times", () => {
  test("kept line by line, each dated by its last visible character", () => {
    const s = summarize(
      greeted().in("Too many ").wait(30).in("sessions.").wait(20).in("\r\n").wait(5).fin().events,
    );
    assert.deepEqual(
      s.closingLines.map((l) => l.text),
      ["Too many sessions.\n"],
    );
    // The line ending came 20 ms after the last visible character: the line is dated by that.
    assert.equal(s.closingLines[0].t, (s.finAt ?? 0) - 25);
  });
  test("forgotten when the server prompts (login or shell) or the user types", () => {
    assert.deepEqual(summarize(atPrompt().events).closingLines, []);
    assert.deepEqual(summarize(shell().events).closingLines, []);
    const typed = greeted().in("Welcome\r\n").out("x");
    assert.deepEqual(summarize(typed.events).closingLines, []);
    const after = typed.in("Bye\r\n");
    assert.deepEqual(
      summarize(after.events).closingLines.map((l) => l.text),
      ["Bye\n"],
    );
  });
  test("bounded: the last 64 lines of at most ~2 KB", () => {
    const b = greeted();
    for (let i = 0; i < 200; i++) b.in(`line ${i}\r\n`);
    const lines = summarize(b.events).closingLines;
    assert.equal(lines.length, 64);
    assert.equal(lines.at(-1)?.text, "line 199\n");
    const long = summarize(greeted().in(`${"x".repeat(5000)}\r\n`).events).closingLines;
    assert.ok(long.reduce((n, l) => n + l.text.length, 0) <= 2048);
  });
});

describe("closingText: only what came within CLOSING_WORDS_MS of the end", () => {
  test("words right before the close count; words minutes before do not", () => {
    const now = summarize(greeted().in("Server busy.\r\n").wait(200).fin().events);
    assert.equal(closingText(now), "Server busy.\n");
    const old = greeted()
      .in("Server busy.\r\n")
      .wait(CLOSING_WORDS_MS + 1)
      .fin();
    assert.equal(closingText(summarize(old.events)), "");
    const mixed = greeted().in("Old news\r\n").wait(120_000).in("Bye\r\n").wait(10).fin();
    assert.equal(closingText(summarize(mixed.events)), "Bye\n");
  });
});

describe("stageOf", () => {
  test("before any login, after credentials, in a session", () => {
    assert.equal(stageOf(summarize(atPrompt().events)), "before-login");
    const sent = atPrompt().wait(900).out("alice\r\n").in("alice\r\nPassword: ");
    assert.equal(stageOf(summarize(sent.events)), "after-credentials");
    assert.equal(stageOf(summarize(shell().events)), "session");
    // A server with no login: once the user typed a command, it is a session.
    const mud = greeted().in("Welcome to the MUD!\r\n> ").out("look\r\n");
    assert.equal(stageOf(summarize(mud.events)), "session");
  });
});

describe("findClosingMessage: in the right stage, soon enough before the close", () => {
  test("an idle-timeout message right before the FIN; not the same words an hour before", () => {
    const now = shell().wait(10_000).in("timed out waiting for input: auto-logout\r\n").fin();
    assert.equal(
      findClosingMessage(summarize(now.events), ["idle-timeout"])?.message.id,
      "bash-tmout",
    );
    const then = shell().wait(10_000).in("timed out waiting for input: auto-logout\r\n");
    assert.equal(
      findClosingMessage(summarize(then.wait(3_600_000).fin().events), ["idle-timeout"]),
      undefined,
    );
  });
  test("a row with its own pause: ksh warns, then exits 60 s later", () => {
    const ksh = shell().wait(2000).in("\x07shell will timeout in 60 seconds due to inactivity\r\n");
    const m = findClosingMessage(summarize(ksh.wait(60_000).fin().events), ["idle-timeout"]);
    assert.equal(m?.message.id, "ksh-timeout");
  });
  test("access wording in a session is output, not a refusal; the shutdown wall is not", () => {
    const denied = shell().type("cat /x").in("Access denied.\r\n").wait(5).fin();
    assert.equal(findClosingMessage(summarize(denied.events), ["acl-rejected"]), undefined);
    const wall = shell()
      .wait(3000)
      .in("The system is going down for reboot NOW!\r\n")
      .wait(5)
      .fin();
    assert.equal(
      findClosingMessage(summarize(wall.events), ["service-unavailable"])?.message.id,
      "shutdown-wall",
    );
  });
  test("the same words before any login are a refusal", () => {
    const denied = greeted().in("Access denied.\r\n").wait(5).fin();
    assert.equal(
      findClosingMessage(summarize(denied.events), ["acl-rejected"])?.message.id,
      "access-denied",
    );
  });
});

describe("a MOTD after the credentials does not undo the login", () => {
  test("maintenance and access wording in the MOTD, then a shell prompt: logged in", () => {
    const b = atPrompt().wait(900).out("alice\r\n").in("alice\r\nPassword: ").password().wait(180);
    b.in(
      "\r\nScheduled maintenance: Sundays 02:00-04:00\r\nIf you are not authorized to use this system, disconnect now.\r\nalice@host:~$ ",
    );
    const s = summarize(b.events);
    assert.equal(s.phase, "session");
    assert.ok(s.loginSucceededAt !== undefined);
  });
});
