// A counting semaphore with FIFO hand-off: acquire() resolves in call order once one of
// `permits` is free and gives back a release function (idempotent: a second call is a no-op).
// Not handled: cancellation of a waiting acquire (waiters are expected to proceed).
export class Semaphore {
  private free: number;
  private readonly waiters: Array<() => void> = [];

  constructor(readonly permits: number) {
    if (!(Number.isInteger(permits) && permits >= 1)) throw new RangeError(`semaphore permits must be a positive integer, got ${permits}`);
    this.free = permits;
  }

  /** Permits in use. */
  get inUse(): number { return this.permits - this.free; }
  /** Callers waiting for a permit. */
  get waiting(): number { return this.waiters.length; }

  async acquire(): Promise<() => void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiters.push(resolve));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      if (next) next(); // the permit passes straight to the oldest waiter
      else this.free++;
    };
  }
}
