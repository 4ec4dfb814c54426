/**
 * The ssh check's wait for an identification line, on a manual clock: a port that answers with
 * something else is given the check's whole read time (3 s) in milliseconds.
 */
import assert from "node:assert/strict";
import { afterEach, beforeEach, test } from "node:test";
import { ClockedWorld, checkOf } from "../testing/checklist.js";

let world: ClockedWorld;
beforeEach(() => {
  world = new ClockedWorld();
});
afterEach(() => world.close());

test("ssh warn: the port answers, but not with SSH; the check waited its 3 s for an SSH line", async () => {
  const sshPort = await world.server((s) => s.write("220 mail ESMTP\r\n"));
  const r = await world.check(await world.lab("healthy"), { sshPort });
  const c = checkOf(r, "ssh");
  assert.equal(c.status, "warn", c.summary);
  assert.equal(c.data.outcome, "not-ssh");
  assert.equal(c.durationMs, 3000, "the read timeout ended it");
});
