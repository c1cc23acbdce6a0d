// One leadership term of the scheduler: informers (nodes, unassigned pods, assigned pods)
// feed the cache and the queue; a single scheduling loop pops a pod, runs the framework
// synchronously over the cache, assumes the chosen node and starts the bind in the
// background (at most `bindConcurrency` binds in flight), so throughput is not one round
// trip per pod.
//
// Outcomes of one attempt:
// - fits:           assume → POST pods/{name}/binding (with the pod's uid) → Normal `Scheduled`
//                   "Successfully assigned <ns>/<pod> to <node>". Bind failure: forget the
//                   assumption, Warning `FailedScheduling` "Binding rejected: …", backoffQ —
//                   unless the pod is gone or already bound (then dropped).
// - fits nowhere:   PodScheduled=False/Unschedulable with the FitError message (pods/status
//                   patch), Warning `FailedScheduling` with the same message, unschedulable queue.
// - bad pod spec:   PodScheduled=False/SchedulerError and a Warning event; waits in the
//                   unschedulable queue for an update of the pod (or the 5 min flush).
// The loop yields to the event loop at least every `yieldEveryMs` so informer events and bind
// responses are handled while a backlog is scheduled. run() resolves after `signal` aborts and
// in-flight binds settled. Nothing here throws out of run(): failures are logged and retried.
import { performance } from 'node:perf_hooks';
import type { ApiClient, EventRecorder, KubeObject, Logger } from '@k8ts/shared';
import { InformerFactory, isConflict, isNotFound, Resources, realClock, type Clock } from '@k8ts/shared';
import { SchedulerCache } from './cache/scheduler-cache.js';
import { assignedPodHandlers, nodeHandlers, unassignedPodHandlers, ASSIGNED_POD_DELETE, isTerminating } from './event-handlers.js';
import { FitError, Framework } from './framework/framework.js';
import { newPodInfo, type PodInfo } from './framework/pod-info.js';
import type { FilterPlugin, ScorePlugin } from './framework/types.js';
import type { SchedulerMetrics } from './metrics.js';
import { patchPodScheduledFalse } from './pod-status.js';
import { DEFAULT_FILTERS, DEFAULT_SCORES } from './plugins/index.js';
import { SchedulingQueue, type QueuedPodInfo, type SchedulingQueueOptions } from './queue/scheduling-queue.js';

export interface SchedulingLoopOptions {
  client: ApiClient;
  logger: Logger;
  recorder: EventRecorder;
  metrics: SchedulerMetrics;
  schedulerName: string;
  /** Binds in flight at once; default 64 (bind throughput is about this / the bind round trip; see docs/BENCHMARKS.md). */
  bindConcurrency?: number;
  percentageOfNodesToScore?: number;
  filters?: readonly FilterPlugin[];
  scores?: readonly ScorePlugin[];
  queue?: SchedulingQueueOptions;
  clock?: Clock;
  random?: () => number;
  yieldEveryMs?: number;
  /** Informer resync; default none. */
  resyncMs?: number;
}

const UNASSIGNED = 'spec.nodeName=,status.phase!=Succeeded,status.phase!=Failed';
const ASSIGNED = 'spec.nodeName!=,status.phase!=Succeeded,status.phase!=Failed';

export class SchedulingLoop {
  readonly cache = new SchedulerCache();
  readonly queue: SchedulingQueue;
  private readonly framework: Framework;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly bindConcurrency: number;
  private inFlightBinds = 0;
  private slotWaiter: (() => void) | undefined;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly opts: SchedulingLoopOptions) {
    this.log = opts.logger;
    this.clock = opts.clock ?? realClock;
    this.queue = new SchedulingQueue({ clock: this.clock, ...opts.queue });
    this.framework = new Framework({
      filters: opts.filters ?? DEFAULT_FILTERS, scores: opts.scores ?? DEFAULT_SCORES,
      percentageOfNodesToScore: opts.percentageOfNodesToScore, random: opts.random,
    });
    this.bindConcurrency = Math.max(1, opts.bindConcurrency ?? 64);
  }

  async run(signal: AbortSignal): Promise<void> {
    const { client, logger } = this.opts;
    const informers = new InformerFactory({ client, logger, resyncMs: this.opts.resyncMs ?? 0 });
    const targets = { cache: this.cache, queue: this.queue, schedulerName: this.opts.schedulerName };
    informers.forResource(Resources.nodes).addEventHandler(nodeHandlers(targets));
    informers.forResource(Resources.pods, { fieldSelector: ASSIGNED }).addEventHandler(assignedPodHandlers(targets));
    informers.forResource(Resources.pods, { fieldSelector: UNASSIGNED }).addEventHandler(unassignedPodHandlers(targets));
    const onAbort = (): void => this.queue.close();
    signal.addEventListener('abort', onAbort, { once: true });
    this.opts.metrics.setPendingSource(() => this.queue.pendingCounts());
    try {
      informers.start();
      if (!(await informers.waitForSync(signal))) return;
      this.log.info({ nodes: this.cache.nodeList().length, pending: this.queue.pendingCounts() }, 'caches synced; scheduling');
      this.queue.run();
      await this.loop(signal);
    } catch (e) {
      this.log.error({ err: e }, 'scheduling loop failed');
    } finally {
      this.queue.close();
      signal.removeEventListener('abort', onAbort);
      await this.bindsSettled();
      await informers.stop();
    }
  }

  private async loop(signal: AbortSignal): Promise<void> {
    const yieldEvery = this.opts.yieldEveryMs ?? 5;
    let sliceStart = performance.now();
    while (!signal.aborted) {
      if (this.inFlightBinds >= this.bindConcurrency) {
        await new Promise<void>((r) => (this.slotWaiter = r));
        continue;
      }
      let q = this.queue.tryPop();
      if (!q) {
        q = await this.queue.pop();
        sliceStart = performance.now();
        if (!q) break;
      }
      try {
        this.scheduleOne(q);
      } catch (e) {
        this.log.error({ err: e, pod: q.key }, 'scheduling attempt failed');
        this.queue.addUnschedulable(q, false);
      }
      if (performance.now() - sliceStart >= yieldEvery) {
        await new Promise<void>((r) => setImmediate(r));
        sliceStart = performance.now();
      }
    }
  }

  /** Pods wait to be scheduled or binds are in flight: the scheduler's events wait meanwhile
   *  (EventRecorder deferWhile), so their writes do not slow the binds down. */
  busy(): boolean {
    return this.inFlightBinds > 0 || this.queue.pendingCounts().active > 0;
  }

  /** One synchronous scheduling cycle; the bind continues in the background. */
  scheduleOne(q: QueuedPodInfo): void {
    const start = performance.now();
    const pod = q.pod;
    if (pod.spec?.nodeName || isTerminating(pod) || this.cache.hasPodInstance(pod)) {
      this.queue.done(q.key);
      return;
    }
    const info = newPodInfo(pod);
    if (info.error) {
      this.opts.metrics.observeAttempt('error', (performance.now() - start) / 1000);
      q.unschedulablePlugins = new Set(['PodSpec']);
      this.queue.addUnschedulable(q, true);
      this.reportFailure(pod, 'SchedulerError', info.error);
      return;
    }
    const result = this.framework.schedule(info, this.cache.nodeList());
    if (result instanceof FitError) {
      this.opts.metrics.observeAttempt('unschedulable', (performance.now() - start) / 1000);
      q.unschedulablePlugins = new Set(result.rejectingPlugins);
      this.queue.addUnschedulable(q, true);
      this.reportFailure(pod, 'Unschedulable', result.message());
      return;
    }
    this.opts.metrics.observeAlgorithm((performance.now() - start) / 1000);
    this.cache.assumePod(info, result.node);
    this.inFlightBinds++;
    void this.bind(q, info, result.node, start).finally(() => {
      this.inFlightBinds--;
      const w = this.slotWaiter;
      this.slotWaiter = undefined;
      w?.();
      if (this.inFlightBinds === 0) for (const r of this.idleWaiters.splice(0)) r();
    });
  }

  private async bind(q: QueuedPodInfo, info: PodInfo, node: string, start: number): Promise<void> {
    const pod = info.pod;
    const { namespace, name, uid } = pod.metadata;
    try {
      await this.opts.client.createSubresource(Resources.pods, namespace, name!, 'binding', {
        apiVersion: 'v1', kind: 'Binding',
        metadata: { name, namespace, ...(uid ? { uid } : {}) },
        target: { apiVersion: 'v1', kind: 'Node', name: node },
      });
      this.cache.finishBinding(info.key);
      this.queue.done(q.key);
      this.opts.metrics.observeAttempt('scheduled', (performance.now() - start) / 1000);
      this.opts.recorder.record(pod, 'Normal', 'Scheduled', `Successfully assigned ${namespace}/${name} to ${node}`);
    } catch (e) {
      this.cache.forgetPod(info.key);
      this.queue.moveAllToActiveOrBackoff(ASSIGNED_POD_DELETE);
      if (isNotFound(e) || (isConflict(e) && /already assigned|being deleted|UID/.test(String((e as Error).message)))) {
        this.log.debug({ pod: q.key, err: e }, 'pod gone or already bound; dropping');
        this.queue.done(q.key);
        return;
      }
      this.opts.metrics.observeAttempt('error', (performance.now() - start) / 1000);
      this.log.warn({ pod: q.key, node, err: e }, 'binding failed; retrying after backoff');
      this.opts.recorder.record(pod, 'Warning', 'FailedScheduling', `Binding rejected: ${(e as Error).message}`);
      this.queue.addUnschedulable(q, false);
    }
  }

  private reportFailure(pod: KubeObject, reason: 'Unschedulable' | 'SchedulerError', message: string): void {
    this.opts.recorder.record(pod, 'Warning', 'FailedScheduling', message);
    patchPodScheduledFalse(this.opts.client, pod, reason, message, new Date(this.clock.now())).catch((e) => {
      if (!isNotFound(e)) this.log.warn({ err: e, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'failed to update pod condition');
    });
  }

  private bindsSettled(): Promise<void> {
    if (this.inFlightBinds === 0) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }
}
