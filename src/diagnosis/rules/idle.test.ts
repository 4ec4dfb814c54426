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
    // Only an upper bound: the flow was gone after 5 min quiet, perhaps long before.
    assert.match(c!.summary, /after at most 5\.0 min idle/);
    assert.equal(
      c!.advice[0],
      "Use `teldoc connect host.example --keepalive 100s`: the flow was forgotten after at most 5.0 min idle (somewhere between 3.2 s and 5.0 min); keepalive every 100 s is below that bound, not below a measured limit.",
    );
    assert.match(c!.advice[1], /`teldoc diagnose host\.example --idle-test 8m`/);
  });
  test("a short bound: 6 s at most, keepalive a third of it, the bracket stated", () => {
    // A short idle counts only when a fresh connection was served at once (conntrack, not the server).
    const b = trace().resolve().connect().in("$ ").wait(6000).out("l").wait(2000);
    b.push({ type: "timer", name: "dead-peer" }).wait(2);
    b.push({
      type: "probe",
      purpose: "dead-peer-check",
      ok: true,
      outcome: "connected",
      durationMs: 2,
      gotData: true,
    });
    const c = middleboxTimeout(summarize(b.events), [])!;
    assert.equal(c.cause, "middlebox-timeout");
    assert.match(
      c.advice[0],
      /^Use `teldoc connect host\.example --keepalive 2s`: the flow was forgotten after at most 6\.0 s idle \(somewhere between 0 and 6\.0 s\); keepalive every 2 s is below that bound/,
    );
    assert.ok(
      c.evidence.some((e) => /idle limit lies between 0 .* and 6\.0 s/.test(e)),
      c.evidence.join("; "),
    );
    assert.match(c.advice[1], /--idle-test 9s/);
  });
  test("a long quiet stretch survived earlier proves a keepalive below it", () => {
    const b = shell().wait(120_000).type("date").in("Mon Nov 30\r\n$ ").wait(300_000).out("l");
    const c = middleboxTimeout(summarize(deadPeer(true)(b.wait(30_000)).events), [])!;
    assert.match(
      c.advice[0],
      /--keepalive 90s`: .*between 2\.0 min and 5\.0 min\); it survived 2\.0 min quiet, so every 90 s is below the limit/,
    );
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
