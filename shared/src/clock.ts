// Time as a dependency. Informers, workqueues and backoff take a Clock so tests can drive
// time explicitly (see testing/fake-clock.ts) instead of sleeping.
// Contract: setTimeout callbacks run at most once; clearTimeout on a fired or unknown handle
// is a no-op.

export type TimerHandle = unknown;

export interface Clock {
  /** Milliseconds since the epoch (or any monotonic-enough origin for fakes). */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, Math.max(0, ms)),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * Resolves after `ms` on `clock`, or as soon as `signal` aborts (it never rejects).
 * Returns true when the full delay elapsed, false when cut short by the signal.
 */
export function sleep(ms: number, signal?: AbortSignal, clock: Clock = realClock): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clock.clearTimeout(handle);
      resolve(false);
    };
    const handle = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
