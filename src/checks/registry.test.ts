/** The registry is the checklist's order: every check is in it, and what it waits for is acyclic. */
import assert from "node:assert/strict";
import { test } from "node:test";
import { CHECKS } from "./registry.js";
import { CHECK_IDS, type CheckId } from "./types.js";

test("every check id has one entry, and each waits only for known checks", () => {
  assert.deepEqual(Object.keys(CHECKS).sort(), [...CHECK_IDS].sort());
  for (const id of CHECK_IDS)
    for (const before of CHECKS[id].after)
      assert.ok(CHECK_IDS.includes(before), `${id} after ${before}`);
});

test("the order the checks wait in has no cycle, and starts at dns", () => {
  const state = new Map<CheckId, "visiting" | "done">();
  const visit = (id: CheckId, path: CheckId[]) => {
    if (state.get(id) === "done") return;
    assert.notEqual(state.get(id), "visiting", `cycle: ${[...path, id].join(" -> ")}`);
    state.set(id, "visiting");
    for (const b of CHECKS[id].after) visit(b, [...path, id]);
    state.set(id, "done");
  };
  for (const id of CHECK_IDS) visit(id, []);
  const roots = CHECK_IDS.filter((id) => CHECKS[id].after.length === 0);
  assert.deepEqual(roots, ["dns"]);
});
