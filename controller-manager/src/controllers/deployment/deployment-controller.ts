// Deployment controller (upstream pkg/controller/deployment): Deployments → ReplicaSets.
//
// reconcile(namespace/name), fed by Deployment, ReplicaSet and Pod informers + a workqueue:
//   1. not in the cache → nothing (the garbage collector removes its ReplicaSets).
//   2. an empty selector → Warning SelectingAll, observedGeneration only; an invalid one →
//      Warning InvalidSelector; neither is retried until the Deployment changes.
//   3. claim ReplicaSets: the namespace's ReplicaSets matching the selector are adopted
//      (orphans) or released (no longer matching) through common/controller-ref.ts.
//   4. being deleted → status only. Then Progressing=DeploymentPaused/Resumed bookkeeping;
//      paused → scale only (sync.ts); deprecated.deployment.rollback.to → rollback.ts; a
//      replicas change (desired-replicas annotation mismatch) → proportional scale (sync.ts);
//      else the strategy: rolling.ts or recreate.ts.
//   5. API errors throw: runWorkers retries with per-key backoff. Write conflicts (a cache
//      that has not caught up with the controller's own last write, or a concurrent user
//      change) and hash collisions are expected: they are retried quietly with this
//      controller's own per-key backoff (10 ms doubling to 5 s). Objects the controller
//      cannot act on (unsupported strategy, malformed maxSurge) get a Warning event and are
//      not retried until they change.
// Event handlers only enqueue: a ReplicaSet's controlling Deployment (or, for orphans, every
// Deployment whose selector matches it), and on pod deletion the Deployment of the pod's
// ReplicaSet (Recreate waits for old pods to be gone).
// Not handled: the DeploymentReplicaSetTerminatingReplicas feature (status.terminatingReplicas),
// metrics.
import {
  isAlreadyExists, isConflict, isNotFound, keyFor, labelSelectorMatcher, objectKey, Resources, runWorkers, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type LabelMatcher, type Logger,
} from '@k8ts/shared';
import { claim, getControllerOf } from '../common/controller-ref.js';
import type { Controller } from '../types.js';
import { getRollbackTo } from './annotations.js';
import { recordEvent, updateDeploymentStatus, type SyncContext } from './context.js';
import { rolloutRecreate, type PodMap } from './recreate.js';
import { rollback } from './rollback.js';
import { rolloutRolling } from './rolling.js';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync.js';
import { DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND, type Deployment, type ReplicaSet } from './types.js';

export interface DeploymentControllerOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  /** Concurrent reconciles (--concurrent-deployment-syncs); default 5. */
  workers?: number;
  now?: () => number;
}

/** Thrown-and-caught marker: the object is unusable as written; do not retry until it changes. */
class UnprocessableDeployment extends Error {
  constructor(readonly reason: string, message: string) { super(message); }
}

export class DeploymentController implements Controller {
  readonly name = 'deployment';
  readonly queue = new WorkQueue<string>({ name: 'deployment' });
  private readonly dInformer: Informer<Deployment>;
  private readonly rsInformer: Informer<ReplicaSet>;
  private readonly podInformer: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  private signal: AbortSignal = new AbortController().signal;
  /** Consecutive quiet retries (conflicts, collisions) per key. */
  private readonly quietRetries = new Map<string, number>();

  constructor(private readonly opts: DeploymentControllerOptions) {
    this.log = opts.logger.child({ controller: 'deployment' });
    this.now = opts.now ?? Date.now;
    this.dInformer = opts.informers.forResource<Deployment>(Resources.deployments);
    this.rsInformer = opts.informers.forResource<ReplicaSet>(Resources.replicasets);
    this.podInformer = opts.informers.forResource(Resources.pods);

    this.dInformer.addEventHandler({
      onAdd: (d) => this.enqueue(d),
      onUpdate: (_old, d) => this.enqueue(d),
      onDelete: (d) => this.enqueue(d),
    });
    this.rsInformer.addEventHandler({
      onAdd: (rs) => this.onReplicaSetAdd(rs),
      onUpdate: (old, cur) => this.onReplicaSetUpdate(old, cur),
      onDelete: (rs) => this.onReplicaSetDelete(rs),
    });
    this.podInformer.addEventHandler({ onDelete: (pod) => this.onPodDelete(pod) });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all([this.dInformer, this.rsInformer, this.podInformer].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    const workers = this.opts.workers ?? 5;
    this.log.info({ workers }, 'deployment controller started');
    await runWorkers(this.queue, workers, (key) => this.reconcile(key), this.log);
    this.log.info('deployment controller stopped');
  }

  // ---- event handlers (enqueue only) ---------------------------------------------------------

  private enqueue(d: KubeObject): void {
    this.queue.add(objectKey(d));
  }

  private resolveControllerRef(namespace: string | undefined, ref: ReturnType<typeof getControllerOf>): Deployment | undefined {
    if (!ref || ref.kind !== DEPLOYMENT_KIND || !ref.apiVersion?.startsWith('apps/')) return undefined;
    const d = this.dInformer.get(keyFor(namespace, ref.name));
    return d && d.metadata.uid === ref.uid ? d : undefined;
  }

  /** Deployments in the ReplicaSet's namespace whose (non-empty, valid) selector matches it. */
  private deploymentsForReplicaSet(rs: ReplicaSet): Deployment[] {
    return this.dInformer.list().filter((d) => {
      if (d.metadata.namespace !== rs.metadata.namespace || !d.spec?.selector) return false;
      try {
        const m = labelSelectorMatcher(d.spec.selector);
        return !m.empty && m.matches(rs.metadata.labels);
      } catch {
        return false;
      }
    });
  }

  private onReplicaSetAdd(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.onReplicaSetDelete(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace, ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsForReplicaSet(rs)) this.enqueue(d);
  }

  private onReplicaSetUpdate(old: ReplicaSet, cur: ReplicaSet): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return; // resync: Deployments resync themselves
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = curRef?.uid !== oldRef?.uid;
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata.namespace, oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata.namespace, curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(old.metadata.labels ?? {}) !== JSON.stringify(cur.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsForReplicaSet(cur)) this.enqueue(d);
  }

  private onReplicaSetDelete(rs: ReplicaSet): void {
    const d = this.resolveControllerRef(rs.metadata.namespace, getControllerOf(rs));
    if (d) this.enqueue(d);
  }

  private onPodDelete(pod: KubeObject): void {
    const ref = getControllerOf(pod);
    if (!ref || ref.kind !== 'ReplicaSet') return;
    const rs = this.rsInformer.get(keyFor(pod.metadata.namespace, ref.name));
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const d = this.resolveControllerRef(rs.metadata.namespace, getControllerOf(rs));
    if (d && d.spec?.strategy?.type === 'Recreate') this.enqueue(d);
  }

  // ---- reconcile -------------------------------------------------------------------------------

  private syncContext(): SyncContext {
    return {
      client: this.opts.client,
      recorder: this.opts.recorder,
      log: this.log,
      signal: this.signal,
      now: this.now,
      enqueueAfter: (d, ms) => this.queue.addAfter(objectKey(d), ms),
      enqueueRateLimited: (d) => this.queue.addRateLimited(objectKey(d)),
    };
  }

  async reconcile(key: string): Promise<void> {
    const cached = this.dInformer.get(key);
    if (!cached) { this.quietRetries.delete(key); return; }
    const d = structuredClone(cached) as Deployment;
    d.apiVersion ??= DEPLOYMENT_API_VERSION;
    d.kind ??= DEPLOYMENT_KIND;
    d.spec ??= {};
    const ctx = this.syncContext();
    try {
      await this.syncDeployment(ctx, d);
      this.quietRetries.delete(key);
    } catch (e) {
      if ((isConflict(e) || isAlreadyExists(e)) && !this.signal.aborted) {
        const n = this.quietRetries.get(key) ?? 0;
        this.quietRetries.set(key, n + 1);
        const delay = Math.min(5_000, 10 * 2 ** n);
        this.log.debug({ deployment: key, err: (e as Error).message, retryInMs: delay }, 'write conflict; retrying');
        this.queue.addAfter(key, delay);
        return;
      }
      this.quietRetries.delete(key);
      if (e instanceof UnprocessableDeployment) {
        recordEvent(ctx, d, 'Warning', e.reason, e.message);
        this.log.warn({ deployment: key, reason: e.reason, err: e.message }, 'cannot act on deployment until it changes');
        return;
      }
      throw e;
    }
  }

  private async syncDeployment(ctx: SyncContext, d: Deployment): Promise<void> {
    const selector = d.spec.selector;
    if (!selector || (Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0)) {
      recordEvent(ctx, d, 'Warning', 'SelectingAll', 'This deployment is selecting all pods. A non-empty selector is required.');
      if ((d.status?.observedGeneration ?? 0) < (d.metadata.generation ?? 0)) {
        (d.status ??= {}).observedGeneration = d.metadata.generation;
        await updateDeploymentStatus(ctx, d);
      }
      return;
    }
    let matcher: LabelMatcher;
    try {
      matcher = labelSelectorMatcher(selector);
    } catch (e) {
      throw new UnprocessableDeployment('InvalidSelector', `deployment ${d.metadata.namespace}/${d.metadata.name} has invalid label selector: ${(e as Error).message}`);
    }
    const strategy = d.spec.strategy?.type;
    if (strategy !== 'RollingUpdate' && strategy !== 'Recreate') {
      throw new UnprocessableDeployment('UnsupportedStrategy', `unexpected deployment strategy type: ${String(strategy)}`);
    }

    const rsList = await this.getReplicaSetsForDeployment(d, matcher);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(ctx, d, rsList);
    try {
      await checkPausedConditions(ctx, d);
      if (d.spec.paused) return await sync(ctx, d, rsList);
      const rollbackTo = getRollbackTo(d);
      if (rollbackTo !== undefined) return await rollback(ctx, d, rsList, rollbackTo);
      if (await isScalingEvent(ctx, d, rsList)) return await sync(ctx, d, rsList);
      if (strategy === 'Recreate') return await rolloutRecreate(ctx, d, rsList, this.podMapFor(d, rsList));
      return await rolloutRolling(ctx, d, rsList);
    } catch (e) {
      if (e instanceof Error && /IntOrString/.test(e.message)) throw new UnprocessableDeployment('InvalidStrategy', e.message);
      throw e;
    }
  }

  /** Claims (adopts / releases) the namespace's ReplicaSets for `d`; returns those it controls. */
  private async getReplicaSetsForDeployment(d: Deployment, matcher: LabelMatcher): Promise<ReplicaSet[]> {
    const candidates = this.rsInformer.list().filter((rs) => rs.metadata.namespace === d.metadata.namespace);
    return claim<ReplicaSet>({
      client: this.opts.client,
      owner: d,
      ownerApiVersion: DEPLOYMENT_API_VERSION,
      ownerKind: DEPLOYMENT_KIND,
      ref: Resources.replicasets,
      candidates,
      matches: (rs) => matcher.matches(rs.metadata.labels),
      recheckOwner: async () => {
        try {
          const fresh = await this.opts.client.get<Deployment>(Resources.deployments, d.metadata.namespace, d.metadata.name!, this.signal);
          return fresh.metadata.uid === d.metadata.uid && !fresh.metadata.deletionTimestamp;
        } catch (e) {
          if (isNotFound(e)) return false;
          throw e;
        }
      },
      signal: this.signal,
    });
  }

  /** Pods controlled by the Deployment's ReplicaSets, by ReplicaSet uid. */
  private podMapFor(d: Deployment, rsList: ReplicaSet[]): PodMap {
    const map: PodMap = new Map();
    for (const rs of rsList) map.set(rs.metadata.uid!, []);
    for (const pod of this.podInformer.list()) {
      if (pod.metadata.namespace !== d.metadata.namespace) continue;
      const ref = getControllerOf(pod);
      if (ref && map.has(ref.uid)) map.get(ref.uid)!.push(pod);
    }
    return map;
  }
}
