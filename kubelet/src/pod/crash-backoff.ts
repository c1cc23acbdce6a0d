// Restart and image-pull back-off, as upstream's kubelet keeps it (flowcontrol.Backoff keyed
// by pod uid + container name, or pod uid + image):
//   - the first failure is retried at once; next(key) then arms the delay: base (10 s),
//     doubled on every further restart, capped at max (5 min);
//   - inBackoff(key, since) is true while now − since < the armed delay (`since` is when the
//     container finished, or when the pull failed);
//   - an entry untouched for 2 × max is forgotten (upstream's GC), and a container that ran
//     for at least resetAfter (10 min) starts over at base (reset()).
// Deterministic; the clock is injected so tests can shrink or drive time.
import { realClock, type Clock } from '@k8ts/shared';

export interface CrashBackoffOptions { baseMs: number; maxMs: number; resetAfterMs?: number; clock?: Clock }

export const DEFAULT_CRASH_BACKOFF = { baseMs: 10_000, maxMs: 300_000, resetAfterMs: 600_000 };

export class CrashBackoff {
  private readonly entries = new Map<string, { delay: number; lastUpdate: number }>();
  private readonly clock: Clock;
  constructor(readonly opts: CrashBackoffOptions) { this.clock = opts.clock ?? realClock; }

  get resetAfterMs(): number { return this.opts.resetAfterMs ?? this.opts.maxMs * 2; }

  /** The delay currently armed for the key (0 when none). */
  delay(key: string): number {
    const e = this.live(key);
    return e ? e.delay : 0;
  }

  /** True while `since` (epoch ms) is less than the armed delay ago. */
  inBackoff(key: string, since: number): boolean {
    const e = this.live(key);
    return !!e && this.clock.now() - since < e.delay;
  }

  /** Milliseconds left of the back-off that started at `since` (0 when over). */
  remaining(key: string, since: number): number {
    const e = this.live(key);
    return e ? Math.max(0, e.delay - (this.clock.now() - since)) : 0;
  }

  /** Records a restart/retry: arms base, or doubles the armed delay up to max. */
  next(key: string): number {
    const now = this.clock.now();
    const e = this.live(key);
    const delay = e ? Math.min(e.delay * 2, this.opts.maxMs) : this.opts.baseMs;
    this.entries.set(key, { delay, lastUpdate: now });
    return delay;
  }

  reset(key: string): void { this.entries.delete(key); }

  /** Drops every key with the given prefix (a pod's entries when it goes away). */
  resetPrefix(prefix: string): void {
    for (const k of [...this.entries.keys()]) if (k.startsWith(prefix)) this.entries.delete(k);
  }

  private live(key: string): { delay: number; lastUpdate: number } | undefined {
    const e = this.entries.get(key);
    if (e && this.clock.now() - e.lastUpdate > 2 * this.opts.maxMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }
}
