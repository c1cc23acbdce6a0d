// Which namespaces have ResourceQuotas, kept from a watch on the quota store, so that creates
// in the (usual) namespaces without any quota cost no storage read. Until the watch has
// delivered the current state — at start, and after the watch failed — every namespace
// "may have" quotas and the caller reads storage as before; the watch is (re)started lazily
// on use, at most once a second after a failure. The answer is only a hint to skip work:
// whenever it says a namespace has quotas, the caller reads them fresh from etcd.
// Staleness: the admission of every ResourceQuota create calls noteCreate(namespace) before
// the quota is stored, so the index knows of a namespace's first quota before any quota
// there can be enforced (which needs the controller to write its status afterwards), however
// late the watch event arrives; a note expires after 30 s, by when the watch has confirmed it.
import type { KubeObject, Logger } from '@k8ts/shared';
import type { WatchSink } from '../storage/store.js';

export type WatchQuotas = (sink: WatchSink) => Promise<() => void>;

export class QuotaNamespaceIndex {
  private names = new Map<string, Set<string>>();
  private synced = false;
  private starting = false;
  private stopped = false;
  private lastFailure = 0;
  private cancel?: () => void;
  /** namespaces where a quota is being created: namespace → expiry (ms) */
  private noted = new Map<string, number>();

  constructor(private readonly watch: WatchQuotas, private readonly log?: Logger) {}

  /** false only when the index is synced and knows the namespace has no quota. */
  mayHaveQuotas(namespace: string): boolean {
    if (!this.synced) { this.start(); return true; }
    if ((this.names.get(namespace)?.size ?? 0) > 0) return true;
    const until = this.noted.get(namespace);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.noted.delete(namespace);
    return false;
  }

  /** A ResourceQuota is about to be created in `namespace`. */
  noteCreate(namespace: string): void {
    this.noted.set(namespace, Date.now() + 30_000);
  }

  private start(): void {
    if (this.starting || this.stopped || Date.now() - this.lastFailure < 1000) return;
    this.starting = true;
    this.names = new Map();
    const apply = (type: string, obj: KubeObject): void => {
      const ns = obj.metadata.namespace ?? '';
      const set = this.names.get(ns) ?? new Set<string>();
      if (type === 'DELETED') set.delete(obj.metadata.name!); else set.add(obj.metadata.name!);
      if (set.size) this.names.set(ns, set); else this.names.delete(ns);
    };
    const fail = (why: string): void => {
      this.synced = false;
      this.starting = false;
      this.lastFailure = Date.now();
      this.cancel?.();
      this.cancel = undefined;
      this.log?.debug({ why }, 'quota namespace index lost its watch; reading quotas from storage until it resyncs');
    };
    this.watch({ event: apply, error: (s) => fail(s.message ?? 'watch error') }).then((cancel) => {
      if (this.stopped) { cancel(); return; }
      if (!this.starting) { cancel(); return; } // failed while starting
      this.cancel = cancel;
      this.synced = true;
    }, (e: Error) => fail(e.message));
  }

  stop(): void {
    this.stopped = true;
    this.synced = false;
    this.cancel?.();
    this.cancel = undefined;
  }
}
