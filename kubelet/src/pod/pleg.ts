// Pod lifecycle event generator (upstream's "generic PLEG"): relists the runtime's sandboxes
// and containers every `periodMs`, fingerprints them per pod uid (ids + states) and reports
// every uid whose fingerprint changed, appeared or disappeared. The first relist reports every
// uid the runtime holds, which is how a restarted kubelet adopts (or removes) what it finds.
// Runtime errors are reported through onError and the next relist retries; a relist never
// overlaps the previous one. Objects without the pod-uid label are not the kubelet's: ignored.
import { realClock, type Clock, type TimerHandle } from '@k8ts/shared';
import { LABEL_POD_UID } from '../runtime/labels.js';
import type { ContainerRuntime } from '../runtime/types.js';

export interface PlegOptions {
  runtime: ContainerRuntime;
  periodMs: number;
  clock?: Clock;
  onChange(uid: string): void;
  onError(err: unknown): void;
  onRelist?(ok: boolean): void;
}

export class Pleg {
  private prints = new Map<string, string>();
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly clock: Clock;
  lastRelistOk = 0;

  constructor(private readonly opts: PlegOptions) { this.clock = opts.clock ?? realClock; }

  start(): void { void this.loop(); }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  async relist(): Promise<void> {
    const [sandboxes, containers] = await Promise.all([this.opts.runtime.listPodSandboxes(), this.opts.runtime.listContainers()]);
    const parts = new Map<string, string[]>();
    const add = (uid: string | undefined, s: string): void => {
      if (!uid) return;
      let l = parts.get(uid);
      if (!l) parts.set(uid, (l = []));
      l.push(s);
    };
    for (const s of sandboxes) add(s.labels[LABEL_POD_UID] ?? s.uid, `s:${s.id}:${s.state}`);
    for (const c of containers) add(c.labels[LABEL_POD_UID], `c:${c.id}:${c.state}`);
    const next = new Map<string, string>();
    for (const [uid, l] of parts) next.set(uid, l.sort().join(','));
    for (const [uid, p] of next) if (this.prints.get(uid) !== p) this.opts.onChange(uid);
    for (const uid of this.prints.keys()) if (!next.has(uid)) this.opts.onChange(uid);
    this.prints = next;
    this.lastRelistOk = this.clock.now();
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.relist();
      this.opts.onRelist?.(true);
    } catch (e) {
      this.opts.onError(e);
      this.opts.onRelist?.(false);
    }
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.loop(), this.opts.periodMs);
  }
}
