// WorkQueue: client-go's rate-limiting, delaying work queue.
//
// Contract:
// - add(key) is a no-op while the key is already waiting (bursts collapse into one item).
// - get() hands out keys in FIFO order and marks them processing; a key is never handed to
//   two workers at once. A key add()ed while processing is queued again when done(key) is
//   called (once, however many times it was added).
// - Every key returned by get() must be passed to done() exactly once.
// - addAfter(key, ms) adds after a delay; several pending delays for one key keep the
//   earliest. addRateLimited(key) = addAfter(key, rateLimiter.when(key)); forget(key) resets
//   that key's backoff; numRequeues(key) counts rate-limited adds since the last forget.
// - shutDown(): pending and future get() calls resolve undefined, queued and delayed keys are
//   dropped, and further adds are ignored. shutDownWithDrain() instead keeps handing out
//   already-queued keys (delayed ones, and re-adds of keys being processed, are dropped) and
//   resolves when none is queued or processing; get() resolves undefined once it is empty.
// - len() counts keys waiting to be handed out (not processing, not delayed).
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { ExponentialRateLimiter, type RateLimiter } from './rate-limiter.js';

export interface WorkQueueOptions<K> {
  rateLimiter?: RateLimiter<K>;
  clock?: Clock;
  /** For logs and metrics only. */
  name?: string;
}

export class WorkQueue<K = string> {
  readonly name: string;
  private readonly queue: K[] = [];
  private readonly dirty = new Set<K>();
  private readonly processing = new Set<K>();
  private readonly waiters: ((key: K | undefined) => void)[] = [];
  private readonly delayed = new Map<K, { at: number; timer: TimerHandle }>();
  private readonly drainWaiters: (() => void)[] = [];
  private readonly rateLimiter: RateLimiter<K>;
  private readonly clock: Clock;
  private stopping = false;
  private draining = false;

  constructor(opts: WorkQueueOptions<K> = {}) {
    this.rateLimiter = opts.rateLimiter ?? new ExponentialRateLimiter<K>();
    this.clock = opts.clock ?? realClock;
    this.name = opts.name ?? 'workqueue';
  }

  add(key: K): void {
    if (this.stopping || this.draining) return;
    if (this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    this.enqueue(key);
  }

  /** Resolves with the next key, or undefined once the queue is shut down. */
  get(): Promise<K | undefined> {
    if (this.queue.length > 0) return Promise.resolve(this.take());
    if (this.stopping || this.draining) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  done(key: K): void {
    if (!this.processing.delete(key)) return;
    if (this.dirty.has(key)) {
      // Re-added while processing: hand it out again, unless the queue is shutting down.
      if (this.stopping || this.draining) this.dirty.delete(key);
      else this.enqueue(key);
    }
    this.checkDrained();
  }

  addAfter(key: K, ms: number): void {
    if (this.stopping || this.draining) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const at = this.clock.now() + ms;
    const existing = this.delayed.get(key);
    if (existing) {
      if (existing.at <= at) return;
      this.clock.clearTimeout(existing.timer);
    }
    const timer = this.clock.setTimeout(() => {
      this.delayed.delete(key);
      this.add(key);
    }, ms);
    this.delayed.set(key, { at, timer });
  }

  addRateLimited(key: K): void {
    if (this.stopping || this.draining) return;
    this.addAfter(key, this.rateLimiter.when(key));
  }

  forget(key: K): void { this.rateLimiter.forget(key); }

  numRequeues(key: K): number { return this.rateLimiter.numRequeues(key); }

  len(): number { return this.queue.length; }

  shuttingDown(): boolean { return this.stopping || this.draining; }

  shutDown(): void {
    this.stopping = true;
    this.clearDelayed();
    this.queue.length = 0;
    this.dirty.clear();
    this.releaseWaiters();
    this.checkDrained();
  }

  /** Stops accepting keys, lets workers finish what is queued, resolves when all are done. */
  shutDownWithDrain(): Promise<void> {
    this.draining = true;
    this.clearDelayed();
    const drained = new Promise<void>((resolve) => this.drainWaiters.push(resolve));
    if (this.queue.length === 0) this.releaseWaiters();
    this.checkDrained();
    return drained;
  }

  private enqueue(key: K): void {
    const waiter = this.waiters.shift();
    if (waiter) {
      this.dirty.delete(key);
      this.processing.add(key);
      waiter(key);
    } else {
      this.queue.push(key);
    }
  }

  private take(): K {
    const key = this.queue.shift()!;
    this.dirty.delete(key);
    this.processing.add(key);
    if (this.draining && this.queue.length === 0) this.releaseWaiters();
    return key;
  }

  private releaseWaiters(): void {
    for (const w of this.waiters.splice(0)) w(undefined);
  }

  private clearDelayed(): void {
    for (const { timer } of this.delayed.values()) this.clock.clearTimeout(timer);
    this.delayed.clear();
  }

  private checkDrained(): void {
    if ((this.stopping || this.draining) && this.queue.length === 0 && this.processing.size === 0) {
      for (const r of this.drainWaiters.splice(0)) r();
    }
  }
}
