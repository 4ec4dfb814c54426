/** @module Rules for sessions that ended at the login. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summarize } from "../summary.js";
import { trace } from "../testing/build.js";
import { authFailed, loginTimeout } from "./login.js";

const atPrompt = () =>
  trace().resolve().connect().negotiate().in("\r\nDebian GNU/Linux 12\r\nhost login: ");
const afterPassword = () =>
  atPrompt().wait(900).out("alice\r\n").in("alice\r\n").in("Password: ").wait(400).password();

describe("authFailed", () => {
  test("Login incorrect after the password, then FIN", () => {
    const s = summarize(
      afterPassword().wait(3000).in("\r\nLogin incorrect\r\nhost login: ").wait(10).serverCloses()
        .events,
    );
    const c = authFailed(s, []);
    assert.equal(c?.cause, "auth-failed");
    assert.ok(c!.confidence >= 0.9);
    assert.ok(c!.evidence.includes("server said: Login incorrect"));
  });
  test("a re-prompt without a message is weaker evidence", () => {
    const s = summarize(
      afterPassword().wait(3000).in("\r\nhost login: ").wait(10).serverCloses().events,
    );
    assert.equal(authFailed(s, [])?.confidence, 0.7);
  });
  test("a script that closes after the rejection: auth-failed still beats the local close", () => {
    const b = afterPassword().wait(3000).in("\r\nLogin incorrect\r\nhost login: ").wait(10_000);
    b.push({ type: "step", what: "expect \\$ 10s", ok: false }).push({
      type: "local-close",
      reason: "script",
    });
    assert.equal(authFailed(summarize(b.events), [])?.confidence, 0.8);
  });
  test("no opinion when the login succeeded or no credentials were sent", () => {
    assert.equal(
      authFailed(
        summarize(trace().resolve().connect().negotiate().login().serverCloses().events),
        [],
      ),
      undefined,
    );
    assert.equal(
      authFailed(summarize(atPrompt().wait(60_000).serverCloses().events), []),
      undefined,
    );
  });
});

describe("loginTimeout", () => {
  test("the server's message is strong evidence", () => {
    const s = summarize(
      atPrompt().wait(60_000).in("\r\nLogin timed out after 60 seconds.\r\n").serverCloses().events,
    );
    const c = loginTimeout(s, []);
    assert.equal(c?.cause, "login-timeout");
    assert.ok(c!.confidence >= 0.9);
    assert.match(c!.summary, /60\.0 s/);
  });
  test("a long silent wait at the prompt is timing evidence", () => {
    const c = loginTimeout(summarize(atPrompt().wait(30_000).serverCloses().events), []);
    assert.ok(c && c.confidence >= 0.6 && c.confidence < 0.8);
  });
  test("a password prompt left unanswered after the user name counts as incomplete credentials", () => {
    const b = atPrompt()
      .wait(900)
      .out("alice\r\n")
      .in("alice\r\n")
      .in("Password: ")
      .wait(60_000)
      .serverCloses();
    const c = loginTimeout(summarize(b.events), []);
    assert.ok(c?.evidence[0].includes("never answered"));
  });
  test("not when the close came right after the prompt, or after a login", () => {
    assert.equal(
      loginTimeout(summarize(atPrompt().wait(100).serverCloses().events), []),
      undefined,
    );
    assert.equal(
      loginTimeout(
        summarize(
          trace().resolve().connect().negotiate().login().wait(60_000).serverCloses().events,
        ),
        [],
      ),
      undefined,
    );
  });
});
