// Endpoints controller (upstream pkg/controller/endpoint, --controllers name `endpoint`):
// keeps, for every Service with a selector, an Endpoints object of the same name listing the
// matching pods' IPs and the resolved target ports (subsets.ts).
//
// reconcile(ns/name), fed by Service, Pod and Endpoints informers:
//   - Service gone → delete its Endpoints (404 is fine); at start-up, Endpoints without a
//     Service are queued so (upstream checkLeftoverEndpoints).
//   - Service without selector → leave its Endpoints alone (they are user-managed).
//   - Otherwise compute subsets from the cached pods and compare with the cached Endpoints:
//     equal subsets and labels → no write; else create or update (compare-and-swap on the
//     cached resourceVersion; a conflict or error is retried with backoff by runWorkers).
//     Labels = the service's labels (+ service.kubernetes.io/headless for clusterIP None);
//     the annotation endpoints.kubernetes.io/last-change-trigger-time is set on each write.
// Handlers only enqueue: a pod change enqueues every service in its namespace whose selector
// matches its old or new labels; an Endpoints change enqueues the service of the same name
// (recreating deleted Endpoints, undoing foreign edits).
// Pods lacking a named target port are left out of that port's subset and only logged
// (debug), as upstream.
// Not handled: EndpointSlices, the over-capacity annotation, dual-stack address families.
import {
  isAlreadyExists, isNotFound, labelSelectorMatcher, objectKey, Resources, runWorkers, splitKey, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { computeSubsets } from './subsets.js';
import { deepEqual } from '../common/deep-equal.js';

export const LAST_CHANGE_TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const LEADER_ELECTION_ANNOTATION = 'control-plane.alpha.kubernetes.io/leader';

export interface EndpointsControllerOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  /** --concurrent-endpoint-syncs; default 5. */
  workers?: number;
  now?: () => number;
}

export class EndpointsController implements Controller {
  readonly name = 'endpoint';
  readonly queue = new WorkQueue<string>({ name: 'endpoint' });
  private readonly services: Informer;
  private readonly pods: Informer;
  private readonly endpoints: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: EndpointsControllerOptions) {
    this.log = opts.logger.child({ controller: 'endpoint' });
    this.now = opts.now ?? Date.now;
    this.services = opts.informers.forResource(Resources.services);
    this.pods = opts.informers.forResource(Resources.pods);
    this.endpoints = opts.informers.forResource(Resources.endpoints);
    const svc = (s: KubeObject): void => this.queue.add(objectKey(s));
    this.services.addEventHandler({ onAdd: svc, onUpdate: (_o, s) => svc(s), onDelete: svc });
    this.pods.addEventHandler({
      onAdd: (p) => this.enqueueServicesFor(p),
      onUpdate: (o, p) => {
        if (o === p) return; // resync: the service resync covers it
        this.enqueueServicesFor(p, o);
      },
      onDelete: (p) => this.enqueueServicesFor(p),
    });
    const ep = (e: KubeObject): void => { if (this.services.get(objectKey(e))) this.queue.add(objectKey(e)); };
    this.endpoints.addEventHandler({ onUpdate: (_o, e) => ep(e), onDelete: ep });
  }

  private enqueueServicesFor(pod: KubeObject, old?: KubeObject): void {
    const ns = pod.metadata.namespace;
    for (const s of this.services.list()) {
      if (s.metadata.namespace !== ns || !s.spec?.selector) continue;
      const m = labelSelectorMatcher({ matchLabels: s.spec.selector });
      if (m.matches(pod.metadata.labels) || (old && m.matches(old.metadata.labels))) this.queue.add(objectKey(s));
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all([this.services, this.pods, this.endpoints].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    // Endpoints whose service went away while no controller ran are deleted (upstream
    // checkLeftoverEndpoints; leader-election records kept in Endpoints are skipped).
    for (const e of this.endpoints.list()) {
      if (!this.services.get(objectKey(e)) && !e.metadata.annotations?.[LEADER_ELECTION_ANNOTATION]) this.queue.add(objectKey(e));
    }
    this.log.info({ workers: this.opts.workers ?? 5 }, 'endpoints controller started');
    await runWorkers(this.queue, this.opts.workers ?? 5, (key) => this.reconcile(key), this.log);
  }

  async reconcile(key: string): Promise<void> {
    const { namespace, name } = splitKey(key);
    const { client } = this.opts;
    const service = this.services.get(key);
    if (!service) {
      try {
        await client.delete(Resources.endpoints, namespace, name, undefined, this.signal);
        this.log.debug({ key }, 'deleted endpoints of a deleted service');
      } catch (e) {
        if (!isNotFound(e)) throw e;
      }
      return;
    }
    const selector = service.spec?.selector;
    if (!selector || typeof selector !== 'object' || Object.keys(selector).length === 0) return;
    if (service.metadata.deletionTimestamp) return;

    const matcher = labelSelectorMatcher({ matchLabels: selector });
    const pods = this.pods.list().filter((p) => p.metadata.namespace === namespace && matcher.matches(p.metadata.labels));
    const { subsets, unresolved } = computeSubsets(service, pods);
    if (unresolved.length) this.log.debug({ key, unresolved }, 'pods left out of a port subset');

    const labels: Record<string, string> = { ...(service.metadata.labels ?? {}) };
    if (service.spec?.clusterIP === 'None') labels[HEADLESS_LABEL] = '';
    else delete labels[HEADLESS_LABEL];

    const current = this.endpoints.get(key);
    if (current && deepEqual(current.subsets ?? [], subsets) && deepEqual(current.metadata.labels ?? {}, labels)) return;

    const stamp = new Date(this.now()).toISOString().replace(/\.\d+Z$/, 'Z');
    if (!current) {
      const ep: KubeObject = {
        apiVersion: 'v1', kind: 'Endpoints',
        metadata: { name, namespace, labels, annotations: { [LAST_CHANGE_TRIGGER_TIME]: stamp } },
        subsets,
      };
      try {
        await client.create(Resources.endpoints, ep, { signal: this.signal });
      } catch (e) {
        // Our cache lags behind an Endpoints that exists: retry once the informer sees it.
        if (isAlreadyExists(e)) throw new Error(`endpoints ${key} exist but are not cached yet`);
        throw e;
      }
      this.log.debug({ key, subsets: subsets.length }, 'created endpoints');
      return;
    }
    const next: KubeObject = {
      ...current,
      metadata: { ...current.metadata, labels, annotations: { ...(current.metadata.annotations ?? {}), [LAST_CHANGE_TRIGGER_TIME]: stamp } },
      subsets,
    };
    await client.update(Resources.endpoints, next, { signal: this.signal });
    this.log.debug({ key, subsets: subsets.length }, 'updated endpoints');
  }
}
