/**
 * The API reference builds clean: TypeDoc reads src/index.ts (and docs/library.md as its front
 * page) and finds no warning — every type the public API mentions is exported and documented
 * links resolve. Nothing is written (`--emit none`); `npm run docs` writes docs/api/.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { skipUnlessCI } from "../testing/requirement.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const TYPEDOC = `${ROOT}node_modules/typedoc/bin/typedoc`;

const noTypedoc = skipUnlessCI(
  "typedoc",
  existsSync(TYPEDOC) ? false : "not installed (a devDependency: npm ci)",
);

test("TypeDoc builds the API reference without a warning", { skip: noTypedoc }, () => {
  const r = spawnSync(process.execPath, [TYPEDOC, "--emit", "none", "--treatWarningsAsErrors"], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 120_000,
  });
  assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
});
