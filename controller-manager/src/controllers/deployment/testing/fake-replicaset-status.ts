// Test helper standing in for the ReplicaSet controller (which is not part of this package's
// tests): for every ReplicaSet in one namespace it writes, through /status,
//   replicas = fullyLabeledReplicas = spec.replicas, observedGeneration = generation, and
//   readyReplicas = availableReplicas = spec.replicas when the ReplicaSet is "ready", else 0.
// Modes per ReplicaSet (by predicate, last rule wins): 'ready' (default), 'notReady', and
// 'frozen' (status left as it is, e.g. old pods that take long to terminate). `delayMs` delays
// each write (pods take time to start). Writes for one ReplicaSet are serialized; a conflict
// re-reads the object and retries. Not production code: no pods are created.
import { createLogger, Informer, isConflict, isNotFound, Resources, type ApiClient } from '@k8ts/shared';
import type { ReplicaSet } from '../types.js';

export type FakeMode = 'ready' | 'notReady' | 'frozen';

export class FakeReplicaSetStatus {
  private readonly informer: Informer<ReplicaSet>;
  private readonly rules: { match: (rs: ReplicaSet) => boolean; mode: FakeMode }[] = [];
  private readonly chains = new Map<string, Promise<void>>();
  private stopped = false;
  /** Status writes made so far (for assertions that something happened). */
  writes = 0;

  constructor(private readonly client: ApiClient, private readonly namespace: string, private readonly opts: { delayMs?: number } = {}) {
    this.informer = new Informer<ReplicaSet>({ client, ref: Resources.replicasets, namespace, logger: createLogger('fake-rs', 'silent') });
    this.informer.addEventHandler({ onAdd: (rs) => this.kick(rs), onUpdate: (_o, rs) => this.kick(rs) });
  }

  async start(): Promise<this> {
    this.informer.start();
    await this.informer.waitForSync();
    return this;
  }

  /** Sets the mode for ReplicaSets matching `match` (a name, or a predicate) and re-evaluates them. */
  setMode(match: string | ((rs: ReplicaSet) => boolean), mode: FakeMode): void {
    this.rules.push({ match: typeof match === 'string' ? (rs) => rs.metadata.name === match : match, mode });
    for (const rs of this.informer.list()) this.kick(rs);
  }

  modeOf(rs: ReplicaSet): FakeMode {
    let mode: FakeMode = 'ready';
    for (const r of this.rules) if (r.match(rs)) mode = r.mode;
    return mode;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.informer.stop();
    await Promise.allSettled([...this.chains.values()]);
  }

  private kick(rs: ReplicaSet): void {
    const name = rs.metadata.name!;
    const prev = this.chains.get(name) ?? Promise.resolve();
    const next = prev.then(() => this.reconcile(name)).catch(() => undefined);
    this.chains.set(name, next);
  }

  private async reconcile(name: string): Promise<void> {
    if (this.opts.delayMs) await new Promise((r) => setTimeout(r, this.opts.delayMs));
    for (let attempt = 0; attempt < 10 && !this.stopped; attempt++) {
      let rs = this.informer.get(`${this.namespace}/${name}`);
      if (attempt > 0) {
        try { rs = await this.client.get<ReplicaSet>(Resources.replicasets, this.namespace, name); } catch (e) { if (isNotFound(e)) return; throw e; }
      }
      if (!rs || rs.metadata.deletionTimestamp) return;
      const mode = this.modeOf(rs);
      if (mode === 'frozen') return;
      const n = rs.spec.replicas ?? 1;
      const ready = mode === 'ready' ? n : 0;
      const status = { replicas: n, fullyLabeledReplicas: n, readyReplicas: ready, availableReplicas: ready, observedGeneration: rs.metadata.generation };
      const cur = rs.status ?? {};
      if (cur.replicas === n && (cur.readyReplicas ?? 0) === ready && (cur.availableReplicas ?? 0) === ready && cur.observedGeneration === rs.metadata.generation) return;
      try {
        await this.client.updateStatus(Resources.replicasets, { ...rs, status });
        this.writes++;
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
  }
}
