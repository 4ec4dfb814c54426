import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { editDistance, mistypedCommand } from "./suggest.js";

const COMMANDS = ["connect", "diagnose", "lab", "demo", "trace", "help"];

describe("mistypedCommand", () => {
  const suggested: [string[], string][] = [
    [["diagnos", "127.0.0.1"], "diagnose"],
    [["daignose", "r1"], "diagnose"],
    [["diag", "r1", "2323"], "diagnose"],
    [["conect", "127.0.0.1", "23"], "connect"],
    [["-q", "--no-color", "dignose", "::1"], "diagnose"],
    [["lb", "healthy"], "lab"],
    [["trce", "show", "t.jsonl"], "trace"],
    [["Demo", "now"], "demo"],
  ];
  for (const [argv, meant] of suggested)
    test(`${argv.join(" ")} -> ${meant}`, () => {
      assert.deepEqual(mistypedCommand(argv, COMMANDS)?.meant, meant);
    });

  const hosts: string[][] = [
    ["diagnos"], // a host alone: connect resolves it
    ["lab1", "2323"], // a host and its port
    ["diagnos", "23"],
    ["demo.example.net", "x"], // a dotted name is a host
    ["10.0.0.1", "x"],
    ["[::1]:2323"],
    ["myrouter", "telnet"], // not close to any command
    ["diagnose", "r1"], // the command itself
    ["diagnos", "--json", "r1"], // options between: left to the parser
  ];
  for (const argv of hosts)
    test(`${argv.join(" ")}: no suggestion`, () => {
      assert.equal(mistypedCommand(argv, COMMANDS), undefined);
    });

  test("edit distance counts a swap of neighbours as one edit", () => {
    assert.equal(editDistance("daignose", "diagnose"), 1);
    assert.equal(editDistance("lab", "lab"), 0);
    assert.equal(editDistance("", "demo"), 4);
  });
});
