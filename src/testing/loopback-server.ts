/**
 * @module Test support: loopback TCP servers whose connection handler is the test's. They read
 * what they are sent, so that a client's FIN is seen and answered. The test file closes them:
 * `after(servers.close)` at its top level.
 */
import assert from "node:assert/strict";
import { createServer, type Server, type Socket } from "node:net";

export interface LoopbackServers {
  /** Listen on 127.0.0.1:0; resolves with the port. */
  serve(handler: (s: Socket) => void): Promise<number>;
  close(): void;
}

/**
 * @example const servers = loopbackServers(); after(servers.close); const port = await servers.serve((s) => s.write("login: "));
 */
export function loopbackServers(): LoopbackServers {
  const all: Server[] = [];
  return {
    async serve(handler) {
      const server = createServer((s) => {
        s.setNoDelay(true);
        s.on("error", () => {});
        // Read, so that our FIN is seen and answered (a paused socket never sees it).
        s.resume();
        handler(s);
      });
      await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
      all.push(server);
      const address = server.address();
      assert.ok(address && typeof address === "object");
      return address.port;
    },
    close() {
      for (const s of all.splice(0)) s.close();
    },
  };
}
