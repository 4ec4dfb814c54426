/**
 * The examples in examples/ run as users run them (`node examples/X.mjs ...`, importing the
 * package by its name) against the lab, and exec.mjs against real telnetd + login (root only).
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { type AddressInfo, createServer as createNetServer } from "node:net";
import { after, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { closedPort } from "../lab/closed-port.js";
import { type Lab, startLab } from "../lab/server.js";
import {
  canRunDaemons,
  ensureTestUser,
  startXinetd,
  TEST_PASSWORD,
  TEST_USER,
  telnetdLogin,
} from "../testing/daemons.js";
import { skipUnlessCI } from "../testing/requirement.js";

const EXAMPLES = fileURLToPath(new URL("../../examples/", import.meta.url));

function run(
  name: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${EXAMPLES}${name}`, ...args], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => {
      out += b.toString();
    });
    child.stderr.on("data", (b: Buffer) => {
      out += b.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, out });
    });
  });
}

const labs: Lab[] = [];
after(async () => {
  for (const l of labs) await l.close();
});

describe("examples against the lab", () => {
  test("exec.mjs logs in, runs commands, says how the session ended", async () => {
    const lab = await startLab({ scenario: "healthy" });
    labs.push(lab);
    const r = await run("exec.mjs", ["127.0.0.1", String(lab.port), "demo", "show version"]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /teldoc lab fake shell 1\.0/);
    assert.match(r.out, /session ended: local-close/);
  });

  test("why-it-failed.mjs prints the code, the cause and the evidence", async () => {
    const lab = await startLab({ scenario: "auth-failed" });
    labs.push(lab);
    const r = await run("why-it-failed.mjs", ["127.0.0.1", String(lab.port), "demo", "nope"]);
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /code: {3}TELDOC_ERR_LOGIN_FAILED/);
    assert.match(r.out, /cause: {2}auth-failed/);
    assert.match(r.out, /evidence: /);
  });

  test("expect.mjs and reconnect.mjs", async () => {
    const lab = await startLab({ scenario: "healthy" });
    labs.push(lab);
    const e = await run("expect.mjs", ["127.0.0.1", String(lab.port)]);
    assert.equal(e.code, 0, e.out);
    assert.match(e.out, /ended: local-close/);
    const r = await run("reconnect.mjs", ["127.0.0.1", String(lab.port)]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /teldoc lab fake shell 1\.0/);
  });
});

describe("examples when the host cannot be reached: the error, no stack trace", () => {
  for (const name of ["exec.mjs", "expect.mjs", "pipe.mjs", "reconnect.mjs", "why-it-failed.mjs"])
    test(`${name} on a closed port: exit 1, the code and the cause`, async () => {
      const r = await run(name, ["127.0.0.1", String(await closedPort())]);
      assert.equal(r.code, 1, r.out);
      assert.match(r.out, /TELDOC_ERR_CONNECT_FAILED/);
      assert.match(r.out, /refused/);
      assert.doesNotMatch(r.out, /\n\s+at .+:\d+:\d+/, "no stack trace");
    });

  test("server.mjs on a port in use: exit 1, one line", async () => {
    const taken = createNetServer();
    await new Promise<void>((r) => taken.listen(0, "127.0.0.1", r));
    try {
      const port = (taken.address() as AddressInfo).port;
      const r = await run("server.mjs", [String(port)]);
      assert.equal(r.code, 1, r.out);
      assert.equal(r.out, `cannot listen on port ${port}: EADDRINUSE\n`);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });
});

const daemons = canRunDaemons();
const noDaemons = skipUnlessCI("real daemons", daemons.ok ? false : daemons.reason);
describe("examples against real telnetd", { skip: noDaemons }, () => {
  test("exec.mjs against inetutils telnetd + /bin/login", async () => {
    await ensureTestUser();
    const x = await startXinetd([telnetdLogin({ name: "teldoc-examples" })]);
    try {
      const port = String(x.port("teldoc-examples"));
      const r = await run("exec.mjs", ["127.0.0.1", port, TEST_USER, "echo from-real-telnetd"], {
        TELDOC_PASSWORD: TEST_PASSWORD,
      });
      assert.equal(r.code, 0, r.out);
      assert.match(r.out, /\nfrom-real-telnetd\n/);
      assert.ok(!r.out.includes(TEST_PASSWORD), "no password in the output");
    } finally {
      await x.stop();
    }
  });
});
