// Graceful shutdown: onShutdown(fn) registers a cleanup; the first SIGTERM or SIGINT runs
// every cleanup once, most recently registered first (like defers: stop what started last
// first), each awaited and isolated (a failing cleanup is reported and the rest still run),
// then exits 0. A second signal while cleaning up, or cleanups outlasting graceMs, exit 1.
// The process handlers are installed on the first onShutdown() call.
export type Cleanup = () => void | Promise<void>;

export interface SignalSource {
  on(signal: 'SIGTERM' | 'SIGINT', fn: () => void): unknown;
}

export interface ShutdownOptions {
  source: SignalSource;
  exit: (code: number) => void;
  graceMs?: number;
  onError?: (err: unknown) => void;
}

/** The testable core of onShutdown(): signals come from `source`, exit is injected. */
export class ShutdownCoordinator {
  private readonly cleanups: Cleanup[] = [];
  private running: Promise<void> | undefined;
  private installed = false;

  constructor(private readonly opts: ShutdownOptions) {}

  register(fn: Cleanup): () => void {
    this.install();
    this.cleanups.push(fn);
    return () => {
      const i = this.cleanups.indexOf(fn);
      if (i >= 0) this.cleanups.splice(i, 1);
    };
  }

  /** Runs the cleanups (once) and exits; later calls force exit 1 while the first is running. */
  trigger(): Promise<void> {
    if (this.running) {
      this.opts.exit(1);
      return this.running;
    }
    this.running = this.runAll();
    return this.running;
  }

  /** Resolves when a triggered shutdown has run every cleanup (immediately if none was triggered). */
  finished(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private install(): void {
    if (this.installed) return;
    this.installed = true;
    for (const sig of ['SIGTERM', 'SIGINT'] as const) this.opts.source.on(sig, () => void this.trigger());
  }

  private async runAll(): Promise<void> {
    const grace = this.opts.graceMs ?? 10_000;
    const timer = setTimeout(() => this.opts.exit(1), grace);
    timer.unref?.();
    for (const fn of this.cleanups.splice(0).reverse()) {
      try {
        await fn();
      } catch (e) {
        (this.opts.onError ?? ((err) => console.error('shutdown cleanup failed:', err)))(e);
      }
    }
    clearTimeout(timer);
    this.opts.exit(0);
  }
}

let processCoordinator: ShutdownCoordinator | undefined;

/** Registers a cleanup to run on SIGTERM/SIGINT before the process exits 0; returns an unregister function. */
export function onShutdown(fn: Cleanup, opts: { graceMs?: number } = {}): () => void {
  processCoordinator ??= new ShutdownCoordinator({
    source: process, exit: (code) => process.exit(code), graceMs: opts.graceMs,
  });
  return processCoordinator.register(fn);
}
