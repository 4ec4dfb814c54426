import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { storeCases } from "../../testing/store-cases.js";
import { openStore } from "./open.js";

const dir = mkdtempSync(join(tmpdir(), "teldoc-sqlite-"));
after(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

storeCases("sqlite", () => openStore(`sqlite:${join(dir, `store-${n++}.db`)}`));
