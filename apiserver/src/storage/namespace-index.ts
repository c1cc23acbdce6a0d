// An in-memory view of the Namespace objects, kept current from the namespaces store's own
// watch (upstream's NamespaceLifecycle admission reads a namespace informer the same way), so
// the existence check on every namespaced create costs no etcd round trip.
//
// Contract:
// - lookup(name) answers only from a synced view: `{ obj }` when the namespace is known,
//   `undefined` when the view does not know it or is not synced. Callers must treat
//   `undefined` as "ask etcd" (a namespace created a moment ago may not be in the view yet),
//   so the index can only ever save reads, never wrongly refuse a create.
// - A namespace whose deletion was just observed is answered from etcd again (the view may
//   lag a re-creation).
// - On a watch error the view is dropped (unsynced) and rebuilt after a short delay.
// - stop() ends the watch; the view is then unsynced for good.
import type { KubeObject, Logger } from '@k8ts/shared';
import type { GenericStore } from './store.js';

export class NamespaceIndex {
  private readonly byName = new Map<string, KubeObject>();
  private synced = false;
  private stopWatch?: () => void;
  private stopped = false;
  private retry?: NodeJS.Timeout;

  constructor(private readonly store: GenericStore, private readonly log: Logger) {}

  async start(): Promise<void> {
    if (this.stopped) return;
    this.byName.clear();
    this.synced = false;
    this.stopWatch = await this.store.watch(undefined, {}, {
      event: (type, obj) => {
        const name = obj.metadata.name!;
        if (type === 'DELETED') this.byName.delete(name); else this.byName.set(name, obj);
      },
      error: (status) => {
        this.log.warn({ reason: status.reason, message: status.message }, 'namespace index watch ended; rebuilding');
        this.synced = false;
        this.byName.clear();
        this.stopWatch = undefined;
        if (!this.stopped) this.retry = setTimeout(() => { void this.start().catch(() => undefined); }, 500).unref();
      },
    });
    // store.watch delivers the initial ADDED events before it resolves
    this.synced = true;
  }

  lookup(name: string): { obj: KubeObject } | undefined {
    if (!this.synced) return undefined;
    const obj = this.byName.get(name);
    return obj ? { obj } : undefined;
  }

  stop(): void {
    this.stopped = true;
    this.synced = false;
    if (this.retry) clearTimeout(this.retry);
    this.stopWatch?.();
  }
}
