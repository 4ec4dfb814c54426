/**
 * @module server-check against a real xinetd (its config in a temp dir, found through the
 * running xinetd's `-f FILE`), and the real CLI over a fixture tree.
 */
import assert from "node:assert/strict";
import type { Socket } from "node:net";
import { dirname, join } from "node:path";
import { after, before, describe, test } from "node:test";
import { fileURLToPath } from "node:url";
import { runTeldoc } from "../../testing/cli.js";
import {
  canRunDaemons,
  holdSlot,
  limited,
  startXinetd,
  type XinetdHandle,
} from "../../testing/daemons.js";
import { skipUnlessCI } from "../../testing/requirement.js";
import { serverCheck } from "./server-check.js";

const FIXTURES = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../src/hostcheck/server-check/fixtures",
);
const daemons = canRunDaemons();
const skip = skipUnlessCI("real daemons", daemons.ok ? false : daemons.reason);

describe("server-check on a host running a real xinetd", { skip }, () => {
  let x: XinetdHandle;
  const held: Socket[] = [];
  before(async () => {
    x = await startXinetd([limited({ instances: 1, name: "teldoc-sc-limited" })]);
  });
  after(async () => {
    for (const s of held) s.destroy();
    await x?.stop();
  });

  test("listening: xinetd owns the port; service: found through xinetd -f FILE", async () => {
    const port = x.port("teldoc-sc-limited");
    const r = await serverCheck({ host: "test", port });
    const listening = r.checks.find((c) => c.id === "listening")!;
    assert.equal(listening.status, "pass", listening.summary);
    assert.match(listening.summary, /^xinetd listens on 127\.0\.0\.1 port/);
    const service = r.checks.find((c) => c.id === "service")!;
    assert.equal(service.status, "pass", service.summary);
    assert.equal(service.file, join(x.dir, "xinetd.conf"));
    const limits = r.checks.find((c) => c.id === "limits")!;
    assert.equal(limits.status, "pass", limits.summary);
    assert.deepEqual(limits.data["sessions"], 0);
  });

  test("limits: instances = 1 with one session held → the next is refused", async () => {
    const port = x.port("teldoc-sc-limited");
    held.push(await holdSlot(port));
    const r = await serverCheck({ host: "test", port, client: "127.0.0.1" });
    const limits = r.checks.find((c) => c.id === "limits")!;
    assert.equal(limits.status, "fail", limits.summary);
    assert.equal(limits.cause, "service-unavailable");
    assert.equal(limits.data["sessions"], 1);
    assert.equal(limits.file, join(x.dir, "xinetd.conf"));
    assert.equal(r.cause, "service-unavailable");
  });

  test("nothing on a closed port: refused", async () => {
    const port = x.port("teldoc-sc-limited");
    const r = await serverCheck({ host: "test", port: port === 1 ? 2 : 1 });
    assert.equal(r.checks.find((c) => c.id === "listening")!.cause, "refused");
  });
});

describe("teldoc server-check, the real CLI", () => {
  test("--root a fixture --client --json: not allowed, the deciding line, exit 1", async () => {
    const run = await runTeldoc([
      "server-check",
      "--root",
      join(FIXTURES, "debian-inetd-tcpd"),
      "--client",
      "192.0.2.7",
      "--json",
    ]);
    assert.equal(run.code, 1, run.stderr);
    const r = JSON.parse(run.stdout);
    assert.equal(r.allowed, false);
    assert.equal(r.cause, "acl-rejected");
    assert.equal(r.client, "192.0.2.7");
    const access = r.checks.find((c: { id: string }) => c.id === "access");
    assert.equal(access.file, "/etc/hosts.deny");
    assert.equal(access.line, 4);
  });

  test("an allowed client over a tree where nothing fails: exit 0", async () => {
    const run = await runTeldoc([
      "server-check",
      "--root",
      join(FIXTURES, "debian-inetd-tcpd"),
      "--client",
      "10.1.2.3",
      "--markdown",
    ]);
    assert.equal(run.code, 0, run.stdout + run.stderr);
    assert.match(run.stdout, /Client 10\.1\.2\.3: allowed/);
  });

  test("a client that is no address: usage error, exit 2", async () => {
    const run = await runTeldoc(["server-check", "--client", "not-an-ip"]);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /^teldoc: --client/);
  });
});
