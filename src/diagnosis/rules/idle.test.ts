/** @module Rules for sessions that died of idleness. */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { summarize } from "../summary.js";
import { trace } from "../testing/build.js";
import { idleTimeout, middleboxTimeout } from "./idle.js";

const shell = () =>
  trace()
    .resolve()
    .connect()
    .negotiate()
    .login()
    .wait(1000)
    .type("ls")
    .in("notes.txt\r\nalice@host:~$ ");
const deadPeer = (ok: boolean) => (b: ReturnType<typeof trace>) =>
  b
    .push({ type: "timer", name: "dead-peer" })
    .wait(5)
    .push({
      type: "probe",
      purpose: "dead-peer-check",
      ok,
      outcome: ok ? "connected" : "timeout",
      durationMs: 5,
    })
    .push({ type: "local-close", reason: "dead-peer" });

describe("idleTimeout", () => {
  test("bash TMOUT message and FIN after 10 s without input", () => {
    const s = summarize(
      shell()
        .wait(10_000)
        .in("\x07timed out waiting for input: auto-logout\r\nlogout\r\n")
        .serverCloses().events,
    );
    const c = idleTimeout(s, []);
    assert.equal(c?.cause, "idle-timeout");
    assert.ok(c!.confidence >= 0.9);
    assert.match(c!.summary, /after 10\.0 s without input/);
    assert.ok(c!.evidence.includes("server said: timed out waiting for input: auto-logout"));
    assert.ok(c!.advice.some((a) => a.includes("--keepalive") && a.includes("does not help")));
  });
  test("a silent FIN after a round idle stretch is timing evidence", () => {
    const c = idleTimeout(summarize(shell().wait(300_000).serverCloses().events), []);
    assert.equal(c?.confidence, 0.7);
  });
  test("not after a short idle stretch, nor before the session phase", () => {
    assert.equal(idleTimeout(summarize(shell().wait(2000).serverCloses().events), []), undefined);
    const login = trace().resolve().connect().negotiate().in("login: ").wait(60_000).serverCloses();
    assert.equal(idleTimeout(summarize(login.events), []), undefined);
  });
});

describe("middleboxTimeout", () => {
  test("no answer after 300 s idle, while a fresh connection works: keepalive below 300 s", () => {
    const b = shell().wait(300_000).out("l").wait(30_000);
    const c = middleboxTimeout(summarize(deadPeer(true)(b).events), []);
    assert.equal(c?.cause, "middlebox-timeout");
    assert.ok(c!.confidence >= 0.85);
    assert.equal(c!.advice[0], "Use --keepalive 240s: the connection died after 5.0 min idle.");
  });
  test("an RST right after the first write following a long idle", () => {
    const b = shell().wait(600_000).out("l").wait(20).socketError("ECONNRESET");
    assert.ok(middleboxTimeout(summarize(b.events), [])!.confidence >= 0.65);
  });
  test("not when the probe failed, nor without an idle stretch", () => {
    assert.equal(
      middleboxTimeout(
        summarize(deadPeer(false)(shell().wait(300_000).out("l").wait(30_000)).events),
        [],
      ),
      undefined,
    );
    assert.equal(
      middleboxTimeout(
        summarize(deadPeer(true)(shell().wait(2000).out("l").wait(30_000)).events),
        [],
      ),
      undefined,
    );
  });
});
