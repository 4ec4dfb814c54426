import assert from "node:assert/strict";
import { test } from "node:test";
import { type LineStep, PromptLine } from "./prompt-line.js";

const feed = (line: PromptLine, text: string): LineStep => line.feed(Buffer.from(text, "utf8"));

test("prompt line: Enter (CR, LF or CR LF) ends the line; what follows is left for the session", () => {
  for (const end of ["\r", "\n", "\r\n"]) {
    const step = feed(new PromptLine(), `status${end}echo hi\r`);
    assert.deepEqual(step.end, { kind: "line", line: "status" }, JSON.stringify(end));
    assert.equal(step.echo, "status\r\n");
    assert.equal(step.rest?.toString(), "echo hi\r");
  }
  const exact = feed(new PromptLine(), "\r");
  assert.deepEqual(exact, { echo: "\r\n", end: { kind: "line", line: "" } });
});

test("prompt line: keys split over many reads, one byte at a time, give the same line", () => {
  const line = new PromptLine();
  let echo = "";
  let last: LineStep = { echo: "" };
  for (const b of Buffer.from("send ayt\r")) {
    last = line.feed(Buffer.of(b));
    echo += last.echo;
  }
  assert.deepEqual(last.end, { kind: "line", line: "send ayt" });
  assert.equal(echo, "send ayt\r\n");
});

test("prompt line: Backspace/DEL erase a character, Ctrl-U the line, Ctrl-W a word", () => {
  assert.deepEqual(feed(new PromptLine(), "statuz\x7fs\r").end, { kind: "line", line: "status" });
  assert.deepEqual(feed(new PromptLine(), "x\b\bclose\r").end, { kind: "line", line: "close" });
  assert.deepEqual(feed(new PromptLine(), "junk\x15help\r").end, { kind: "line", line: "help" });
  assert.deepEqual(feed(new PromptLine(), "send  brk \x17ayt\r").end, {
    kind: "line",
    line: "send  ayt",
  });
  const step = feed(new PromptLine(), "ab\x7f");
  assert.equal(step.echo, "ab\b \b");
  assert.equal(step.end, undefined);
});

test("prompt line: Ctrl-C cancels; Ctrl-D on an empty line is the end of input, else ignored", () => {
  const cancel = feed(new PromptLine(), "sta\x03more");
  assert.deepEqual(cancel.end, { kind: "cancel" });
  assert.equal(cancel.rest?.toString(), "more");
  assert.deepEqual(feed(new PromptLine(), "\x04").end, { kind: "eof" });
  const line = new PromptLine();
  assert.equal(feed(line, "st\x04").end, undefined);
  assert.deepEqual(feed(line, "atus\r").end, { kind: "line", line: "status" });
});

test("prompt line: arrow keys and other control keys are ignored; UTF-8 is kept whole", () => {
  const step = feed(new PromptLine(), "\x1b[A\x1bOBst\x01\x1datus\x1b[1;5D\r");
  assert.deepEqual(step.end, { kind: "line", line: "status" });
  assert.equal(step.echo, "status\r\n");
  const utf8 = new PromptLine();
  const bytes = Buffer.from("é\x7fx\r", "utf8");
  let end: LineStep["end"];
  for (const b of bytes) end = utf8.feed(Buffer.of(b)).end ?? end;
  assert.deepEqual(end, { kind: "line", line: "x" }, "one DEL erases the two-byte é");
});

test("prompt line: after the end, everything is handed back", () => {
  const line = new PromptLine();
  feed(line, "\r");
  assert.deepEqual(feed(line, "abc"), { echo: "", rest: Buffer.from("abc") });
});
