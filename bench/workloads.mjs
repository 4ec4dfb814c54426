// Finds or writes the parser workloads of ../shared/bench (gen-workloads.mjs) and loads them as
// 16 KiB chunks. TELDOC_WORKLOADS names a folder that already holds them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const CHUNK = 16 * 1024;

/** The folder holding plain.bin, binary.bin, dense.bin and manifest.json. */
export function workloadDir() {
  const dir = process.env.TELDOC_WORKLOADS ?? join(here, "..", ".bench-cache", "workloads");
  if (existsSync(join(dir, "manifest.json"))) return dir;
  const shared = process.env.TELDOC_SHARED ?? resolve(here, "..", "..", "shared");
  const gen = join(shared, "bench", "gen-workloads.mjs");
  if (!existsSync(gen)) {
    throw new Error(
      `no workloads in ${dir} and no generator at ${gen}: set TELDOC_WORKLOADS or TELDOC_SHARED`,
    );
  }
  process.stderr.write(`writing workloads to ${dir} (about 5 s)...\n`);
  execFileSync(process.execPath, [gen, dir], { stdio: ["ignore", "ignore", "inherit"] });
  return dir;
}

/** { name, bytes, chunks, expect } for each workload. */
export function loadWorkloads(names = ["plain", "binary", "dense"]) {
  const dir = workloadDir();
  const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8"));
  return names.map((name) => {
    const entry = manifest.files[name];
    const bytes = readFileSync(join(dir, entry.file));
    const chunks = [];
    for (let i = 0; i < bytes.length; i += CHUNK) chunks.push(bytes.subarray(i, i + CHUNK));
    return { name, bytes, chunks, expect: entry.expect };
  });
}
