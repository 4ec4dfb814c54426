/**
 * `teldoc demo` through the real CLI: the header counts the sessions that run, each is printed
 * as it ends (not all at the end), and a reader that goes away (`teldoc demo | head -3`) ends
 * it quietly and soon, its servers closed (else the process would not exit on its own).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { describe, test } from "node:test";
import { TELDOC_BIN } from "../testing/cli.js";

interface Line {
  readonly text: string;
  readonly ms: number;
}

/**
 * Run `teldoc demo`, stamping each stdout line with when it came; `stopAfter` lines, close the
 * pipe as `head` does. Resolves when the process exits (SIGKILL after `limitMs`).
 */
function runDemo(stopAfter = Number.POSITIVE_INFINITY, limitMs = 60_000) {
  return new Promise<{ lines: Line[]; code: number | null; stderr: string; exitMs: number }>(
    (resolve) => {
      const t0 = Date.now();
      const child = spawn(process.execPath, [TELDOC_BIN, "demo"], {
        env: { ...process.env, NO_COLOR: "1" },
        stdio: ["ignore", "pipe", "pipe"],
      });
      const lines: Line[] = [];
      let buf = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (d: string) => {
        buf += d;
        for (
          let nl = buf.indexOf("\n");
          nl >= 0 && lines.length < stopAfter;
          nl = buf.indexOf("\n")
        ) {
          lines.push({ text: buf.slice(0, nl), ms: Date.now() - t0 });
          buf = buf.slice(nl + 1);
        }
        if (lines.length >= stopAfter) child.stdout.destroy();
      });
      child.stderr.setEncoding("utf8").on("data", (d: string) => {
        stderr += d;
      });
      const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
      child.on("close", (code) => {
        clearTimeout(timer);
        resolve({ lines, code, stderr, exitMs: Date.now() - t0 });
      });
    },
  );
}

describe("teldoc demo", () => {
  test("the header counts what runs; each session is printed as it ends", async () => {
    const r = await runDemo();
    const count = Number(/^teldoc demo: (\d+) sessions/.exec(r.lines[0]?.text ?? "")?.[1]);
    const blocks = r.lines.filter((l) => /^== (?!teldoc diagnose)/.test(l.text));
    assert.equal(blocks.length, count, r.lines.map((l) => l.text).join("\n"));
    const rows = r.lines.filter((l) => /\s(yes|NO)$/.test(l.text));
    assert.equal(rows.length, count, "one table row per session");
    const last = r.lines.at(-1);
    assert.match(r.lines.map((l) => l.text).join("\n"), /\d+ of \d+ sessions diagnosed/);
    // The quickest cases end within a second, the slowest after several: printed as they end,
    // the first comes long before the last.
    assert.ok(
      last && blocks[0].ms < last.ms - 2000,
      `first at ${blocks[0].ms} ms, end ${last?.ms}`,
    );
    assert.doesNotMatch(r.stderr, /Warning|\n\s+at /, r.stderr);
  });

  test("| head -3: the demo stops soon after, exit 0, nothing on stderr", async () => {
    const r = await runDemo(3, 20_000);
    assert.equal(r.lines.length, 3);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    // The first session ends within a second; the whole demo takes about ten.
    assert.ok(r.exitMs < 6000, `exited after ${r.exitMs} ms`);
  });
});
