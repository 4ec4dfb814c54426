/**
 * @module ClientSession.throttle: the session stops reading while an output has not drained,
 * and reads again when it drains — or when it fails (a disk full never drains).
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:net";
import { Writable } from "node:stream";
import { after, describe, test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { ClientSession } from "./client.js";

let server: Server;
after(() => server?.close());

/** A server that sends a byte every 10 ms until the client goes; a session reading it. */
async function ticking(): Promise<{ session: ClientSession; count: () => number }> {
  server = createServer((s) => {
    const timer = setInterval(() => s.write("."), 10);
    s.on("close", () => clearInterval(timer));
    s.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const address = server.address();
  assert.ok(address && typeof address === "object");
  const session = new ClientSession({ host: "127.0.0.1", port: address.port, deadPeerMs: 0 });
  let n = 0;
  session.onData((b) => {
    n += b.length;
  });
  void session.run();
  while (!session.connected) await sleep(5);
  return { session, count: () => n };
}

/** An output whose writes never complete: write() says "wait for drain" at once. */
function stuck(): Writable {
  const w = new Writable({ highWaterMark: 1, write: () => {} });
  w.on("error", () => {});
  return w;
}

/** How much data came in `ms`. */
async function during(count: () => number, ms: number): Promise<number> {
  const before = count();
  await sleep(ms);
  return count() - before;
}

describe("ClientSession.throttle", () => {
  test("paused while an output has not drained; reading again when it fails instead", async () => {
    const { session, count } = await ticking();
    try {
      assert.ok((await during(count, 150)) > 0, "data flows");
      const out = stuck();
      session.throttle(out, out.write("x"));
      await sleep(50);
      assert.equal(await during(count, 150), 0, "paused while the output has not drained");
      out.destroy(Object.assign(new Error("no space left on device"), { code: "ENOSPC" }));
      assert.ok((await during(count, 150)) > 0, "the failed output no longer holds the session");
      session.throttle(out, out.write("y"));
      assert.ok((await during(count, 150)) > 0, "a failed output does not pause it again");
    } finally {
      session.close("user");
    }
  });
});
