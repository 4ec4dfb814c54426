import assert from "node:assert/strict";
import { describe, test } from "node:test";
import {
  cleanText,
  DEFAULT_PROMPT,
  drawLine,
  findPager,
  isPrompt,
  splitResponse,
} from "./output.js";

describe("drawLine: a line as a terminal draws it", () => {
  const cases: [string, string, string][] = [
    ["plain text, trailing blanks trimmed", "hello  ", "hello"],
    ["CR returns to the start and overwrites", "abcdef\rxy", "xycdef"],
    ["backspaces step back", "ab\b\bcd", "cd"],
    [
      "Cisco --More-- erased by backspaces",
      " --More-- \b\b\b\b\b\b\b\b\b\b          \b\b\b\b\b\b\b\b\b\bnext",
      "next",
    ],
    ["CR, blanks, CR erase a pager line", "\r          \rnext", "next"],
    ["ESC [ K erases to the end", "old text\r\x1b[Knew", "new"],
    ["ESC [ n D moves left", "abc\x1b[2Dx", "axc"],
    ["colours and bash's bracketed paste vanish", "\x1b[?2004l\r\x1b[1;32mok\x1b[0m", "ok"],
    ["NUL is dropped", "a\0b", "ab"],
  ];
  for (const [name, input, want] of cases) test(name, () => assert.equal(drawLine(input), want));
});

describe("cleanText", () => {
  test("CR LF and LF end lines; CR NUL is a bare CR (RFC 854) that returns to the start", () => {
    assert.equal(cleanText("a\r\nb\r\0c\nd"), "a\nc\nd");
  });
});

describe("findPager: pager prompts on the unfinished last line", () => {
  const pagers = [
    "--More--",
    " --More-- ",
    "-- More --",
    "<--- More --->",
    "---(more)---",
    "---(more 45%)---",
    "  ---- More ----",
    "Press any key to continue (Q to quit)",
    "-- MORE --, next page: Space, next line: Enter, quit: Control-C",
    "Press SPACE to continue, q to quit",
    "--More--(50%)",
  ];
  for (const p of pagers)
    test(JSON.stringify(p), () => {
      const text = `line 1\r\nline 2\r\n${p}`;
      assert.ok(findPager(text) >= "line 1\r\nline 2\r\n".length, "found on the last line");
    });
  test("not a pager: a finished line, a prompt, ordinary words", () => {
    assert.equal(findPager("--More--\r\nrouter#"), -1);
    assert.equal(findPager("see more details below\r\n"), -1);
    assert.equal(findPager("router# "), -1);
  });
});

describe("isPrompt and splitResponse", () => {
  test("prompts with and without the trailing space", () => {
    for (const p of ["router#", "router# ", "user@host:~$ ", "R1>", "[admin@mikrotik] > ", "% "])
      assert.ok(isPrompt(p, DEFAULT_PROMPT), p);
    assert.ok(!isPrompt("Password: ", DEFAULT_PROMPT));
    assert.ok(!isPrompt("some output", DEFAULT_PROMPT));
  });
  test("echo and prompt removed, lines kept", () => {
    const r = splitResponse("show clock\r\n12:00:01 UTC\r\nline 2\r\nr1#", "show clock");
    assert.deepEqual(r, { output: "12:00:01 UTC\nline 2", prompt: "r1#", echoStripped: true });
  });
  test("no echo: the leading line break goes, the output stays", () => {
    const r = splitResponse("\r\nuptime 3 days\r\nr1>", "show uptime");
    assert.deepEqual(r, { output: "uptime 3 days", prompt: "r1>", echoStripped: false });
  });
  test("an empty output", () => {
    assert.equal(splitResponse("conf t\r\nr1(config)#", "conf t").output, "");
  });
});

describe("erase in line", () => {
  test("ESC [ 2 K clears the line, ESC [ 1 K up to the cursor", () => {
    assert.equal(drawLine("--More--\x1b[2K\rnext"), "next");
    assert.equal(drawLine("abcdef\x1b[3D\x1b[1K"), "    ef");
  });
});
