/**
 * The library's timers — idleTimeout and login's timeout — on a manual clock (the `clock`
 * option) over a real loopback socket: do the I/O, await it, then move the clock.
 */
import assert from "node:assert/strict";
import { after, describe, test } from "node:test";
import { setImmediate as turn } from "node:timers/promises";
import { until } from "../testing/clock-drive.js";
import { loopbackServers } from "../testing/loopback-server.js";
import { manualClock } from "../testing/manual-clock.js";
import { connect } from "./connect.js";
import { SessionError } from "./errors.js";

const servers = loopbackServers();
after(servers.close);
const serve = servers.serve;

describe("the library's timers on a manual clock", () => {
  test("idleTimeout: closes after that long with nothing moving; a send and an answer each restart it", async () => {
    const port = await serve((s) => {
      s.write("hello\r\n");
      s.on("data", (b: Buffer) => {
        if (b.includes("\n")) s.write("ok\r\n");
      });
    });
    const clock = manualClock();
    const s = await connect({ host: "127.0.0.1", port, idleTimeout: "5m", clock });
    await s.expect("hello");
    clock.advance(299_999);
    assert.equal(s.state, "connected", "4:59.999 idle: open");
    s.sendLine("x"); // activity at 299 999
    clock.advance(1);
    assert.equal(s.state, "connected", "5:00 since connect, but 1 ms since the send");
    await s.expect("ok"); // activity at 300 000
    clock.advance(299_999);
    assert.equal(s.state, "connected", "4:59.999 after the answer: open");
    clock.advance(1);
    assert.equal(s.state, "closing", "5:00 after the answer: closing");
    clock.advance(1); // the server's FIN takes a moment to come back
    const end = await s.closed;
    assert.equal(end.diagnosis.cause, "local-close");
    assert.equal(end.durationMs, 600_001, "the end's duration is the clock's");
    assert.ok(s.events.some((e) => e.type === "step" && /idle for 5\.0 min/.test(e.what)));
  });

  test("login({ timeout }): LOGIN_TIMEOUT at the timeout when no prompt comes, and the session closed", async () => {
    const port = await serve((s) => s.write("Welcome. Nothing to log in to.\r\n"));
    const clock = manualClock();
    const s = await connect({ host: "127.0.0.1", port, clock });
    await s.expect("Nothing");
    let settled = false;
    const login = s.login({ user: "demo", password: "demo", timeout: "30s" }).then(
      () => assert.fail("the login should time out"),
      (err: unknown) => {
        settled = true;
        return err;
      },
    );
    await until(() => s.state === "login", "the login waits");
    clock.advance(29_999);
    for (let i = 0; i < 5; i++) await turn();
    assert.equal(settled, false, "29.999 s: still waiting");
    assert.equal(s.state, "login");
    clock.advance(1);
    const failed = await login;
    assert.ok(failed instanceof SessionError, String(failed));
    assert.equal(failed.code, "TELDOC_ERR_LOGIN_TIMEOUT");
    assert.equal(s.ended, true, "the session was closed");
    assert.equal(failed.end?.durationMs, 30_000);
  });
});
