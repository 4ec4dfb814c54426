import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";
import { after, describe, test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { until } from "../testing/clock-drive.js";
import { manualClock } from "../testing/manual-clock.js";
import type { TraceEvent } from "../trace/events.js";
import { ClientSession } from "./client.js";

/** A loopback server whose connection handler is the test's; closed after the suite. */
async function serve(handler: (s: Socket) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  return { server, port: address.port };
}

const servers: Server[] = [];
after(() => {
  for (const s of servers) s.close();
});

const types = (events: TraceEvent[]) => events.map((e) => e.type);

describe("ClientSession against loopback servers", () => {
  test("banner, negotiation, FIN: every fact is recorded in order", async () => {
    const { server, port } = await serve((s) => {
      s.write(Buffer.from([0xff, 0xfb, 0x01, 0xff, 0xfb, 0x03]));
      s.end("Welcome\r\nbye\r\n");
    });
    servers.push(server);
    const session = new ClientSession({ host: "127.0.0.1", port, rawIo: true });
    const got: Buffer[] = [];
    session.onData((b) => got.push(b));
    const end = await session.run();
    assert.equal(end.transport, "fin");
    assert.equal(Buffer.concat(got).toString(), "Welcome\r\nbye\r\n");
    const t = types(end.events);
    for (const expected of [
      "resolving",
      "resolved",
      "connecting",
      "connected",
      "read",
      "option",
      "data",
      "fin",
      "closed",
    ]) {
      assert.ok(t.includes(expected as TraceEvent["type"]), `has ${expected}`);
    }
    assert.ok(t.indexOf("connected") < t.indexOf("fin"));
    const opts = end.events.filter((e) => e.type === "option");
    // We ask for SGA as we start; the server's WILL SGA answers it (no reply: RFC 1143).
    assert.deepEqual(
      opts.map((e) => e.type === "option" && `${e.dir} ${e.verb} ${e.option}`),
      ["out DO SGA", "in WILL ECHO", "out DO ECHO", "in WILL SGA"],
    );
    const ts = end.events.map((e) => e.t);
    assert.deepEqual(
      ts,
      [...ts].sort((a, b) => a - b),
      "timestamps are monotonic",
    );
  });

  test("a closed port is refused, with the errno", async () => {
    const { server, port } = await serve(() => {});
    await new Promise<void>((r) => server.close(() => r()));
    const end = await new ClientSession({ host: "127.0.0.1", port }).run();
    assert.equal(end.transport, "refused");
    const failed = end.events.find((e) => e.type === "connect-failed");
    assert.ok(
      failed?.type === "connect-failed" &&
        failed.code === "ECONNREFUSED" &&
        failed.outcome === "refused",
    );
  });

  test("an RST from the server is recorded as ECONNRESET", async () => {
    const { server, port } = await serve((s) => {
      s.write("hello\r\n");
      setTimeout(() => s.resetAndDestroy(), 50);
    });
    servers.push(server);
    const end = await new ClientSession({ host: "127.0.0.1", port }).run();
    assert.equal(end.transport, "rst");
    assert.ok(end.events.some((e) => e.type === "socket-error" && e.code === "ECONNRESET"));
  });

  test("dead peer: no answer after sending fires the timer, and a fresh connection is probed", async () => {
    const { server, port } = await serve((s) => {
      s.write("$ ");
      s.on("data", () => {}); // reads, never answers
    });
    servers.push(server);
    const session = new ClientSession({ host: "127.0.0.1", port, deadPeerMs: 300 });
    session.onData(() => session.send("ls\r\n"));
    const end = await session.run();
    assert.equal(end.transport, "timeout");
    assert.ok(end.events.some((e) => e.type === "timer" && e.name === "dead-peer"));
    const probe = end.events.find((e) => e.type === "probe");
    assert.ok(
      probe?.type === "probe" && probe.ok && probe.gotData,
      "the probe connected and got the prompt",
    );
  });

  test("a password sent masked never appears in events or raw writes", async () => {
    const { server, port } = await serve((s) => {
      s.write("Password: ");
      s.on("data", () => s.end("Login incorrect\r\n"));
    });
    servers.push(server);
    const session = new ClientSession({ host: "127.0.0.1", port, rawIo: true });
    let sent = false;
    session.onData(() => {
      if (!sent) {
        sent = true;
        session.send("s3cret-pw\r\n", { masked: true });
      }
    });
    const end = await session.run();
    const all = JSON.stringify(end.events);
    assert.ok(!all.includes("s3cret"), "no clear password");
    assert.ok(!all.includes(Buffer.from("s3cret").toString("hex")), "no password in hex");
    assert.ok(end.events.some((e) => e.type === "data" && e.dir === "out" && e.masked === true));
  });

  test("local close is recorded with its reason; a peer that never answers our FIN is cut off after 2 s", async () => {
    // The server never reads, so it never sees our FIN and never sends its own.
    const { server, port } = await serve((s) => s.write("hi\r\n"));
    servers.push(server);
    const clock = manualClock();
    const session = new ClientSession({ host: "127.0.0.1", port, clock });
    session.onData(() => session.close("user"));
    const ended = session.run();
    await until(() => session.closeRequested, "the close");
    clock.advance(1999);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(session.connected, true, "still waiting for the server's FIN");
    clock.advance(1);
    const end = await ended;
    assert.equal(end.transport, "local-close");
    assert.ok(end.events.some((e) => e.type === "local-close" && e.reason === "user"));
  });
});
