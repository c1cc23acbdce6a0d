// Pod garbage collector (upstream pkg/controller/podgc, --controllers name `podgc`). Every
// check period (upstream: 20 s) one reconcile pass over the pod and node caches:
//   1. terminated pods (phase Succeeded/Failed) beyond --terminated-pod-gc-threshold
//      (0 disables; default 12500): the surplus is deleted, evicted ones (status.reason
//      Evicted) first, then oldest first.
//   2. terminating pods on a node that is not Ready and carries the
//      node.kubernetes.io/out-of-service taint: force-deleted.
//   3. orphaned pods, bound to a node that no longer exists: a node missing from the cache is
//      quarantined (upstream: 40 s), then confirmed gone with a GET; its pods are marked Failed
//      with a DisruptionTarget condition (DeletionByPodGC) unless already terminal, then
//      force-deleted.
//   4. terminating pods that were never scheduled: force-deleted.
// "Force" = DELETE with gracePeriodSeconds 0 (gone at once, no kubelet needed). A 404 is
// success; any other failure fails the pass, which runWorkers retries with backoff (the
// periodic re-check is scheduled regardless). The pass is idempotent.
// Not handled: upstream's parallel delete workers and metrics.
import {
  isNotFound, Resources, runWorkers, WorkQueue,
  type ApiClient, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { getCondition, hasTaint, rfc3339, TAINT_OUT_OF_SERVICE } from '../nodelifecycle/taints.js';

const GC_KEY = 'gc';

export interface PodGCOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  /** --terminated-pod-gc-threshold; 0 disables the terminated-pod pass. Default 12500. */
  terminatedPodThreshold?: number;
  /** How often a pass runs; default 20 s. */
  checkPeriodMs?: number;
  /** How long a node must be missing before its pods count as orphaned; default 40 s. */
  quarantineMs?: number;
  now?: () => number;
}

export class PodGCController implements Controller {
  readonly name = 'podgc';
  readonly queue = new WorkQueue<string>({ name: 'podgc' });
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  /** node name → when it was first found missing */
  private readonly missingSince = new Map<string, number>();
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: PodGCOptions) {
    this.log = opts.logger.child({ controller: 'podgc' });
    this.now = opts.now ?? Date.now;
    this.pods = opts.informers.forResource(Resources.pods);
    this.nodes = opts.informers.forResource(Resources.nodes);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all([this.pods, this.nodes].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.log.info({ terminatedPodThreshold: this.threshold }, 'pod garbage collector started');
    this.queue.add(GC_KEY);
    await runWorkers(this.queue, 1, async () => {
      this.queue.addAfter(GC_KEY, this.opts.checkPeriodMs ?? 20_000);
      await this.reconcile();
    }, this.log);
  }

  private get threshold(): number { return this.opts.terminatedPodThreshold ?? 12_500; }

  async reconcile(): Promise<void> {
    const pods = this.pods.list();
    await this.gcTerminated(pods);
    await this.gcTerminatingOutOfService(pods);
    await this.gcOrphaned(pods);
    await this.gcUnscheduledTerminating(pods);
  }

  private async gcTerminated(pods: KubeObject[]): Promise<void> {
    if (this.threshold <= 0) return;
    const terminated = pods.filter(isTerminal);
    const surplus = terminated.length - this.threshold;
    if (surplus <= 0) return;
    terminated.sort((a, b) => (Number(b.status?.reason === 'Evicted') - Number(a.status?.reason === 'Evicted'))
      || String(a.metadata.creationTimestamp ?? '').localeCompare(String(b.metadata.creationTimestamp ?? '')));
    this.log.info({ terminated: terminated.length, threshold: this.threshold, deleting: surplus }, 'garbage collecting terminated pods');
    for (const pod of terminated.slice(0, surplus)) await this.forceDelete(pod);
  }

  private async gcTerminatingOutOfService(pods: KubeObject[]): Promise<void> {
    for (const pod of pods) {
      if (!pod.metadata.deletionTimestamp || !pod.spec?.nodeName) continue;
      const node = this.nodes.get(pod.spec.nodeName);
      if (!node || getCondition(node, 'Ready')?.status === 'True' || !hasTaint(node, TAINT_OUT_OF_SERVICE, 'NoExecute')) continue;
      await this.markFailedAndDelete(pod, 'PodGC: node is out of service');
    }
  }

  private async gcOrphaned(pods: KubeObject[]): Promise<void> {
    const now = this.now();
    const quarantine = this.opts.quarantineMs ?? 40_000;
    const missing = new Set<string>();
    for (const pod of pods) {
      const node = pod.spec?.nodeName;
      if (node && !this.nodes.get(node)) missing.add(node);
    }
    for (const n of [...this.missingSince.keys()]) if (!missing.has(n)) this.missingSince.delete(n);
    for (const node of missing) {
      if (!this.missingSince.has(node)) this.missingSince.set(node, now);
      if (now - this.missingSince.get(node)! < quarantine) continue;
      try {
        await this.opts.client.get(Resources.nodes, undefined, node, this.signal);
        this.missingSince.delete(node); // exists after all: the cache lags
        continue;
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      for (const pod of pods) {
        if (pod.spec?.nodeName !== node) continue;
        this.log.info({ pod: `${pod.metadata.namespace}/${pod.metadata.name}`, node }, 'forced deletion of orphaned pod');
        await this.markFailedAndDelete(pod, 'PodGC: node no longer exists');
      }
    }
  }

  private async gcUnscheduledTerminating(pods: KubeObject[]): Promise<void> {
    for (const pod of pods) {
      if (pod.metadata.deletionTimestamp && !pod.spec?.nodeName) await this.forceDelete(pod);
    }
  }

  /** upstream markFailedAndDeletePodWithCondition */
  private async markFailedAndDelete(pod: KubeObject, message: string): Promise<void> {
    if (!isTerminal(pod)) {
      const conditions = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).filter((c: any) => c?.type !== 'DisruptionTarget');
      conditions.push({ type: 'DisruptionTarget', status: 'True', reason: 'DeletionByPodGC', message, lastTransitionTime: rfc3339(this.now()) });
      try {
        await this.opts.client.updateStatus(Resources.pods, { ...pod, status: { ...pod.status, phase: 'Failed', conditions } }, { signal: this.signal });
      } catch (e) {
        if (isNotFound(e)) return;
        if (this.signal.aborted) throw e;
        this.log.debug({ err: e, pod: pod.metadata.name }, 'could not mark pod Failed; deleting anyway');
      }
    }
    await this.forceDelete(pod);
  }

  private async forceDelete(pod: KubeObject): Promise<void> {
    try {
      await this.opts.client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, { gracePeriodSeconds: 0 }, this.signal);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

function isTerminal(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
