/**
 * @module The session's data as Node streams and async iteration, with backpressure: a slow
 * reader pauses the socket (TCP flow control reaches the server) instead of buffering without
 * bound. What flows is decoded Telnet data (no IAC, no negotiation), both ways.
 */
import { Duplex } from "node:stream";
import { TeldocError } from "../errors.js";

/** What a stream view needs from a session. */
export interface DataSource {
  /** Subscribe to decoded data from the server; returns the unsubscribe function. */
  subscribe(listener: (data: Buffer) => void): () => void;
  /** Resolves when the session has ended. */
  readonly closed: Promise<unknown>;
  readonly ended: boolean;
  pause(): void;
  resume(): void;
  /** Send data to the server as typed. */
  write(data: Buffer): void;
  /** End our side of the session. */
  close(): void;
}

/** Chunks buffered by one async iterator before the socket is paused. */
const HIGH_WATER = 64;

/**
 * Iterate over the server's data from now until the session ends.
 * @example for await (const chunk of dataIterator(source)) process.stdout.write(chunk);
 */
export function dataIterator(source: DataSource): AsyncIterableIterator<Buffer> {
  const queue: Buffer[] = [];
  let wake: (() => void) | undefined;
  let done = source.ended;
  let paused = false;
  const unsubscribe = source.subscribe((b) => {
    queue.push(b);
    if (queue.length >= HIGH_WATER && !paused) {
      paused = true;
      source.pause();
    }
    wake?.();
  });
  void source.closed.then(() => {
    done = true;
    wake?.();
  });
  const stop = () => {
    done = true;
    unsubscribe();
    if (paused) source.resume();
    wake?.();
  };
  const it: AsyncIterableIterator<Buffer> = {
    async next(): Promise<IteratorResult<Buffer>> {
      for (;;) {
        const b = queue.shift();
        if (b) {
          if (paused && queue.length < HIGH_WATER / 2) {
            paused = false;
            source.resume();
          }
          return { value: b, done: false };
        }
        if (done) {
          unsubscribe();
          return { value: undefined, done: true };
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
        });
        wake = undefined;
      }
    },
    async return(): Promise<IteratorResult<Buffer>> {
      stop();
      queue.length = 0;
      return { value: undefined, done: true };
    },
    [Symbol.asyncIterator]() {
      return it;
    },
  };
  return it;
}

/**
 * A Duplex over the session: what the server sends is readable, what you write is sent.
 * Ending the writable side closes the session; the readable side ends with the session.
 * @example process.stdin.pipe(dataStream(source)).pipe(process.stdout);
 */
export function dataStream(source: DataSource): Duplex {
  let unsubscribe: (() => void) | undefined;
  const duplex = new Duplex({
    read() {
      source.resume();
    },
    write(chunk: Buffer, _encoding, callback) {
      if (source.ended)
        callback(
          new TeldocError("TELDOC_ERR_SESSION_ENDED", "cannot write: the session has ended"),
        );
      else {
        source.write(chunk);
        callback();
      }
    },
    final(callback) {
      source.close();
      callback();
    },
    destroy(err, callback) {
      unsubscribe?.();
      callback(err);
    },
  });
  unsubscribe = source.subscribe((b) => {
    if (!duplex.push(b)) source.pause();
  });
  void source.closed.then(() => {
    unsubscribe?.();
    duplex.push(null);
  });
  return duplex;
}
