// Per-item rate limiters for the workqueue (client-go's ItemExponentialFailureRateLimiter).
// when(item) returns the delay before the item may be retried and counts a failure;
// forget(item) clears its history (call it after a success); numRequeues(item) is the
// number of failures counted since the last forget.
import { exponentialDelay, type BackoffOptions } from './backoff.js';

export interface RateLimiter<K> {
  when(item: K): number;
  forget(item: K): void;
  numRequeues(item: K): number;
}

export interface ExponentialRateLimiterOptions {
  /** First retry delay; default 5 ms. */
  baseMs?: number;
  /** Cap; default 1000 s. */
  maxMs?: number;
  /** Growth per failure; default 2. */
  factor?: number;
  /** Jitter fraction (see backoff.ts); default 0: exact delays. */
  jitter?: number;
  random?: () => number;
}

export class ExponentialRateLimiter<K> implements RateLimiter<K> {
  private readonly failures = new Map<K, number>();
  private readonly backoff: BackoffOptions;

  constructor(opts: ExponentialRateLimiterOptions = {}) {
    this.backoff = {
      initialMs: opts.baseMs ?? 5, maxMs: opts.maxMs ?? 1_000_000, factor: opts.factor ?? 2,
      jitter: opts.jitter ?? 0, ...(opts.random ? { random: opts.random } : {}),
    };
  }

  when(item: K): number {
    const n = this.failures.get(item) ?? 0;
    this.failures.set(item, n + 1);
    return exponentialDelay(n, this.backoff);
  }

  forget(item: K): void { this.failures.delete(item); }

  numRequeues(item: K): number { return this.failures.get(item) ?? 0; }
}
