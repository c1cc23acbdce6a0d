// Taint eviction controller (upstream NoExecuteTaintManager, since 1.29 its own controller
// `taint-eviction-controller`): deletes pods from nodes with NoExecute taints they do not
// tolerate.
//
// reconcile(ns/name of a pod), fed by Pod and Node informers (a node's NoExecute taints
// changing enqueues every pod bound to it):
//   - pod gone, unbound, already terminating, or its node unknown → nothing (a scheduled
//     eviction is forgotten).
//   - some NoExecute taint not tolerated by any toleration → evict now.
//   - all tolerated: each taint's matching toleration (the first, as upstream) gives a
//     deadline = the taint's timeAdded (or when this controller first saw the taint) +
//     tolerationSeconds (<= 0 means now); no tolerationSeconds means forever. The earliest
//     deadline passed → evict; in the future → re-check then (queue.addAfter); all forever →
//     nothing. A taint removed before the deadline cancels the eviction (Event
//     TaintManagerEviction "Cancelling deletion of Pod ns/name").
//   - evict = Event TaintManagerEviction "Marking for deletion Pod ns/name", a
//     DisruptionTarget condition on the pod status (best effort), then DELETE with the pod's
//     own grace period (the kubelet finishes it; a 404 is success).
// Not handled: upstream's per-node worker pools and the pod-deletion rate limiter.
import {
  isNotFound, objectKey, Resources, runWorkers, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { rfc3339, toleratesTaint, type Taint, type Toleration } from '../nodelifecycle/taints.js';

export interface TaintEvictionOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  workers?: number;
  now?: () => number;
}

export type EvictionDecision = { kind: 'none' } | { kind: 'now' } | { kind: 'at'; at: number };

/**
 * Pure: what to do with a pod given its node's NoExecute taints. `since(taint)` is when the
 * taint started counting (its timeAdded, or first observation).
 */
export function evictionDecision(taints: readonly Taint[], tolerations: readonly Toleration[], since: (t: Taint) => number): EvictionDecision {
  let at = Infinity;
  for (const taint of taints) {
    const tol = tolerations.find((t) => toleratesTaint(t, taint));
    if (!tol) return { kind: 'now' };
    if (typeof tol.tolerationSeconds !== 'number') continue;
    if (tol.tolerationSeconds <= 0) return { kind: 'now' };
    at = Math.min(at, since(taint) + tol.tolerationSeconds * 1000);
  }
  return at === Infinity ? { kind: 'none' } : { kind: 'at', at };
}

export class TaintEvictionController implements Controller {
  readonly name = 'taint-eviction-controller';
  readonly queue = new WorkQueue<string>({ name: 'taint-eviction' });
  private readonly pods: Informer;
  private readonly nodes: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  /** node name → keys of pods bound to it */
  private readonly podsByNode = new Map<string, Set<string>>();
  /** `node|key|effect` → ms when a NoExecute taint without timeAdded was first seen */
  private readonly firstSeen = new Map<string, number>();
  /** pod key → scheduled eviction time */
  private readonly scheduled = new Map<string, number>();
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: TaintEvictionOptions) {
    this.log = opts.logger.child({ controller: 'taint-eviction-controller' });
    this.now = opts.now ?? Date.now;
    this.pods = opts.informers.forResource(Resources.pods);
    this.nodes = opts.informers.forResource(Resources.nodes);
    this.pods.addEventHandler({
      onAdd: (p) => this.indexPod(p),
      onUpdate: (o, p) => { if (o.spec?.nodeName !== p.spec?.nodeName) this.unindexPod(o); this.indexPod(p); },
      onDelete: (p) => { this.unindexPod(p); this.scheduled.delete(objectKey(p)); },
    });
    this.nodes.addEventHandler({
      onAdd: (n) => this.nodeChanged(n),
      onUpdate: (o, n) => { if (o === n || noExecuteSignature(o) !== noExecuteSignature(n)) this.nodeChanged(n); },
      onDelete: (n) => this.forgetTaints(n.metadata.name!, []),
    });
  }

  private indexPod(p: KubeObject): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    const key = objectKey(p);
    let set = this.podsByNode.get(node);
    if (!set) this.podsByNode.set(node, set = new Set());
    set.add(key);
    this.queue.add(key);
  }

  private unindexPod(p: KubeObject): void {
    const node = p.spec?.nodeName;
    if (!node) return;
    const set = this.podsByNode.get(node);
    set?.delete(objectKey(p));
    if (set && set.size === 0) this.podsByNode.delete(node);
  }

  private nodeChanged(n: KubeObject): void {
    const name = n.metadata.name!;
    const taints = noExecuteTaints(n);
    this.forgetTaints(name, taints);
    const now = this.now();
    for (const t of taints) {
      const k = `${name}|${t.key}|${t.effect}`;
      if (!this.firstSeen.has(k)) this.firstSeen.set(k, now);
    }
    for (const key of this.podsByNode.get(name) ?? []) this.queue.add(key);
  }

  private forgetTaints(node: string, keep: Taint[]): void {
    for (const k of [...this.firstSeen.keys()]) {
      const [n, key, effect] = k.split('|');
      if (n === node && !keep.some((t) => t.key === key && t.effect === effect)) this.firstSeen.delete(k);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all([this.pods, this.nodes].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.log.info('taint eviction controller started');
    await runWorkers(this.queue, this.opts.workers ?? 4, (key) => this.reconcile(key), this.log);
  }

  async reconcile(key: string): Promise<void> {
    const pod = this.pods.get(key);
    const nodeName = pod?.spec?.nodeName;
    const node = nodeName ? this.nodes.get(nodeName) : undefined;
    if (!pod || !node || pod.metadata.deletionTimestamp) { this.scheduled.delete(key); return; }
    const taints = noExecuteTaints(node);
    const tolerations: Toleration[] = Array.isArray(pod.spec?.tolerations) ? pod.spec.tolerations : [];
    const now = this.now();
    const decision = evictionDecision(taints, tolerations, (t) => this.since(nodeName!, t, now));
    if (decision.kind === 'none') {
      if (this.scheduled.delete(key)) {
        this.opts.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Cancelling deletion of Pod ${key}`);
      }
      return;
    }
    if (decision.kind === 'at' && decision.at > now) {
      this.scheduled.set(key, decision.at);
      this.queue.addAfter(key, decision.at - now);
      return;
    }
    await this.evict(pod, key);
  }

  private since(node: string, t: Taint, now: number): number {
    const added = Date.parse(t.timeAdded ?? '');
    if (Number.isFinite(added)) return added;
    const k = `${node}|${t.key}|${t.effect}`;
    if (!this.firstSeen.has(k)) this.firstSeen.set(k, now);
    return this.firstSeen.get(k)!;
  }

  private async evict(pod: KubeObject, key: string): Promise<void> {
    this.scheduled.delete(key);
    this.opts.recorder.record(pod, 'Normal', 'TaintManagerEviction', `Marking for deletion Pod ${key}`);
    this.log.info({ pod: key, node: pod.spec?.nodeName }, 'evicting pod from a NoExecute-tainted node');
    const { client } = this.opts;
    try {
      const conditions = (Array.isArray(pod.status?.conditions) ? pod.status.conditions : []).filter((c: any) => c?.type !== 'DisruptionTarget');
      conditions.push({
        type: 'DisruptionTarget', status: 'True', reason: 'DeletionByTaintManager',
        message: 'Taint manager: deleting due to NoExecute taint', lastTransitionTime: rfc3339(this.now()),
      });
      await client.updateStatus(Resources.pods, { ...pod, status: { ...pod.status, conditions } }, { signal: this.signal });
    } catch (e) {
      if (isNotFound(e)) return;
      if (this.signal.aborted) throw e;
      this.log.debug({ err: e, pod: key }, 'could not add the DisruptionTarget condition; deleting anyway');
    }
    try {
      await client.delete(Resources.pods, pod.metadata.namespace, pod.metadata.name!, undefined, this.signal);
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}

function noExecuteTaints(node: KubeObject): Taint[] {
  return (Array.isArray(node.spec?.taints) ? node.spec.taints : []).filter((t: Taint) => t?.effect === 'NoExecute');
}

const noExecuteSignature = (n: KubeObject): string => JSON.stringify(noExecuteTaints(n));
