/** @module parseScript: each step's durations carry a unit; a bad line is a usage error naming the line. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTeldocError } from "../errors.js";
import { parseScript } from "./script.js";

describe("parseScript: durations", () => {
  test("expect REGEX [TIMEOUT], sleep DUR, wait [DUR]", () => {
    const steps = parseScript("expect login: 5s\nsleep 0s\nsleep 250ms\nwait\nwait 2m\n");
    assert.deepEqual(
      steps.map((s) => [s.kind, "timeoutMs" in s ? s.timeoutMs : "ms" in s ? s.ms : null]),
      [
        ["expect", 5000],
        ["sleep", 0],
        ["sleep", 250],
        ["wait", undefined],
        ["wait", 120_000],
      ],
    );
  });

  test("a pattern ending in a number is written with \\b; the default timeout is 10 s", () => {
    const [step] = parseScript("expect port 23\\b\n");
    assert.ok(step.kind === "expect");
    assert.equal(step.pattern.source, "port 23\\b");
    assert.equal(step.timeoutMs, 10_000);
  });

  /** A script, and the start of its one-line error. */
  const bad: [string, string][] = [
    [
      "send x\\r\nexpect login: 10\n",
      'script line 2: expect: "10" at the end has no unit: write 10s',
    ],
    ["expect login: 0s\n", 'script line 1: expect timeout: "0s" must be more than 0'],
    ["# comment\n\nsleep 5\n", 'script line 3: sleep: "5" has no unit: write 5s or 5000ms'],
    ["sleep -1s\n", 'script line 1: sleep: "-1s" is negative'],
    ["wait 30\n", 'script line 1: wait: "30" has no unit'],
    ["wait 0s\n", 'script line 1: wait: "0s" must be more than 0'],
    ["wait soon\n", 'script line 1: wait: "soon" is not a duration'],
  ];
  for (const [script, message] of bad)
    test(JSON.stringify(script), () => {
      assert.throws(
        () => parseScript(script),
        (err: unknown) => isTeldocError(err) && err.message.startsWith(message),
      );
    });
});

describe("parseScript: send and sendline", () => {
  test("send is exactly the text after its escapes; sendline marks the line end to add", () => {
    const steps = parseScript(
      "send admin\\r\nsend \\x03\nsendline show run\nsendline\nsend a\\tb\\\\\n",
    );
    assert.deepEqual(
      steps.map((s) => ("text" in s ? [s.kind, s.text] : [s.kind])),
      [
        ["send", "admin\r"],
        ["send", "\x03"],
        ["sendline", "show run"],
        ["sendline", ""],
        ["send", "a\tb\\"],
      ],
    );
  });

  test("an unknown step names the steps there are", () => {
    assert.throws(
      () => parseScript("sendln x\n"),
      (err: unknown) =>
        isTeldocError(err) &&
        err.message ===
          'script line 1: unknown step "sendln": use expect, send, sendline, sleep, wait or close',
    );
  });
});
