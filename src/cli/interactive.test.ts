import assert from "node:assert/strict";
import { test } from "node:test";
import { ClientSession } from "../session/client.js";
import { promptCommand } from "./interactive.js";

test("teldoc> prompt: toggle trace turns live printing on and off; bad input keeps the prompt", () => {
  const s = new ClientSession({ host: "127.0.0.1", port: 9 });
  assert.deepEqual(promptCommand(s, "toggle trace"), {
    text: "trace on: events are printed as they happen",
    again: true,
  });
  assert.deepEqual(promptCommand(s, "toggle trace"), { text: "trace off", again: true });
  assert.equal(promptCommand(s, "toggle bogus").again, true);
  assert.equal(promptCommand(s, "send what").again, true);
  assert.equal(promptCommand(s, "frobnicate").again, true);
  assert.deepEqual(promptCommand(s, ""), { again: false });
});

test("teldoc> prompt: keepalive DUR needs a unit; off (or 0, as before) turns it off", () => {
  const s = new ClientSession({ host: "127.0.0.1", port: 9 });
  assert.deepEqual(promptCommand(s, "keepalive 30s"), {
    text: "keepalive every 30.0 s",
    again: true,
  });
  assert.deepEqual(promptCommand(s, "keepalive off"), { text: "keepalive off", again: true });
  assert.deepEqual(promptCommand(s, "keepalive 0"), { text: "keepalive off", again: true });
  assert.deepEqual(promptCommand(s, "keepalive 30"), {
    text: 'keepalive: "30" has no unit: write 30s or 30000ms (units: ms, s, m, h)',
    again: true,
  });
});
