// Namespace controller: deleting a namespace deletes everything in it, then the namespace
// (upstream pkg/controller/namespace). The apiserver turns a deleted namespace Terminating
// (deletionTimestamp + status.phase) and keeps it while spec.finalizers holds "kubernetes";
// this controller empties it and removes that finalizer through PUT .../finalize, after which
// the apiserver removes the namespace (once no metadata.finalizers remain).
//
// reconcile(name), fed by a namespace informer + workqueue:
//   1. not in the cache, not being deleted, or "kubernetes" already gone from spec.finalizers
//      → nothing to do. Otherwise read it fresh from the API (the cache may lag; 404 → done).
//   2. discover every namespaced resource (list + delete verbs) and delete all content
//      (content-deleter.ts); record the five upstream deletion conditions on the status when
//      they changed.
//   3. discovery or deletion errors → throw: runWorkers retries with per-key backoff.
//      Content remaining (pods terminating gracefully, finalizers) → re-check later:
//      500 ms doubling per consecutive round, up to 10 s (upstream polls every
//      estimate/2 + 1 s, where estimate is the longest remaining pod grace period).
//   4. nothing remains → PUT /api/v1/namespaces/{name}/finalize without "kubernetes"
//      (compare-and-swap on resourceVersion; a conflict is retried, 404 means done).
// Errors never escape the worker; they are logged and retried.
// Not handled: upstream's opportunistic "pods first" ordering, and the per-namespace
// deletion metrics.
import {
  isConflict, isNotFound, Resources, resourcePath, runWorkers, WorkQueue,
  type ApiClient, type Informer, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { InformerFactory } from '@k8ts/shared';
import type { Controller } from '../types.js';
import { deleteNamespaceContent } from './content-deleter.js';
import { deletionConditions, updateConditions, type NamespaceCondition } from './conditions.js';
import { discoverNamespacedResources } from './namespaced-resources.js';

export const FINALIZER_KUBERNETES = 'kubernetes';

export interface NamespaceControllerOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  /** Concurrent reconciles (--concurrent-namespace-syncs); default 10. */
  workers?: number;
  /** Delay bounds for re-checking remaining content; defaults 500 ms and 10 s. */
  remainingDelayMs?: { initial: number; max: number };
  now?: () => number;
}

export class NamespaceController implements Controller {
  readonly name = 'namespace';
  readonly queue = new WorkQueue<string>({ name: 'namespace' });
  private readonly informer: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  /** Consecutive rounds that found content remaining, per namespace. */
  private readonly rounds = new Map<string, number>();
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: NamespaceControllerOptions) {
    this.log = opts.logger.child({ controller: 'namespace' });
    this.now = opts.now ?? Date.now;
    this.informer = opts.informers.forResource(Resources.namespaces);
    const enqueue = (ns: KubeObject): void => {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
    };
    this.informer.addEventHandler({ onAdd: enqueue, onUpdate: (_old, ns) => enqueue(ns) });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    this.log.info('waiting for the namespace informer to sync');
    if (!(await this.informer.waitForSync(signal))) return;
    this.log.info({ workers: this.opts.workers ?? 10 }, 'namespace controller started');
    await runWorkers(this.queue, this.opts.workers ?? 10, (key) => this.reconcile(key), this.log);
    this.log.info('namespace controller stopped');
  }

  async reconcile(name: string): Promise<void> {
    const cached = this.informer.get(name);
    if (!cached || !cached.metadata.deletionTimestamp || !hasKubernetesFinalizer(cached)) {
      this.rounds.delete(name);
      return;
    }
    const { client } = this.opts;
    const signal = this.signal;
    let ns: KubeObject;
    try {
      ns = await client.get(Resources.namespaces, undefined, name, signal);
    } catch (e) {
      if (isNotFound(e)) { this.rounds.delete(name); return; }
      throw e;
    }
    if (!ns.metadata.deletionTimestamp || !hasKubernetesFinalizer(ns)) { this.rounds.delete(name); return; }

    const started = this.now();
    const discovery = await discoverNamespacedResources(client, signal);
    const content = await deleteNamespaceContent(client, name, discovery.resources, { signal, now: this.now });
    ns = await this.recordConditions(ns, deletionConditions({
      discoveryFailures: discovery.failures, contentErrors: content.errors, remaining: content.remaining, finalizers: content.finalizers,
    }));

    if (discovery.failures.size || content.errors.length) {
      throw new Error(`namespace ${name}: ${[...[...discovery.failures].map(([gv, e]) => `discovery of ${gv} failed: ${e}`), ...content.errors].join('; ')}`);
    }
    if (content.remaining.length) {
      const n = this.rounds.get(name) ?? 0;
      this.rounds.set(name, n + 1);
      const { initial, max } = this.opts.remainingDelayMs ?? { initial: 500, max: 10_000 };
      const delay = Math.min(max, initial * 2 ** n);
      this.log.info({ namespace: name, remaining: content.remaining, estimateSeconds: content.estimateSeconds, retryInMs: delay },
        'content remains in the terminating namespace; checking again later');
      this.queue.addAfter(name, delay);
      return;
    }
    await this.finalize(ns);
    this.rounds.delete(name);
    this.log.info({ namespace: name, ms: this.now() - started }, 'namespace content deleted and namespace finalized');
  }

  /** Writes the deletion conditions when they changed; returns the latest namespace. Never throws on API errors. */
  private async recordConditions(ns: KubeObject, next: NamespaceCondition[]): Promise<KubeObject> {
    const now = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    const { conditions, changed } = updateConditions(ns.status?.conditions, next, now);
    if (!changed) return ns;
    try {
      return await this.opts.client.updateStatus(Resources.namespaces, { ...ns, status: { ...ns.status, conditions } }, { signal: this.signal });
    } catch (e) {
      if (this.signal.aborted) throw e;
      // conditions are informational: a conflict or failure here must not block deletion
      this.log.debug({ err: e, namespace: ns.metadata.name }, 'could not update namespace conditions');
      return ns;
    }
  }

  private async finalize(ns: KubeObject): Promise<void> {
    const name = ns.metadata.name!;
    const body: KubeObject = {
      ...ns,
      spec: { ...ns.spec, finalizers: (ns.spec?.finalizers ?? []).filter((f: string) => f !== FINALIZER_KUBERNETES) },
    };
    try {
      await this.opts.client.request('PUT', resourcePath(Resources.namespaces, undefined, name, 'finalize'), body, { signal: this.signal });
    } catch (e) {
      if (isNotFound(e)) return;
      if (isConflict(e)) this.log.debug({ namespace: name }, 'namespace changed before finalize; retrying');
      throw e;
    }
  }
}

function hasKubernetesFinalizer(ns: KubeObject): boolean {
  return Array.isArray(ns.spec?.finalizers) && ns.spec.finalizers.includes(FINALIZER_KUBERNETES);
}
