/**
 * What `npm pack` ships: the CLI, the library and the docs — no test code, no test support
 * (daemon helpers that edit /etc/hosts.deny and create users must never reach a user).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..");

test("npm pack --dry-run lists no test code and no test support", () => {
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const [pack] = JSON.parse(r.stdout) as [{ files: { path: string }[] }];
  const paths = pack.files.map((f) => f.path);
  assert.ok(
    paths.includes("dist/index.js") && paths.includes("bin/teldoc.js"),
    "ships the product",
  );
  const testCode = paths.filter((p) => /\.test\.|\/testing\/|^dist\/e2e\//.test(p));
  assert.deepEqual(testCode, []);
});
