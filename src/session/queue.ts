/**
 * @module One operation at a time, in order: exec, expect and login on one session queue
 * behind each other. No promise is made when the queue is free (a round trip runs per turn).
 */
export class TurnQueue {
  private busy = false;
  private readonly waiting: (() => void)[] = [];

  /** Run `fn` when its turn comes; the result is fn's. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    if (!this.busy) {
      this.busy = true;
      return this.start(fn);
    }
    return new Promise<void>((resolve) => this.waiting.push(resolve)).then(() => this.start(fn));
  }

  private start<T>(fn: () => Promise<T>): Promise<T> {
    let p: Promise<T>;
    try {
      p = fn();
    } catch (err) {
      p = Promise.reject(err);
    }
    p.then(this.release, this.release);
    return p;
  }

  /** Hand the turn to the next queued operation (busy stays set), or free it. */
  private readonly release = (): void => {
    const next = this.waiting.shift();
    if (next) next();
    else this.busy = false;
  };
}
