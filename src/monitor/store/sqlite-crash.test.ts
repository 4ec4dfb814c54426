import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { test } from "node:test";
import { fileURLToPath } from "node:url";
import { openStore } from "./open.js";

const WRITER = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "..",
  "testing",
  "store-crash-writer.js",
);

test("kill -9 while writing: every acknowledged sample is there after reopening", {
  timeout: 60_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), "teldoc-crash-"));
  try {
    const url = `sqlite:${join(dir, "m.db")}`;
    for (const killAfter of [3, 17]) {
      const child = spawn(process.execPath, [WRITER, url], {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let acked = 0;
      let buffered = "";
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the writer did not ack in 30 s")), 30_000);
        child.stdout.on("data", (chunk: Buffer) => {
          buffered += chunk.toString();
          for (const m of buffered.matchAll(/acked (\d+)\n/g))
            acked = Math.max(acked, Number(m[1]));
          buffered = buffered.slice(buffered.lastIndexOf("\n") + 1);
          if (acked >= killAfter * 1000) {
            child.kill("SIGKILL");
            clearTimeout(timer);
          }
        });
        child.on("exit", () => resolve());
      });
      const store = await openStore(url);
      try {
        let n = 0;
        for await (const _ of store.samples()) n++;
        assert.ok(
          n >= acked,
          `kill after ${killAfter}k: ${n} samples stored, ${acked} acknowledged`,
        );
        assert.ok(acked > 0);
      } finally {
        await store.close();
      }
      rmSync(join(dir, "m.db"), { force: true });
      rmSync(join(dir, "m.db-wal"), { force: true });
      rmSync(join(dir, "m.db-shm"), { force: true });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
