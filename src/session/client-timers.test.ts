/**
 * The ClientSession's timers — keepalive NOPs, the dead-peer timer and the login timeout — on a
 * manual clock over real loopback sockets: each test does its I/O, awaits it, then moves the
 * clock, and runs in milliseconds whatever the timers' lengths.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { until } from "../testing/clock-drive.js";
import { loopbackServers } from "../testing/loopback-server.js";
import { manualClock } from "../testing/manual-clock.js";
import type { TraceEvent } from "../trace/events.js";
import { ClientSession } from "./client.js";

const servers = loopbackServers();
after(servers.close);
const serve = servers.serve;

const timerEvents = (s: ClientSession, name: string) =>
  s.recorder.events().filter((e) => e.type === "timer" && e.name === name);

const isNopOut = (e: TraceEvent) => e.type === "command" && e.dir === "out" && e.command === "NOP";

describe("ClientSession timers on a manual clock", () => {
  test("keepalive: an IAC NOP every keepaliveMs, each one on the wire", async () => {
    const got: Buffer[] = [];
    const port = await serve((s) => s.on("data", (b: Buffer) => got.push(b)));
    const clock = manualClock();
    const session = new ClientSession({ host: "127.0.0.1", port, keepaliveMs: 60_000, clock });
    const ended = session.run();
    await until(() => session.connected, "connected");
    const nops = () => session.recorder.events().filter(isNopOut).length;
    clock.advance(59_999);
    assert.equal(nops(), 0, "no NOP before the interval");
    clock.advance(1);
    assert.equal(nops(), 1, "a NOP at the interval");
    const iacNop = Buffer.from([0xff, 0xf1]);
    await until(() => Buffer.concat(got).includes(iacNop), "the server reads IAC NOP");
    clock.advance(60_000);
    assert.equal(nops(), 2, "and again one interval later");
    assert.equal(timerEvents(session, "nop").length, 2);
    session.setKeepalive(0);
    clock.advance(600_000);
    assert.equal(nops(), 2, "none once keepalive is off");
    session.close("user");
    await ended;
  });

  test("dead peer: 30 s (the default) after the oldest unanswered send; an answer resets it", async () => {
    const port = await serve((s) => {
      s.write("$ ");
      // Answers the first command, then never again; a new connection gets its prompt.
      s.on("data", (b: Buffer) => {
        if (b.includes("first")) s.write("first: ok\r\n$ ");
      });
    });
    const clock = manualClock();
    const session = new ClientSession({ host: "127.0.0.1", port, clock });
    const ended = session.run();
    await until(() => session.bytesIn > 0, "the prompt");
    session.send("first\r\n");
    const answered = session.bytesIn;
    await until(() => session.bytesIn > answered, "the answer to the first command");
    clock.advance(20_000);
    session.send("second\r\n");
    // The timer armed by the first send falls due now; the second send has waited only 10 s.
    clock.advance(10_000);
    assert.equal(timerEvents(session, "dead-peer").length, 0, "answered, then 10 s: alive");
    clock.advance(19_999);
    assert.equal(timerEvents(session, "dead-peer").length, 0, "29.999 s after the second send");
    clock.advance(1);
    assert.equal(timerEvents(session, "dead-peer").length, 1, "30 s after the second send");
    const end = await ended;
    assert.equal(end.transport, "timeout");
    const probe = end.events.find((e) => e.type === "probe");
    assert.ok(
      probe?.type === "probe" && probe.purpose === "dead-peer-check" && probe.ok && probe.gotData,
      `the path was probed with a fresh connection: ${JSON.stringify(probe)}`,
    );
    assert.ok(end.events.some((e) => e.type === "local-close" && e.reason === "dead-peer"));
  });

  test("dead peer: the probe connection listens 1.5 s for a word, then says it heard none", async () => {
    let connections = 0;
    const port = await serve((s) => {
      // The first connection gets a prompt; the probe's connection hears nothing.
      if (++connections === 1) s.write("$ ");
    });
    const clock = manualClock();
    const session = new ClientSession({ host: "127.0.0.1", port, deadPeerMs: 5000, clock });
    const ended = session.run();
    await until(() => session.bytesIn > 0, "the prompt");
    session.send("ls\r\n");
    clock.advance(5000);
    await until(() => connections === 2 && clock.pending > 0, "the probe connected and listens");
    const probed = () => session.recorder.events().some((e) => e.type === "probe");
    clock.advance(1499);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(probed(), false, "1.499 s: still listening on the probe connection");
    clock.advance(1);
    await until(probed, "the probe's result");
    const end = await ended;
    const probe = end.events.find((e) => e.type === "probe");
    assert.ok(
      probe?.type === "probe" && probe.ok && probe.gotData === false,
      "connected, heard nothing",
    );
    assert.equal(end.transport, "timeout");
  });

  test("login timeout: closes at loginTimeoutMs unless the login is done by then", async () => {
    const port = await serve((s) => s.write("login: "));
    const clock = manualClock();
    const slow = new ClientSession({ host: "127.0.0.1", port, loginTimeoutMs: 60_000, clock });
    const slowEnded = slow.run();
    const done = new ClientSession({ host: "127.0.0.1", port, loginTimeoutMs: 60_000, clock });
    const doneEnded = done.run();
    await until(() => slow.connected && done.connected, "both connected");
    clock.advance(30_000);
    done.loginDone = true;
    clock.advance(29_999);
    assert.equal(slow.closeRequested, false, "59.999 s: still waiting for the login");
    clock.advance(1);
    assert.equal(slow.closeRequested, true, "60 s: closed");
    assert.equal(timerEvents(slow, "login").length, 1);
    const end = await slowEnded;
    assert.ok(end.events.some((e) => e.type === "local-close" && e.reason === "login-timeout"));
    assert.equal(done.closeRequested, false, "a session logged in by then stays open");
    assert.equal(timerEvents(done, "login").length, 0);
    done.close("user");
    await doneEnded;
  });
});
