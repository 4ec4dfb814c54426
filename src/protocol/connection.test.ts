import assert from "node:assert/strict";
import { describe, test } from "node:test";
import fc from "fast-check";
import { type ConnectionEvent, TelnetConnection } from "./connection.js";
import { Opt } from "./constants.js";
import { decodeNaws } from "./options/naws.js";
import { decodeEnviron } from "./options/new-environ.js";
import { decodeTtype } from "./options/ttype.js";
import { type NegotiationPolicy, withStances } from "./policy.js";

/** Two connections back to back: what one sends, the other receives, until both are quiet. */
function pair(client: TelnetConnection, server: TelnetConnection) {
  const seen = { client: [] as ConnectionEvent[], server: [] as ConnectionEvent[] };
  let roundTrips = 0;
  /** The last round trip that carried a negotiation verb (subnegotiations may follow). */
  let negotiationRounds = 0;
  const run = (toServer: Buffer[], toClient: Buffer[]) => {
    while (toServer.length > 0 || toClient.length > 0) {
      roundTrips++;
      assert.ok(roundTrips < 50, "negotiation does not loop");
      const nextToClient: Buffer[] = [...toClient.splice(0)];
      for (const b of toServer.splice(0)) {
        for (const e of server.receive(b)) {
          seen.server.push(e);
          if (e.type === "option") negotiationRounds = roundTrips;
          if (e.type === "send") nextToClient.push(e.data);
        }
      }
      const nextToServer: Buffer[] = [];
      for (const b of nextToClient) {
        for (const e of client.receive(b)) {
          seen.client.push(e);
          if (e.type === "option") negotiationRounds = roundTrips;
          if (e.type === "send") nextToServer.push(e.data);
        }
      }
      toServer.push(...nextToServer);
    }
  };
  const sends = (events: ConnectionEvent[]) =>
    events.flatMap((e) => (e.type === "send" ? [e.data] : []));
  run(sends(client.start()), sends(server.start()));
  return { seen, roundTrips, negotiationRounds };
}

describe("two stacks back to back", () => {
  test("client and server converge: echo, SGA, terminal type, window, environment", () => {
    const client = new TelnetConnection({
      role: "client",
      terminalTypes: ["xterm-256color", "xterm"],
      windowSize: { width: 132, height: 43 },
      environment: [{ kind: "VAR", name: "USER", value: "alice" }],
    });
    const server = new TelnetConnection({ role: "server" });
    const { seen, roundTrips } = pair(client, server);
    assert.ok(roundTrips <= 4, `${roundTrips} round trips`);
    assert.equal(client.enabled("remote", Opt.ECHO), true);
    assert.equal(client.enabled("remote", Opt.SGA), true);
    assert.equal(server.enabled("remote", Opt.TTYPE), true);
    const sbs = seen.server.filter((e) => e.type === "subneg");
    const ttype = sbs.find((e) => e.type === "subneg" && e.option === Opt.TTYPE);
    assert.deepEqual(ttype && ttype.type === "subneg" && decodeTtype(ttype.data), {
      kind: "is",
      name: "XTERM-256COLOR",
    });
    const naws = sbs.find((e) => e.type === "subneg" && e.option === Opt.NAWS);
    assert.deepEqual(naws && naws.type === "subneg" && decodeNaws(naws.data), {
      width: 132,
      height: 43,
    });
    const env = sbs.find((e) => e.type === "subneg" && e.option === Opt.NEW_ENVIRON);
    assert.deepEqual(env && env.type === "subneg" && decodeEnviron(env.data), {
      kind: "is",
      entries: [{ kind: "VAR", name: "USER", value: "alice" }],
    });
  });

  test("a window change is sent with NAWS once NAWS is in effect", () => {
    const client = new TelnetConnection({ role: "client", windowSize: { width: 80, height: 24 } });
    const server = new TelnetConnection({ role: "server" });
    pair(client, server);
    const [update] = client.setWindowSize({ width: 100, height: 30 });
    assert.deepEqual([...update.data], [0xff, 0xfa, 31, 0, 100, 0, 30, 0xff, 0xf0]);
  });

  test("BINARY in both directions switches data handling on both ends", () => {
    const both = { [Opt.BINARY]: { local: "offer", remote: "request" } } as const;
    const client = new TelnetConnection({ role: "client", policy: withStances({}, both) });
    const server = new TelnetConnection({ role: "server", policy: withStances({}, both) });
    pair(client, server);
    assert.equal(client.enabled("local", Opt.BINARY), true);
    assert.equal(client.enabled("remote", Opt.BINARY), true);
    const out = client.sendData(Buffer.from([0x0d, 0x61, 0xff]));
    assert.deepEqual(
      [...out.data],
      [0x0d, 0x61, 0xff, 0xff],
      "no CR NUL in BINARY, IAC still doubled",
    );
    const back = server.receive(out.data);
    assert.deepEqual(
      back.flatMap((e) => (e.type === "data" ? [...e.data] : [])),
      [0x0d, 0x61, 0xff],
    );
  });

  const stances = fc.record({
    local: fc.constantFrom("offer", "accept", "refuse", undefined),
    remote: fc.constantFrom("request", "accept", "refuse", undefined),
  });

  test("any option, any stances on either side: both ends agree within two round trips", () => {
    fc.assert(
      fc.property(fc.nat(255), stances, stances, (option, a, b) => {
        fc.pre(option !== Opt.TIMING_MARK);
        const pa: NegotiationPolicy = { [option]: a };
        const pb: NegotiationPolicy = { [option]: b };
        const client = new TelnetConnection({ role: "client", policy: pa });
        const server = new TelnetConnection({ role: "server", policy: pb });
        const { negotiationRounds } = pair(client, server);
        assert.ok(negotiationRounds <= 2, `${negotiationRounds} round trips`);
        // What each believes of each half matches the other's view.
        assert.equal(client.enabled("local", option), server.enabled("remote", option));
        assert.equal(client.enabled("remote", option), server.enabled("local", option));
        // Nothing is left in flight.
        for (const c of [client, server]) {
          for (const side of ["local", "remote"] as const) {
            const s = c.negotiator.state(side, option);
            assert.ok(s === "YES" || s === "NO", `settled, got ${s}`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

test("RFC 856: BINARY takes effect at the next byte, even within the same chunk", () => {
  const client = new TelnetConnection({ role: "client" });
  const events = client.receive(Buffer.from([0x0d, 0x00, 0xff, 0xfb, 0x00, 0x0d, 0x00]));
  const data = Buffer.concat(events.flatMap((e) => (e.type === "data" ? [e.data] : [])));
  assert.deepEqual([...data], [0x0d, 0x0d, 0x00], "NVT before WILL BINARY, raw after");
});
