/** The login check's refusal rule, from fixtures. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { loginRefused } from "./login-check.js";

test("a refusal in known words is auth-failed at 0.95, with the system and its advice", () => {
  const c = loginRefused({
    user: "ops",
    words: "% Login invalid",
    afterMs: 2100,
    known: { system: "Cisco IOS", advice: "Check the AAA server." },
  });
  assert.equal(c.cause, "auth-failed");
  assert.equal(c.confidence, 0.95);
  assert.match(c.evidence.join("\n"), /Cisco IOS/);
  assert.ok(c.advice.includes("Check the AAA server."));
});

test("the login prompt coming back, in no known words, is auth-failed at 0.8", () => {
  const c = loginRefused({ user: "ops", words: "the login prompt came back", afterMs: 500 });
  assert.equal(c.confidence, 0.8);
  assert.match(c.summary, /ops/);
});
