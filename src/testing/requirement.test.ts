import assert from "node:assert/strict";
import { test } from "node:test";
import { inCI, requireInCI, skipOrFail, skipUnlessCI } from "./requirement.js";

/** Records what skipUnlessCI registers instead of registering it. */
function registry() {
  const tests: { name: string; fn: () => void }[] = [];
  return { tests, register: (name: string, fn: () => void) => tests.push({ name, fn }) };
}

test("inCI: CI=true, 1 or yes; not unset, empty or false", () => {
  for (const v of ["true", "TRUE", "1", "yes"]) assert.equal(inCI({ CI: v }), true, v);
  for (const v of [undefined, "", "false", "0"]) assert.equal(inCI({ CI: v }), false, String(v));
});

test("skipUnlessCI outside CI: the reason is the skip value, nothing else happens", () => {
  const r = registry();
  assert.equal(
    skipUnlessCI("tmux", "tmux is not installed", {}, r.register),
    "tmux is not installed",
  );
  assert.equal(skipUnlessCI("tmux", false, {}, r.register), false);
  assert.equal(skipUnlessCI("tmux", undefined, {}, r.register), false);
  assert.equal(r.tests.length, 0);
});

test("skipUnlessCI under CI: still skips the suite, and a failing 'needs X' test stands in", () => {
  const r = registry();
  const ci = { CI: "true" };
  assert.equal(skipUnlessCI("real daemons", "need root", ci, r.register), "need root");
  assert.equal(r.tests.length, 1);
  assert.equal(r.tests[0].name, "needs real daemons");
  assert.throws(() => r.tests[0].fn(), /^AssertionError.*needs real daemons: need root/);
  assert.equal(skipUnlessCI("tshark", false, ci, r.register), false, "nothing missing");
  assert.equal(r.tests.length, 1, "nothing registered when nothing is missing");
});

test("skipOrFail: skips the running test outside CI, fails it under CI", () => {
  const skipped: (string | undefined)[] = [];
  const t = { skip: (m?: string) => void skipped.push(m) };
  skipOrFail(t, "openssl", "not installed", {});
  assert.deepEqual(skipped, ["needs openssl: not installed"]);
  assert.throws(
    () => skipOrFail(t, "openssl", "not installed", { CI: "1" }),
    /needs openssl: not installed/,
  );
  assert.equal(skipped.length, 1, "not skipped under CI");
});

test("requireInCI: nothing outside CI or when present; fails under CI when missing", () => {
  requireInCI("ping", "absent", {});
  requireInCI("ping", false, { CI: "true" });
  assert.throws(() => requireInCI("ping", "absent", { CI: "true" }), /needs ping: absent/);
});
