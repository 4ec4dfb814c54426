import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { lineEndAfter, SecretLine } from "./secret-line.js";

const b = (s: string) => Buffer.from(s, "latin1");
const str = (x: Buffer | undefined) => x?.toString("latin1");

describe("SecretLine: what the user sends after a password prompt is a secret", () => {
  test("nothing is secret before a password prompt", () => {
    const s = new SecretLine();
    s.serverText("banner\r\nlab login: ");
    assert.equal(s.active, false);
    const c = s.cut(b("demo\r\n"), false);
    assert.deepEqual([str(c.secret), str(c.rest)], [undefined, "demo\r\n"]);
  });

  test("a prompt split across reads, then keystrokes one by one until CR", () => {
    const s = new SecretLine();
    s.serverText("demo\r\nPass");
    assert.equal(s.active, false);
    s.serverText("word: ");
    assert.equal(s.active, true);
    for (const k of "pw") {
      const c = s.cut(b(k), false);
      assert.deepEqual([str(c.secret), c.lineEnded, c.rest], [k, false, undefined]);
    }
    const c = s.cut(b("\r"), false);
    assert.deepEqual([str(c.secret), c.lineEnded], ["\r", true]);
    assert.equal(s.active, false);
    assert.equal(s.cut(b("ls"), false).rest?.toString(), "ls");
  });

  test("a whole line with more after it: the line is secret, the rest is not", () => {
    for (const end of ["\r\n", "\r\0", "\n", "\r"]) {
      const s = new SecretLine();
      s.serverText("Password: ");
      const c = s.cut(b(`hunter2${end}ls -l\r\n`), false);
      assert.equal(str(c.secret), `hunter2${end}`, JSON.stringify(end));
      assert.equal(str(c.rest), "ls -l\r\n");
    }
  });

  test("escape sequences around the prompt are drawn away", () => {
    const s = new SecretLine();
    s.serverText("\x1b[1mPassword:\x1b[0m \x07");
    assert.equal(s.active, true);
  });

  test("an answered prompt does not come back by itself; a new prompt line does", () => {
    const s = new SecretLine();
    s.serverText("Password: ");
    s.cut(b("wrong\r"), false);
    s.serverText("\x07");
    assert.equal(s.active, false, "more text on the answered line");
    s.serverText("\r\nLogin incorrect\r\nlab login: ");
    assert.equal(s.active, false);
    s.cut(b("demo\r"), false);
    s.serverText("\r\nPassword: ");
    assert.equal(s.active, true);
  });

  test("a caller's masked send is secret whole and answers the prompt", () => {
    const s = new SecretLine();
    s.serverText("Password: ");
    const c = s.cut(b("pw\r\nnot split\r\n"), true);
    assert.deepEqual(
      [str(c.secret), c.lineEnded, c.rest],
      ["pw\r\nnot split\r\n", true, undefined],
    );
    s.serverText("");
    assert.equal(s.active, false);
  });

  test("the server's last line is kept, short", () => {
    const s = new SecretLine();
    s.serverText("a\r\nb");
    s.serverText("c");
    assert.equal(s.serverLine, "bc");
    s.serverText("x".repeat(1000));
    assert.equal(s.serverLine.length, 256);
  });
});

test("lineEndAfter: after CR LF, CR NUL, CR or LF; -1 without one", () => {
  assert.equal(lineEndAfter(b("ab\r\ncd")), 4);
  assert.equal(lineEndAfter(b("ab\r\0")), 4);
  assert.equal(lineEndAfter(b("ab\rcd")), 3);
  assert.equal(lineEndAfter(b("\n")), 1);
  assert.equal(lineEndAfter(b("abc")), -1);
});
