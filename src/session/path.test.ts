/**
 * The library on a broken path (root only; skipped otherwise with the reason): the lab's healthy
 * server in a server network namespace, a fault on the middlebox, and a library client in the
 * client namespace (a child process: a namespace is per process). A filtered or unreachable
 * server gives TELDOC_ERR_CONNECT_FAILED with that cause; the reconnect policy retries through
 * a fault that clears.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import { type PathLab, pathLabUnsupported } from "../lab/netns.js";
import { PATH_SERVER, withPathServer } from "../lab/netns-client.js";
import { skipUnlessCI } from "../testing/requirement.js";

const skip = skipUnlessCI("network namespaces", pathLabUnsupported());
const INDEX = new URL("../index.js", import.meta.url).href;
const dir = mkdtempSync(join(tmpdir(), "teldoc-lib-path-"));
after(() => rmSync(dir, { recursive: true, force: true }));

/** A client script: connect (with the given options), log in, print one JSON result line. */
function script(name: string, options: string): string {
  const path = join(dir, `${name}.mjs`);
  writeFileSync(
    path,
    `import { connect, SessionError } from ${JSON.stringify(INDEX)};
const retries = [];
try {
  const s = await connect({ host: ${JSON.stringify(PATH_SERVER)}, port: 23, ${options} });
  await s.login({ user: "demo", password: "demo", timeout: "10s" });
  const out = await s.exec("whoami");
  await s.close();
  console.log(JSON.stringify({ ok: true, out, retries }));
} catch (e) {
  if (!(e instanceof SessionError)) throw e;
  console.log(JSON.stringify({ ok: false, code: e.code, cause: e.diagnosis?.cause, retries }));
}
`,
  );
  return path;
}

interface Result {
  ok: boolean;
  out?: string;
  code?: string;
  cause?: string;
  retries: { attempt: number; cause: string }[];
}

function runIn(lab: PathLab, path: string, limitMs: number): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = lab.spawn("client", process.execPath, [path], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout?.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr?.on("data", (b: Buffer) => {
      err += b.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.on("close", () => {
      clearTimeout(timer);
      const line = out.trim().split("\n").at(-1) ?? "";
      try {
        resolve(JSON.parse(line) as Result);
      } catch {
        reject(new Error(`no result line: ${out}\n${err}`));
      }
    });
  });
}

/** A lab with the healthy server listening on 198.18.2.2:23; torn down afterwards. */
const withLab = (fn: (lab: PathLab) => Promise<void>) => withPathServer("tdlib", fn);

describe("the library on a broken path", { skip }, () => {
  test("filtered: CONNECT_FAILED with the cause filtered", async () => {
    await withLab(async (lab) => {
      await lab.fault("filtered");
      const r = await runIn(lab, script("filtered", `connectTimeout: "2s"`), 20_000);
      assert.deepEqual([r.ok, r.code, r.cause], [false, "TELDOC_ERR_CONNECT_FAILED", "filtered"]);
    });
  });

  test("unreachable: CONNECT_FAILED with the cause unreachable", async () => {
    await withLab(async (lab) => {
      await lab.fault("unreachable");
      const r = await runIn(lab, script("unreachable", `connectTimeout: "3s"`), 20_000);
      assert.deepEqual(
        [r.ok, r.code, r.cause],
        [false, "TELDOC_ERR_CONNECT_FAILED", "unreachable"],
      );
    });
  });

  test("reconnect: retries while the port is filtered, connects once the fault clears", async () => {
    await withLab(async (lab) => {
      await lab.fault("filtered");
      const path = script(
        "reconnect",
        `connectTimeout: "1s", reconnect: { retries: 8, initialDelayMs: 200, maxDelayMs: 1000, onRetry: (r) => retries.push({ attempt: r.attempt, cause: r.cause }) }`,
      );
      const running = runIn(lab, path, 30_000);
      await new Promise((r) => setTimeout(r, 2500));
      await lab.clearFaults();
      const r = await running;
      assert.equal(r.ok, true, JSON.stringify(r));
      assert.equal(r.out, "demo");
      assert.ok(r.retries.length >= 1, "retried at least once");
      assert.ok(
        r.retries.every((x) => x.cause === "filtered"),
        JSON.stringify(r.retries),
      );
    });
  });
});
