/**
 * @module A TCP relay on loopback that makes a path slow the way an application sees it: every
 * chunk, each way, is held 100-300 ms (order kept) and re-split at random points. This kernel has
 * no netem; what a slow, lossy link does to the bytes' timing and chunking is reproduced here.
 */
import { createServer, type Server, type Socket, connect as tcpConnect } from "node:net";

export interface SlowRelayOptions {
  /** Where the relay forwards to. */
  readonly host: string;
  readonly port: number;
  /** Delay of each piece, each way (uniform in [min, max] ms). */
  readonly minDelayMs?: number;
  readonly maxDelayMs?: number;
  /** Random source (seeded in tests that must repeat). */
  readonly random?: () => number;
}

export interface SlowRelay {
  readonly port: number;
  close(): Promise<void>;
}

/** A seeded generator (mulberry32), so a failing run can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One direction: a FIFO of pieces, each delivered no earlier than its time, in order. */
function pipeSlowly(
  from: Socket,
  to: Socket,
  o: Required<Omit<SlowRelayOptions, "host" | "port">>,
) {
  const queue: { at: number; piece: Buffer }[] = [];
  let lastAt = 0;
  let ended = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const drain = () => {
    timer = undefined;
    const now = Date.now();
    while (queue.length > 0 && queue[0].at <= now) {
      const { piece } = queue.shift()!;
      if (!to.destroyed) to.write(piece);
    }
    if (queue.length > 0) timer = setTimeout(drain, queue[0].at - now);
    else if (ended) to.end();
  };
  from.on("data", (chunk: Buffer) => {
    let rest = chunk;
    while (rest.length > 0) {
      const cut = rest.length === 1 ? 1 : 1 + Math.floor(o.random() * rest.length);
      const delay = o.minDelayMs + o.random() * (o.maxDelayMs - o.minDelayMs);
      lastAt = Math.max(lastAt, Date.now() + delay);
      queue.push({ at: lastAt, piece: rest.subarray(0, cut) });
      rest = rest.subarray(cut);
    }
    timer ??= setTimeout(drain, queue[0].at - Date.now());
  });
  from.on("end", () => {
    ended = true;
    if (queue.length === 0 && timer === undefined) to.end();
  });
  from.on("close", () => {
    if (ended) return;
    clearTimeout(timer);
    queue.length = 0;
    to.destroy();
  });
  from.on("error", () => {});
}

/**
 * @example const relay = await startSlowRelay({ host: "127.0.0.1", port: 23 }); // connect to relay.port
 */
export async function startSlowRelay(options: SlowRelayOptions): Promise<SlowRelay> {
  const o = {
    minDelayMs: options.minDelayMs ?? 100,
    maxDelayMs: options.maxDelayMs ?? 300,
    random: options.random ?? Math.random,
  };
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = tcpConnect(options.port, options.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on("close", () => sockets.delete(s));
    }
    pipeSlowly(client, upstream, o);
    pipeSlowly(upstream, client, o);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
