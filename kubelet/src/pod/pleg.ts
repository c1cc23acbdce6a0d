// Pod lifecycle event generator (upstream's "generic PLEG"): relists the runtime's sandboxes
// and containers every `periodMs`, fingerprints them per pod uid (ids + states) and reports
// every uid whose fingerprint changed, appeared or disappeared. The first relist reports every
// uid the runtime holds, which is how a restarted kubelet adopts (or removes) what it finds.
// Runtime errors are reported through onError and the next relist retries; a relist never
// overlaps the previous one. Objects without the pod-uid label are not the kubelet's: ignored.
//
// Syncs in progress (`inSync`): a change seen for a pod while its sync runs is held back, not
// reported; syncFinished() then takes the sync's own final listing as the pod's fingerprint (the
// sync saw everything up to it), or, without a listing, reports the held-back change at once.
// Before, every new pod was synced twice: the relist during its first sync saw the sandbox or the
// container it was making, and the sync after repeated the work for nothing (upstream's pod cache
// spares its workers the same). Any difference from the sync's listing is still reported by the
// next relist; a relist racing with the sync can only cause an extra report, never hide a change.
import { realClock, type Clock, type TimerHandle } from '@k8ts/shared';
import { LABEL_POD_UID } from '../runtime/labels.js';
import type { ContainerRuntime, ContainerStatus, PodSandboxStatus } from '../runtime/types.js';

const sandboxPart = (s: PodSandboxStatus): string => `s:${s.id}:${s.state}`;
const containerPart = (c: ContainerStatus): string => `c:${c.id}:${c.state}`;
const fingerprint = (parts: string[]): string => parts.sort().join(',');

export interface PlegOptions {
  runtime: ContainerRuntime;
  periodMs: number;
  clock?: Clock;
  onChange(uid: string): void;
  onError(err: unknown): void;
  onRelist?(ok: boolean): void;
  /** Whether a sync of `uid` is running now (its changes are held back, see the header). */
  inSync?(uid: string): boolean;
}

export class Pleg {
  private prints = new Map<string, string>();
  private readonly heldBack = new Set<string>();
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
    for (const s of sandboxes) add(s.labels[LABEL_POD_UID] ?? s.uid, sandboxPart(s));
    for (const c of containers) add(c.labels[LABEL_POD_UID], containerPart(c));
    const next = new Map<string, string>();
    for (const [uid, l] of parts) next.set(uid, fingerprint(l));
    for (const [uid, p] of next) if (this.prints.get(uid) !== p) this.report(uid);
    for (const uid of this.prints.keys()) if (!next.has(uid)) this.report(uid);
    this.prints = next;
    this.lastRelistOk = this.clock.now();
  }

  /** The end of a sync of `uid`. `listing`: every sandbox and container the runtime holds for
   *  the pod, as the sync listed them last, when it has such a listing. */
  syncFinished(uid: string, listing?: { sandboxes: PodSandboxStatus[]; containers: ContainerStatus[] }): void {
    const held = this.heldBack.delete(uid);
    if (listing) this.prints.set(uid, fingerprint([...listing.sandboxes.map(sandboxPart), ...listing.containers.map(containerPart)]));
    else if (held) this.opts.onChange(uid);
  }

  private report(uid: string): void {
    if (this.opts.inSync?.(uid)) this.heldBack.add(uid);
    else this.opts.onChange(uid);
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
