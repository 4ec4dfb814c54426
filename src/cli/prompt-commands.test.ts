import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientSession } from "../session/client.js";
import { PROMPT_COMMANDS, promptHelp } from "./escape-help.js";
import { promptCommand } from "./prompt-commands.js";

// A session that never connected: the commands run, nothing goes out.
const session = () => new ClientSession({ host: "127.0.0.1", port: 9 });

test("teldoc> prompt: a command that did its job goes back to the session, as in inetutils telnet", () => {
  const s = session();
  assert.deepEqual(promptCommand(s, ""), { again: false });
  assert.deepEqual(promptCommand(s, "   "), { again: false });
  assert.equal(promptCommand(s, "status").again, false);
  assert.deepEqual(promptCommand(s, "send ayt"), { text: "sent IAC AYT", again: false });
  assert.deepEqual(promptCommand(s, "SEND nop"), { text: "sent IAC NOP", again: false });
  assert.deepEqual(promptCommand(s, "keepalive 5s"), {
    text: "keepalive every 5.0 s",
    again: false,
  });
  assert.deepEqual(promptCommand(s, "keepalive off"), { text: "keepalive off", again: false });
  assert.deepEqual(promptCommand(s, "toggle trace"), {
    text: "trace on: events are printed as they happen",
    again: false,
  });
  assert.deepEqual(promptCommand(s, "toggle trace"), { text: "trace off", again: false });
});

test("teldoc> prompt: help and a mistyped command keep the prompt open", () => {
  const s = session();
  assert.deepEqual(promptCommand(s, "help"), { text: promptHelp(), again: true });
  assert.equal(promptCommand(s, "?").again, true);
  assert.deepEqual(promptCommand(s, "frobnicate"), {
    text: 'unknown command "frobnicate"; type help',
    again: true,
  });
  assert.equal(promptCommand(s, "toggle bogus").again, true);
  assert.equal(promptCommand(s, "send what").again, true);
  assert.equal(promptCommand(s, "send").again, true);
  assert.deepEqual(promptCommand(s, "keepalive 30"), {
    text: 'keepalive: "30" has no unit: write 30s or 30000ms (units: ms, s, m, h)',
    again: true,
  });
  assert.equal(promptCommand(s, "keepalive").again, true);
});

test("teldoc> prompt: keepalive 0 turns it off, as it did before `off` was documented", () => {
  assert.deepEqual(promptCommand(session(), "keepalive 0"), {
    text: "keepalive off",
    again: false,
  });
});

test("teldoc> prompt: help lists every command, one line each, and says how to go back", () => {
  const lines = promptHelp().split("\n");
  for (const [usage] of PROMPT_COMMANDS)
    assert.equal(lines.filter((l) => l.startsWith(`  ${usage} `)).length, 1, usage);
  for (const l of lines) assert.ok(l.length <= 80, `fits an 80-column terminal: ${l}`);
  assert.match(promptHelp(), /empty line\)\s+back to the session/);
  for (const word of ["close", "status", "send CMD", "toggle trace", "keepalive", "help"])
    assert.match(promptHelp(), new RegExp(`^  ${word}`, "m"), word);
});
