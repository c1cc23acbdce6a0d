// Jittered exponential backoff, shared by the informer (list/watch retries) and the
// workqueue's per-key rate limiter.
//
// delay(attempt) = min(maxMs, initialMs * factor^attempt), then jittered by ±jitter/2 of
// itself (jitter=0 gives exact, deterministic delays; the result never exceeds maxMs and is
// never negative). `random` is injectable so tests can pin the jitter.

export interface BackoffOptions {
  /** First delay in ms (attempt 0). */
  initialMs: number;
  /** Cap in ms, applied before and after jitter. */
  maxMs: number;
  /** Growth per attempt; default 2. */
  factor?: number;
  /** Fraction of the delay used as the jitter window (0..1); default 0. */
  jitter?: number;
  /** Source of randomness in [0,1); default Math.random. */
  random?: () => number;
}

/** Pure: the delay for the given zero-based attempt. */
export function exponentialDelay(attempt: number, opts: BackoffOptions): number {
  const factor = opts.factor ?? 2;
  const raw = opts.initialMs * Math.pow(factor, Math.max(0, attempt));
  const base = Number.isFinite(raw) ? Math.min(opts.maxMs, raw) : opts.maxMs;
  const jitter = opts.jitter ?? 0;
  if (jitter <= 0) return base;
  const r = (opts.random ?? Math.random)();
  const jittered = base * (1 - jitter / 2 + jitter * r);
  return Math.max(0, Math.min(opts.maxMs, Math.round(jittered)));
}

/**
 * Stateful backoff: next() returns the delay for the current attempt and advances it;
 * reset() starts over (call it after a success).
 */
export class Backoff {
  private attempt = 0;
  constructor(private readonly opts: BackoffOptions) {}

  next(): number {
    const d = exponentialDelay(this.attempt, this.opts);
    // Stop counting once the cap is reached so the exponent cannot grow without bound.
    if (this.opts.initialMs * Math.pow(this.opts.factor ?? 2, this.attempt) < this.opts.maxMs) this.attempt++;
    return d;
  }

  reset(): void { this.attempt = 0; }

  /** Attempts made since the last reset (saturates once the cap is reached). */
  get attempts(): number { return this.attempt; }
}

/** Informer defaults: 200 ms doubling to 30 s, ±50 % jitter. */
export const DEFAULT_INFORMER_BACKOFF: BackoffOptions = { initialMs: 200, maxMs: 30_000, factor: 2, jitter: 0.5 };
