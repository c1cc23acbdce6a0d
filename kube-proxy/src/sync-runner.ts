// When to sync: upstream's BoundedFrequencyRunner, simplified.
//
// Contract:
// - request() asks for a sync. If the last sync started at least minIntervalMs ago, it runs at
//   once; otherwise it runs when minIntervalMs has passed since the last start. Requests made
//   while a sync runs collapse into one follow-up sync. Syncs never overlap.
// - A sync also runs every maxIntervalMs (the periodic full resync).
// - A sync that throws is retried after retryMs (and counts as a request).
// - stop() cancels timers and resolves once a running sync has finished.
import type { Logger } from '@k8ts/shared';

export interface SyncRunnerOptions {
  minIntervalMs: number;
  maxIntervalMs: number;
  retryMs: number;
  logger: Logger;
  /** `full` is true for the periodic resync. */
  sync: (full: boolean) => Promise<void>;
}

export class SyncRunner {
  private lastStart = 0;
  private running?: Promise<void>;
  private pending = false;
  private pendingFull = false;
  private timer?: NodeJS.Timeout;
  private periodic?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly opts: SyncRunnerOptions) {}

  start(): void {
    this.periodic = setInterval(() => { this.pendingFull = true; this.request(); }, this.opts.maxIntervalMs);
    this.periodic.unref();
    this.request();
  }

  request(): void {
    if (this.stopped) return;
    this.pending = true;
    if (this.running) return; // picked up when the running sync ends
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.stopped) return;
    const wait = Math.max(0, this.lastStart + this.opts.minIntervalMs - Date.now());
    this.timer = setTimeout(() => { this.timer = undefined; this.run(); }, wait);
    this.timer.unref();
  }

  private run(): void {
    if (this.stopped || this.running || !this.pending) return;
    this.pending = false;
    const full = this.pendingFull;
    this.pendingFull = false;
    this.lastStart = Date.now();
    this.running = this.opts.sync(full).catch((err) => {
      this.opts.logger.error({ err: (err as Error).message }, 'sync failed; retrying');
      setTimeout(() => { this.pendingFull = true; this.request(); }, this.opts.retryMs).unref();
    }).finally(() => {
      this.running = undefined;
      if (this.pending) this.schedule();
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.periodic) clearInterval(this.periodic);
    await this.running;
  }
}
