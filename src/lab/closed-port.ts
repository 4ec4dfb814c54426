/** @module A loopback port where nothing listens: the lab's way to show a refused connection. */
import { createServer } from "node:net";

/**
 * A port on 127.0.0.1 that was free a moment ago (bound, then released): a connection to it is
 * refused, unless something else takes it meanwhile.
 * @example const port = await closedPort(); // teldoc 127.0.0.1 PORT -> refused
 */
export async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}
