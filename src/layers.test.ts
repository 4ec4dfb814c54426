/**
 * DESIGN.md's layer picture, enforced: a module imports only from its own folder, from a lower
 * layer, or from `util/` and `errors.ts` (importable everywhere). Tests, test support and the
 * package's entry point (`index.ts`) are exempt. Biome bans I/O in the pure core; this test
 * bans the arrows (nothing lets `session/` import `checks/`, or `diagnosis/` import `session/`).
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

/** The layers of DESIGN.md, lowest first (trace sits on protocol). */
const LAYER: Record<string, number> = {
  protocol: 0,
  trace: 0.5,
  diagnosis: 1,
  session: 2,
  checks: 3,
  lab: 3,
  monitor: 3,
  hostcheck: 3,
  cli: 4,
};
const EVERYWHERE = new Set(["util", "errors.ts", "errors.js"]);
/**
 * Arrows inside layer 3 that DESIGN.md names: "monitor/ — a scheduler that runs the same checks
 * as probes (no second probe engine)".
 */
const ALSO: Readonly<Record<string, readonly string[]>> = { monitor: ["checks"] };
const EXEMPT = new Set(["testing", "e2e", "index.ts"]);

/** The TypeScript sources: dist/layers.test.js runs beside ../src. */
const SRC = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return e.name.endsWith(".ts") && !e.name.endsWith(".test.ts") ? [p] : [];
  });
}

test("every import follows the layer arrows of DESIGN.md", () => {
  const wrong: string[] = [];
  for (const file of sources(SRC)) {
    const rel = relative(SRC, file);
    const top = rel.split("/")[0];
    if (EXEMPT.has(top) || EVERYWHERE.has(top)) continue;
    const own = LAYER[top];
    assert.ok(own !== undefined, `${rel}: ${top}/ has no layer in DESIGN.md`);
    for (const m of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
      const target = normalize(join(dirname(rel), m[1])).split("/")[0];
      if (target === top || EVERYWHERE.has(target) || ALSO[top]?.includes(target)) continue;
      const layer = LAYER[target];
      if (layer === undefined || layer >= own) wrong.push(`${rel} imports ${m[1]}`);
    }
  }
  assert.deepEqual(wrong, []);
});
