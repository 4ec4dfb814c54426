/**
 * One probe round against real peers on loopback: the lab's scenario servers and a closed port.
 * The round's cause must be the one the diagnose checklist names for the same server.
 */
import assert from "node:assert/strict";
import { createServer } from "node:net";
import { after, describe, test } from "node:test";
import { closedPort } from "../lab/closed-port.js";
import { type Lab, startLab } from "../lab/server.js";
import type { LabConfig } from "../lab/types.js";
import { systemClock } from "../session/clock.js";
import { type ProbeSpec, probeOnce } from "./probe.js";

const labs: Lab[] = [];
after(async () => {
  await Promise.all(labs.map((l) => l.close()));
});

async function lab(scenario: string, config: Partial<LabConfig> = {}): Promise<number> {
  const l = await startLab({ scenario, port: 0, config });
  labs.push(l);
  return l.port;
}

const ctx = { vantage: "test", clock: systemClock, wallNow: Date.now };

function spec(port: number, more: Partial<ProbeSpec> = {}): ProbeSpec {
  return {
    name: `lab-${port}`,
    host: "127.0.0.1",
    port,
    level: "telnet",
    timeoutMs: 10_000,
    connects: 3,
    ...more,
  };
}

describe("probe round against real peers", { timeout: 120_000 }, () => {
  test("a healthy telnet service: ok, three connects answered, stage timings", async () => {
    const port = await lab("healthy");
    const { sample, trace } = await probeOnce(spec(port), ctx);
    assert.equal(sample.ok, true, sample.evidence.join("; "));
    assert.equal(sample.cause, "healthy");
    assert.equal(sample.stage, null);
    assert.deepEqual([sample.connects.sent, sample.connects.answered], [3, 3]);
    assert.equal(sample.connects.rttMs.length, 3);
    assert.ok(sample.timings.promptMs !== null && sample.timings.promptMs >= 0);
    assert.ok(sample.timings.firstByteMs !== null);
    assert.equal(sample.timings.loginMs, null);
    assert.equal(trace, undefined);
    assert.equal(sample.vantage, "test");
    assert.ok(!Number.isNaN(Date.parse(sample.t)));
  });

  test("tcp level: connects only", async () => {
    const port = await lab("healthy");
    const { sample } = await probeOnce(spec(port, { level: "tcp", connects: 2 }), ctx);
    assert.equal(sample.ok, true);
    assert.deepEqual([sample.connects.sent, sample.connects.answered], [2, 2]);
    assert.equal(sample.timings.promptMs, null);
  });

  test("a closed port: refused at the connect stage, with a trace", async () => {
    const port = await closedPort();
    const { sample, trace } = await probeOnce(spec(port), ctx);
    assert.equal(sample.ok, false);
    assert.equal(sample.cause, "refused");
    assert.equal(sample.stage, "connect");
    assert.deepEqual([sample.connects.sent, sample.connects.answered], [1, 0]);
    assert.ok(sample.evidence.length > 0);
    assert.match(trace ?? "", /connect-failed/);
  });

  for (const scenario of ["acl-rejected", "service-unavailable", "wrong-service"]) {
    test(`${scenario}: the cause at the telnet stage`, async () => {
      const port = await lab(scenario);
      const { sample, trace } = await probeOnce(spec(port), ctx);
      assert.equal(sample.cause, scenario, sample.evidence.join("; "));
      assert.equal(sample.stage, "telnet");
      assert.equal(sample.connects.answered, 3);
      assert.ok(trace && trace.length > 0);
    });
  }

  test("login level: logged in, with the login time", async () => {
    const port = await lab("healthy", { user: "admin", password: "s3cret-pw" });
    const { sample } = await probeOnce(
      spec(port, { level: "login", user: "admin", password: "s3cret-pw" }),
      ctx,
    );
    assert.equal(sample.ok, true, sample.evidence.join("; "));
    assert.ok(sample.timings.loginMs !== null);
  });

  test("login level, wrong password: auth-failed, and the kept trace masks the password", async () => {
    const port = await lab("healthy", { user: "admin", password: "right-one", tries: 1 });
    const { sample, trace } = await probeOnce(
      spec(port, { level: "login", user: "admin", password: "wrong-pw-77" }),
      ctx,
    );
    assert.equal(sample.cause, "auth-failed", sample.evidence.join("; "));
    assert.equal(sample.stage, "login");
    assert.ok(trace && trace.length > 0);
    assert.ok(!trace.includes("wrong-pw-77"), "the password is in the trace");
    assert.ok(
      !Buffer.from(trace).toString("hex").includes(Buffer.from("wrong-pw-77").toString("hex")),
    );
  });

  test("a server that holds the connection silently: not ok, within the round's timeout", async () => {
    const sockets = new Set<import("node:net").Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const t0 = Date.now();
    const { sample, trace } = await probeOnce(spec(port, { timeoutMs: 4000, connects: 1 }), ctx);
    const took = Date.now() - t0;
    assert.ok(trace && trace.length <= 64 * 1024, `kept trace of ${trace?.length} bytes`);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    assert.equal(sample.ok, false);
    assert.equal(sample.stage, "telnet");
    assert.ok(took < 5500, `took ${took} ms`);
  });

  test("a server that floods text without end: the round ends in time, memory bounded", async () => {
    const chunk = Buffer.alloc(64 * 1024, "spam without a prompt ");
    const sockets = new Set<import("node:net").Socket>();
    const server = createServer((s) => {
      sockets.add(s);
      s.on("error", () => {});
      const pump = () => {
        while (!s.destroyed && s.write(chunk));
        if (!s.destroyed) s.once("drain", pump);
      };
      pump();
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const port = (server.address() as { port: number }).port;
    const rss0 = process.memoryUsage().rss;
    const t0 = Date.now();
    const { sample, trace } = await probeOnce(spec(port, { timeoutMs: 4000, connects: 1 }), ctx);
    const took = Date.now() - t0;
    assert.ok(trace && trace.length <= 64 * 1024, `kept trace of ${trace?.length} bytes`);
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
    assert.ok(took < 5500, `took ${took} ms`);
    assert.equal(sample.ok, false, JSON.stringify(sample));
    assert.equal(sample.stage, "telnet");
    const grewMB = (process.memoryUsage().rss - rss0) / 1e6;
    assert.ok(grewMB < 200, `RSS grew ${grewMB.toFixed(0)} MB`);
  });
});
