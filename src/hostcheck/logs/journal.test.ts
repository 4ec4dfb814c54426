import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { isTeldocError } from "../../errors.js";
import { journalLines } from "./journal.js";

test("--journal without journalctl says so, with what to give instead", async () => {
  const src = journalLines({ journalctl: "/nonexistent/journalctl" });
  await assert.rejects(
    async () => {
      for await (const _ of src.batches);
    },
    (err) => isTeldocError(err, "TELDOC_ERR_USAGE") && /journalctl was not found/.test(err.message),
  );
});

test("a failing journalctl is reported with its exit code", async () => {
  const src = journalLines({ journalctl: "/bin/false" });
  await assert.rejects(
    async () => {
      for await (const _ of src.batches);
    },
    (err) => isTeldocError(err, "TELDOC_ERR_USAGE") && /exit 1/.test(err.message),
  );
});

test("journalctl's JSON lines come through as lines (a stand-in printing two entries)", async (t) => {
  const home = mkdtempSync(join(tmpdir(), "teldoc-journal-"));
  t.after(() => rmSync(home, { recursive: true, force: true }));
  const fake = join(home, "journalctl");
  const entry = '{"__REALTIME_TIMESTAMP":"1000000","SYSLOG_IDENTIFIER":"login","MESSAGE":"x"}';
  writeFileSync(
    fake,
    `#!/bin/sh\n[ "$1 $2 $3" = "-o json --no-pager" ] || exit 9\necho '${entry}'\necho second\n`,
    { mode: 0o755 },
  );
  const src = journalLines({ journalctl: fake });
  const lines: string[] = [];
  for await (const b of src.batches) lines.push(...b);
  assert.equal(lines.length, 2);
  assert.match(lines[0]!, /__REALTIME_TIMESTAMP/);
});
