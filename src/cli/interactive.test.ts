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
