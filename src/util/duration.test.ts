/** @module parseDuration: the contract's units, no bare numbers, no zero unless a setting allows it. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isTeldocError } from "../errors.js";
import { type DurationRules, formatDurationFlag, parseDuration, parsePeriod } from "./duration.js";

describe("parseDuration", () => {
  const good: [string, number, DurationRules?][] = [
    ["500ms", 500],
    ["10s", 10_000],
    ["1.5s", 1500],
    [".5s", 500],
    ["5m", 300_000],
    ["2h", 7_200_000],
    [" 10 S ", 10_000],
    ["0s", 0, { zero: true }],
    ["0", 0, { zero: true }],
    ["off", 0, { off: true }],
    ["OFF", 0, { off: true }],
    ["30s", 30_000, { off: true }],
  ];
  for (const [text, ms, rules] of good)
    test(`${JSON.stringify(text)}${rules ? ` ${JSON.stringify(rules)}` : ""} → ${ms} ms`, () => {
      assert.equal(parseDuration(text, "--x", rules), ms);
    });

  /** The text, the rules, and the key part of the message after `--x: "TEXT" `. */
  const bad: [string, DurationRules, string][] = [
    ["10", {}, "has no unit: write 10s or 10000ms (units: ms, s, m, h)"],
    ["1.5", {}, "has no unit: write 1.5s or 1500ms"],
    ["10", { off: true }, "has no unit"],
    ["0s", {}, "must be more than 0 (e.g. 10s)"],
    ["0", {}, "must be more than 0"],
    ["0ms", { off: true }, "must be more than 0: write off to turn it off"],
    ["0", { off: true }, "must be more than 0: write off to turn it off"],
    ["-5s", {}, "must be more than 0"],
    ["-5s", { zero: true }, "is negative"],
    ["soon", {}, "is not a duration: write it like 500ms, 10s, 5m or 2h"],
    ["soon", { off: true }, "is not a duration: write it like 500ms, 10s, 5m, 2h or off"],
    ["off", {}, "is not a duration"],
    ["10 seconds", {}, "is not a duration"],
    ["1e3ms", {}, "is not a duration"],
    ["", {}, "is not a duration"],
    ["25d", {}, "is not a duration"],
    ["600h", {}, "is too long: at most 24 days"],
  ];
  for (const [text, rules, message] of bad)
    test(`${JSON.stringify(text)} ${JSON.stringify(rules)}: TELDOC_ERR_BAD_DURATION`, () => {
      assert.throws(
        () => parseDuration(text, "--x", rules),
        (err: unknown) =>
          isTeldocError(err, "TELDOC_ERR_BAD_DURATION") &&
          err.message.startsWith(`--x: "${text}" ${message}`),
      );
    });

  test("formatDurationFlag is read back exactly", () => {
    for (const ms of [1, 999, 1000, 1500, 240_000, 3_600_000])
      assert.equal(parseDuration(formatDurationFlag(ms)), ms);
  });
});

describe("parsePeriod: how far back (--since)", () => {
  test("the contract's units plus days and weeks, past the 24-day cap of timers", () => {
    assert.equal(parsePeriod("90m"), 5_400_000);
    assert.equal(parsePeriod("7d"), 604_800_000);
    assert.equal(parsePeriod("2w"), 1_209_600_000);
    assert.equal(parsePeriod("720h"), 2_592_000_000);
  });
  test("no unit, zero or words: TELDOC_ERR_BAD_DURATION", () => {
    for (const bad of ["7", "0d", "0h", "-1d", "7y", "week"])
      assert.throws(
        () => parsePeriod(bad, "--since"),
        (e: unknown) => isTeldocError(e, "TELDOC_ERR_BAD_DURATION"),
        bad,
      );
  });
});
