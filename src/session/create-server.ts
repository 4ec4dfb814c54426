/**
 * @module The server role for library users: `createServer()` listens and hands each
 * connection over as a started ServerSession (negotiation done by the same protocol core),
 * with a `close()` that stops listening and ends every open session.
 */
import type { Server } from "node:net";
import {
  createTelnetServer,
  type ServerSession,
  type TelnetServerOptions,
} from "./server-session.js";

export interface TelnetServer {
  readonly server: Server;
  readonly host: string;
  readonly port: number;
  /** Sessions open now. */
  readonly sessions: ReadonlySet<ServerSession>;
  /** Stop listening and close every open session. */
  close(): Promise<void>;
}

/**
 * Listen for Telnet clients (default 127.0.0.1, a free port).
 * @example
 * const srv = await createServer({ port: 2323 }, (s) => {
 *   s.write("name? ");
 *   s.once("line", (name) => s.close(`hello ${name}\n`));
 * });
 */
export async function createServer(
  options: TelnetServerOptions,
  onSession: (session: ServerSession) => void,
): Promise<TelnetServer> {
  const sessions = new Set<ServerSession>();
  const { server, host, port } = await createTelnetServer(options, (s) => {
    sessions.add(s);
    s.once("close", () => sessions.delete(s));
    onSession(s);
  });
  return {
    server,
    host,
    port,
    sessions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sessions) s.socket.destroy();
        server.close(() => resolve());
      }),
  };
}
