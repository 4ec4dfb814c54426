/** docs/causes.md is what the data says (regenerate with `npm run docs:causes`). */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { CAUSES } from "./causes.js";
import { causesMarkdown } from "./docs.js";

test("docs/causes.md is up to date with causes.ts, messages.ts and protocols.ts", () => {
  const file = readFileSync(new URL("../../docs/causes.md", import.meta.url), "utf8");
  assert.equal(file, causesMarkdown(), "run `npm run docs:causes` and commit docs/causes.md");
  for (const cause of Object.keys(CAUSES)) assert.match(file, new RegExp(`\`${cause}\``));
});
