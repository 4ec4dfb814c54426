/** @module Rules for how an established session ended on the wire. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summarize } from "../summary.js";
import { trace } from "../testing/build.js";
import { localClose, logout, networkFailure, peerReset, serverClosed } from "./transport.js";

const shell = () => trace().resolve().connect().negotiate().login().wait(1000);

describe("logout", () => {
  for (const cmd of ["exit", "logout", "quit", "LOGOUT"]) {
    test(`${cmd} then FIN`, () => {
      const c = logout(summarize(shell().type(cmd).in("logout\r\n").serverCloses().events), []);
      assert.equal(c?.cause, "logout");
      assert.ok(c!.confidence >= 0.9);
    });
  }
  test("^D on an empty line", () => {
    assert.equal(
      logout(summarize(shell().out("\x04").wait(5).serverCloses().events), [])?.cause,
      "logout",
    );
  });
  test("not for other commands", () => {
    assert.equal(
      logout(summarize(shell().type("exit-status").serverCloses().events), []),
      undefined,
    );
  });
});

describe("localClose", () => {
  for (const reason of ["user", "script", "stdin-eof", "signal"] as const) {
    test(`${reason} before any FIN`, () => {
      const c = localClose(
        summarize(shell().push({ type: "local-close", reason }).wait(2).fin().events),
        [],
      );
      assert.equal(c?.cause, "local-close");
      assert.ok(c!.confidence >= 0.9);
    });
  }
  test("a failed script step lowers the confidence and is named", () => {
    const b = shell()
      .push({ type: "step", what: "expect ok 10s", ok: false })
      .push({ type: "local-close", reason: "script" });
    const c = localClose(summarize(b.events), []);
    assert.ok(c!.confidence <= 0.7 && c!.summary.includes("expect ok 10s"));
  });
  test("not after the server's FIN, nor for the dead-peer close", () => {
    assert.equal(
      localClose(summarize(shell().fin().push({ type: "local-close", reason: "user" }).events), []),
      undefined,
    );
    assert.equal(
      localClose(summarize(shell().push({ type: "local-close", reason: "dead-peer" }).events), []),
      undefined,
    );
  });
});

describe("networkFailure", () => {
  test("dead peer in use, and the probe failed", () => {
    const b = shell().out("l").wait(30_000).push({ type: "timer", name: "dead-peer" });
    b.push({
      type: "probe",
      purpose: "dead-peer-check",
      ok: false,
      outcome: "timeout",
      durationMs: 5000,
    });
    const c = networkFailure(summarize(b.events), []);
    assert.equal(c?.cause, "network-failure");
    assert.ok(c!.confidence >= 0.85);
  });
  test("ETIMEDOUT while in use", () => {
    const c = networkFailure(
      summarize(shell().out("l").wait(900_000).socketError("ETIMEDOUT").events),
      [],
    );
    assert.ok(c!.confidence >= 0.7);
  });
});

describe("peerReset and serverClosed", () => {
  test("RST while in use", () => {
    const c = peerReset(
      summarize(
        shell().type("top").in("top - 09:00:01 up 1 day").wait(300).socketError("ECONNRESET")
          .events,
      ),
      [],
    );
    assert.equal(c?.cause, "peer-reset");
    assert.ok(c!.confidence >= 0.75);
  });
  test("RST after a long idle is a weak peer-reset (middlebox is likelier)", () => {
    const c = peerReset(
      summarize(shell().wait(600_000).out("l").wait(10).socketError("ECONNRESET").events),
      [],
    );
    assert.ok(c!.confidence < 0.5);
  });
  test("a FIN with nothing better is server-closed at modest confidence", () => {
    const c = serverClosed(summarize(shell().wait(3000).serverCloses().events), []);
    assert.equal(c?.cause, "server-closed");
    assert.equal(c!.confidence, 0.5);
    assert.equal(serverClosed(summarize(shell().socketError("ECONNRESET").events), []), undefined);
  });
});
