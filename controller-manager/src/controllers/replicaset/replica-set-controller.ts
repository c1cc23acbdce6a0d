// The ReplicaSet controller (upstream pkg/controller/replicaset), also serving
// ReplicationControllers (replica-kind.ts): keeps spec.replicas active pods matching the
// owner's selector.
//
// Handlers (they only enqueue owner keys and account expectations):
// - owner add/update → enqueue; owner delete → forget its expectations, enqueue.
// - pod add → controlled by an owner of our kind (by controllerRef kind + name + uid):
//   creationObserved, enqueue it; orphan → enqueue every owner whose selector matches.
//   A pod seen with deletionTimestamp counts as deleted.
// - pod update → labels or controllerRef changed: enqueue the old owner and the new one
//   (or, for an orphan, every matching owner); becoming ready with minReadySeconds > 0 also
//   enqueues the owner after minReadySeconds + 1 s, so availableReplicas catches up.
// - pod delete → deletionObserved(owner, pod), enqueue the owner.
//
// reconcile(key), the upstream syncReplicaSet:
//   1. owner not in the cache → forget expectations, done. An invalid selector, or template
//      labels it does not match (both refused by the apiserver), → claims and creates nothing.
//   2. active pods in its namespace (not terminating, not Succeeded/Failed) are claimed
//      (controller-ref.ts: adopt matching orphans after a live re-check of the owner,
//      release owned pods that no longer match).
//   3. only when expectations are satisfied and the owner is not being deleted: create or
//      delete the difference, at most burstReplicas (500) per sync. Creates run in slow-start
//      batches (1, 2, 4, ...) after expectCreations(diff); creates never issued are given
//      back. Deletes pick pods by active-pods-ranking.ts after expectDeletions(keys).
//      Events: SuccessfulCreate "Created pod: X", SuccessfulDelete "Deleted pod: X",
//      FailedCreate "Error creating: ..." (e.g. a 403 exceeded-quota refusal), FailedDelete.
//   4. status through /status when it changed (replica-status.ts), with one retry on a fresh
//      copy after a conflict; the ReplicaFailure condition reflects step 3's error.
//   5. step 3's error is rethrown after the status write, so runWorkers requeues the owner
//      rate-limited (5 ms doubling to 1000 s); informer resyncs also requeue it.
// Not handled: upstream's terminatingReplicas status field and pod-deletion metrics.
import { getMaxListeners, setMaxListeners } from 'node:events';
import {
  isConflict, isNotFound, isStatusError, keyFor, objectKey, runWorkers, splitKey, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import { Resources } from '@k8ts/shared';
import type { Controller } from '../types.js';
import { claim, getControllerOf } from '../common/controller-ref.js';
import { ControllerExpectations } from './expectations.js';
import { isPodActive, isPodReady } from './pod-conditions.js';
import { podsToDelete } from './active-pods-ranking.js';
import { podFromTemplate } from './pod-template.js';
import type { ReplicaKind } from './replica-kind.js';
import { calculateStatus, statusUnchanged } from './replica-status.js';
import { slowStartBatch } from './slow-start.js';

export const BURST_REPLICAS = 500;

export interface ReplicaSetControllerOptions {
  kind: ReplicaKind;
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  /** Concurrent reconciles (--concurrent-replicaset-syncs / --concurrent-rc-syncs); default 5. */
  workers?: number;
  burstReplicas?: number;
  now?: () => number;
  /** Replaces the expectations (tests). */
  expectations?: ControllerExpectations;
}

export class ReplicaSetController implements Controller {
  readonly name: string;
  readonly queue: WorkQueue<string>;
  readonly expectations: ControllerExpectations;
  private readonly owners: Informer;
  private readonly pods: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly kind: ReplicaKind;
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: ReplicaSetControllerOptions) {
    this.kind = opts.kind;
    this.name = opts.kind.controllerName;
    this.queue = new WorkQueue<string>({ name: this.name });
    this.log = opts.logger.child({ controller: this.name });
    this.now = opts.now ?? Date.now;
    this.expectations = opts.expectations ?? new ControllerExpectations(this.now);
    this.owners = opts.informers.forResource(opts.kind.ref);
    this.pods = opts.informers.forResource(Resources.pods);
    this.owners.addEventHandler({
      onAdd: (o) => this.enqueue(o),
      onUpdate: (_old, o) => this.enqueue(o),
      onDelete: (o) => {
        const key = objectKey(o);
        this.expectations.delete(key);
        this.queue.add(key);
      },
    });
    this.pods.addEventHandler({
      onAdd: (p) => this.podAdded(p),
      onUpdate: (o, p) => this.podUpdated(o, p),
      onDelete: (p) => this.podDeleted(p),
    });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    // every in-flight request listens on the term's signal; many run concurrently
    setMaxListeners(Math.max(getMaxListeners(signal), 1000), signal);
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    if (!(await this.owners.waitForSync(signal)) || !(await this.pods.waitForSync(signal))) return;
    const workers = this.opts.workers ?? 5;
    this.log.info({ workers }, `${this.name} controller started`);
    await runWorkers(this.queue, workers, (key) => this.reconcile(key), this.log);
    this.log.info(`${this.name} controller stopped`);
  }

  // ---- handlers ----------------------------------------------------------------------------

  private enqueue(owner: KubeObject): void {
    this.queue.add(objectKey(owner));
  }

  /** The owner of our kind a controllerRef points to, if it is in the cache with that uid. */
  private resolveOwner(pod: KubeObject, ref = getControllerOf(pod)): KubeObject | undefined {
    if (!ref || ref.kind !== this.kind.kind || groupOf(ref.apiVersion) !== this.kind.ref.group) return undefined;
    const owner = this.owners.get(keyFor(pod.metadata.namespace, ref.name));
    return owner && owner.metadata.uid === ref.uid ? owner : undefined;
  }

  /** Owners in the pod's namespace whose selector matches it (for orphans). */
  private matchingOwners(pod: KubeObject): KubeObject[] {
    const ns = pod.metadata.namespace;
    return this.owners.list().filter((o) => o.metadata.namespace === ns && !!this.kind.selector(o)?.matches(pod.metadata.labels));
  }

  private podAdded(pod: KubeObject): void {
    if (pod.metadata.deletionTimestamp) {
      this.podDeleted(pod);
      return;
    }
    const ref = getControllerOf(pod);
    if (ref) {
      const owner = this.resolveOwner(pod, ref);
      if (!owner) return;
      const key = objectKey(owner);
      this.expectations.creationObserved(key);
      this.queue.add(key);
      return;
    }
    for (const o of this.matchingOwners(pod)) this.enqueue(o);
  }

  private podUpdated(old: KubeObject, cur: KubeObject): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return; // periodic resync: owners resync themselves
    const labelsChanged = !sameLabels(old.metadata.labels, cur.metadata.labels);
    if (cur.metadata.deletionTimestamp) {
      this.podDeleted(cur);
      if (labelsChanged) this.podDeleted(old);
      return;
    }
    const oldRef = getControllerOf(old);
    const curRef = getControllerOf(cur);
    const refChanged = oldRef?.uid !== curRef?.uid;
    if (refChanged && oldRef) {
      const prev = this.resolveOwner(old, oldRef);
      if (prev) this.enqueue(prev);
    }
    if (curRef) {
      const owner = this.resolveOwner(cur, curRef);
      if (!owner) return;
      this.enqueue(owner);
      const minReady = Number(owner.spec?.minReadySeconds ?? 0) || 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(objectKey(owner), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const o of this.matchingOwners(cur)) this.enqueue(o);
  }

  private podDeleted(pod: KubeObject): void {
    const owner = this.resolveOwner(pod);
    if (!owner) return;
    const key = objectKey(owner);
    this.expectations.deletionObserved(key, objectKey(pod));
    this.queue.add(key);
  }

  // ---- reconcile ---------------------------------------------------------------------------

  async reconcile(key: string): Promise<void> {
    const owner = this.owners.get(key);
    if (!owner) {
      this.expectations.delete(key);
      return;
    }
    const needsSync = this.expectations.satisfied(key);
    const selector = this.kind.selector(owner);
    const { namespace } = splitKey(key);
    const active = selector ? this.pods.list().filter((p) => p.metadata.namespace === namespace && isPodActive(p)) : [];
    const pods = selector ? await claim({
      client: this.opts.client, owner, ownerApiVersion: this.kind.apiVersion, ownerKind: this.kind.kind, ref: Resources.pods,
      candidates: active, matches: (p) => selector.matches(p.metadata.labels), recheckOwner: () => this.recheckOwner(owner), signal: this.signal,
    }) : [];

    let manageError: Error | undefined;
    // the apiserver validates both; without them every pod created would go unclaimed and
    // each sync would create more
    const manageable = !!selector && selector.matches(owner.spec?.template?.metadata?.labels);
    if (!manageable) this.log.warn({ owner: key }, 'invalid selector, or the template labels do not match it; not managing replicas');
    if (manageable && needsSync && !owner.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(key, owner, pods);
      } catch (e) {
        manageError = e as Error;
      }
    }

    const updated = await this.writeStatus(owner, calculateStatus(owner, pods, manageError, this.now()));
    const minReady = Number(updated.spec?.minReadySeconds ?? 0) || 0;
    if (!manageError && minReady > 0 && updated.status?.readyReplicas === pods.length && (updated.status?.availableReplicas ?? 0) !== pods.length) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageError) throw manageError;
  }

  /** Live re-read before adopting: the owner must still exist with this uid and not be deleting. */
  private async recheckOwner(owner: KubeObject): Promise<boolean> {
    try {
      const fresh = await this.opts.client.get(this.kind.ref, owner.metadata.namespace, owner.metadata.name!, this.signal);
      return fresh.metadata.uid === owner.metadata.uid && !fresh.metadata.deletionTimestamp;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  private async manageReplicas(key: string, owner: KubeObject, pods: KubeObject[]): Promise<void> {
    const want = Math.max(0, Number(owner.spec?.replicas ?? 1) || 0);
    const burst = this.opts.burstReplicas ?? BURST_REPLICAS;
    let diff = pods.length - want;
    if (diff < 0) {
      diff = Math.min(-diff, burst);
      this.expectations.expectCreations(key, diff);
      this.log.debug({ owner: key, need: want, creating: diff }, 'too few replicas');
      const { successes, error } = await slowStartBatch(diff, 1, () => this.createPod(owner));
      // creates never issued (a batch failed) will never be observed: give them back
      for (let skipped = diff - successes; skipped > 0; skipped--) this.expectations.creationObserved(key);
      if (error) throw error;
      return;
    }
    if (diff > 0) {
      diff = Math.min(diff, burst);
      const victims = podsToDelete(pods, this.relatedPods(owner, pods), diff, this.now());
      this.expectations.expectDeletions(key, victims.map((p) => objectKey(p)));
      this.log.debug({ owner: key, need: want, deleting: diff }, 'too many replicas');
      const errors: Error[] = [];
      await Promise.all(victims.map(async (pod) => {
        try {
          await this.opts.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, undefined, this.signal);
          this.opts.recorder.record(owner, 'Normal', 'SuccessfulDelete', `Deleted pod: ${pod.metadata.name}`);
        } catch (e) {
          if (isNotFound(e)) return; // already gone: its delete event arrives anyway
          this.expectations.deletionObserved(key, objectKey(pod));
          this.opts.recorder.record(owner, 'Warning', 'FailedDelete', `Error deleting: ${(e as Error).message}`);
          errors.push(e as Error);
        }
      }));
      if (errors.length) throw errors[0]!;
    }
  }

  private async createPod(owner: KubeObject): Promise<void> {
    const pod = podFromTemplate(owner, this.kind.apiVersion, this.kind.kind);
    try {
      const created = await this.opts.client.create(Resources.pods, pod, { namespace: owner.metadata.namespace });
      this.opts.recorder.record(owner, 'Normal', 'SuccessfulCreate', `Created pod: ${created.metadata.name}`);
    } catch (e) {
      if (namespaceTerminating(e)) return; // upstream: no event, not an error
      if (isStatusError(e) && e.status.reason === 'Timeout') return; // created; initialization timed out
      this.opts.recorder.record(owner, 'Warning', 'FailedCreate', `Error creating: ${(e as Error).message}`);
      throw e;
    }
  }

  /**
   * Pods that count for the "doubled up" deletion rank: ours plus, when the owner itself has a
   * controller (a Deployment), the active pods of its sibling owners (upstream
   * getIndirectlyRelatedPods).
   */
  private relatedPods(owner: KubeObject, pods: KubeObject[]): KubeObject[] {
    const parent = getControllerOf(owner);
    if (!parent) return pods;
    const ns = owner.metadata.namespace;
    const siblings = new Set(this.owners.list()
      .filter((o) => o.metadata.namespace === ns && getControllerOf(o)?.uid === parent.uid)
      .map((o) => o.metadata.uid));
    return this.pods.list().filter((p) => p.metadata.namespace === ns && isPodActive(p) && siblings.has(getControllerOf(p)?.uid));
  }

  /** Writes the status when it changed; returns the latest owner. Conflicts retry once on a fresh copy. */
  private async writeStatus(owner: KubeObject, status: ReturnType<typeof calculateStatus>): Promise<KubeObject> {
    let cur = owner;
    for (let attempt = 0; ; attempt++) {
      if (statusUnchanged(cur, status)) return cur;
      try {
        return await this.opts.client.updateStatus(this.kind.ref, { ...cur, status }, { signal: this.signal });
      } catch (e) {
        if (isNotFound(e)) return cur;
        if (!isConflict(e) || attempt >= 1) throw e;
        try {
          cur = await this.opts.client.get(this.kind.ref, owner.metadata.namespace, owner.metadata.name!, this.signal);
        } catch (g) {
          if (isNotFound(g)) return owner;
          throw g;
        }
        if (cur.metadata.uid !== owner.metadata.uid) return owner;
      }
    }
  }
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

function sameLabels(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  if (ka.length !== Object.keys(b ?? {}).length) return false;
  return ka.every((k) => a![k] === b?.[k]);
}

function namespaceTerminating(e: unknown): boolean {
  if (!isStatusError(e)) return false;
  return !!e.status.details?.causes?.some((c) => c.reason === 'NamespaceTerminating')
    || (e.status.code === 403 && /because it is being terminated/.test(e.status.message ?? ''));
}
