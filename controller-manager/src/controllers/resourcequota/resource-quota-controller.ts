// ResourceQuota controller (upstream pkg/controller/resourcequota): keeps every quota's
// status.hard equal to spec.hard and status.used equal to what the namespace's objects
// really consume (shared/quota: the same evaluators the apiserver's admission charges with).
//
// reconcile("ns/name"):
//   1. GET the quota fresh (404 → done); remember its resourceVersion R.
//   2. LIST, fresh from the API, each resource its hard names track (pods for requests.cpu,
//      services for services.nodeports, deployments.apps for count/deployments.apps, ...).
//      Lists are read at or after R, so every object charged up to R is in them.
//   3. compute hard/used; unchanged → done. Else PUT /status with resourceVersion R: if an
//      admission charged the quota meanwhile, the write conflicts and the key is retried with
//      backoff — so a recount can never erase a charge it did not see (which counting from
//      informer caches could). Resources k8ts does not serve (persistentvolumeclaims, ...) count 0.
// Triggers (informers only trigger, they are never counted from): quota added or its
//   spec.hard ≠ status.hard; a tracked object added (see onAdd) or deleted, a pod turning terminal or terminating,
//   a service changing type or ports (usage that admission never gives back); every quota
//   again each --resource-quota-sync-period (default 5 min), which also covers count/ of
//   resources that have no informer here.
// Errors are retried by the workqueue's per-key backoff; nothing hot-loops.
import { isDeepStrictEqual } from 'node:util';
import {
  calculateQuotaUsage, formatResourceList, isNotFound, qualifiedResource, Resources, resourcesTrackedBy, runWorkers, WorkQueue,
  type ApiClient, type Informer, type InformerFactory, type KubeObject, type Logger, type ResourceRef,
} from '@k8ts/shared';
import type { Controller } from '../types.js';

export interface ResourceQuotaControllerOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  /** --concurrent-resource-quota-syncs; default 5 */
  workers?: number;
  /** --resource-quota-sync-period; default 5 min */
  resyncMs?: number;
  now?: () => number;
}

/** Resources this controller can count (plural[.group] → ref). */
const COUNTABLE: ReadonlyMap<string, ResourceRef> = new Map(
  Object.values(Resources).filter((r) => r.namespaced).map((r) => [qualifiedResource(r), r] as const),
);
/** Resources whose deletions and releasing updates trigger a recount. */
const WATCHED = [Resources.pods, Resources.services, Resources.configmaps, Resources.secrets, Resources.replicationcontrollers, Resources.replicasets, Resources.deployments, Resources.resourcequotas];

const terminal = (p: KubeObject) => p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed';

export class ResourceQuotaController implements Controller {
  readonly name = 'resourcequota';
  readonly queue = new WorkQueue<string>({ name: 'resourcequota' });
  private readonly quotas: Informer;
  private readonly informers: Informer[] = [];
  private readonly log: Logger;
  private readonly now: () => number;
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: ResourceQuotaControllerOptions) {
    this.log = opts.logger.child({ controller: 'resourcequota' });
    this.now = opts.now ?? Date.now;
    this.quotas = opts.informers.forResource(Resources.resourcequotas);
    const needsSync = (q: KubeObject) => !q.status?.used || !isDeepStrictEqual(q.spec?.hard ?? {}, q.status?.hard ?? {});
    this.quotas.addEventHandler({
      onAdd: (q) => this.enqueue(q),
      onUpdate: (_old, q) => { if (needsSync(q)) this.enqueue(q); },
    });
    for (const ref of WATCHED) {
      const inf = opts.informers.forResource(ref);
      this.informers.push(inf);
      inf.addEventHandler({
        // An add is normally charged by admission, but admission judges by its cached view of
        // the quota: an object created right after a spec.hard change can slip through
        // uncharged while a recount listed just before it. Recounting the namespace's quotas
        // on adds closes that window at once instead of at the next periodic resync.
        onAdd: (o) => this.enqueueNamespace(o.metadata.namespace),
        onDelete: (o) => this.enqueueNamespace(o.metadata.namespace),
        onUpdate: (old, cur) => { if (releases(ref, old, cur)) this.enqueueNamespace(cur.metadata.namespace); },
      });
    }
  }

  private enqueue(q: KubeObject): void {
    this.queue.add(`${q.metadata.namespace}/${q.metadata.name}`);
  }

  /** Every quota of a namespace (replenishment). */
  private enqueueNamespace(ns: string | undefined): void {
    if (!ns) return;
    for (const q of this.quotas.list()) if (q.metadata.namespace === ns) this.enqueue(q);
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const resync = this.opts.resyncMs ?? 300_000;
    const timer = setInterval(() => { for (const q of this.quotas.list()) this.enqueue(q); }, resync);
    timer.unref();
    const stop = (): void => { clearInterval(timer); this.queue.shutDown(); };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all(this.informers.map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) { stop(); return; }
    this.log.info({ workers: this.opts.workers ?? 5, resyncMs: resync }, 'resource quota controller started');
    await runWorkers(this.queue, this.opts.workers ?? 5, (key) => this.reconcile(key), this.log);
    clearInterval(timer);
    this.log.info('resource quota controller stopped');
  }

  async reconcile(key: string): Promise<void> {
    const [ns, name] = key.split('/') as [string, string];
    const { client } = this.opts;
    let quota: KubeObject;
    try {
      quota = await client.get(Resources.resourcequotas, ns, name, this.signal);
    } catch (e) {
      if (isNotFound(e)) return;
      throw e;
    }
    const objects = new Map<string, KubeObject[]>();
    for (const resource of resourcesTrackedBy(quota)) {
      const ref = COUNTABLE.get(resource);
      if (ref) objects.set(resource, (await client.list(ref, { namespace: ns, signal: this.signal })).items);
    }
    const { hard, used } = calculateQuotaUsage(quota, (r) => objects.get(r), this.now());
    const status = { ...quota.status, hard: formatResourceList(hard), used: formatResourceList(used) };
    if (isDeepStrictEqual(status, quota.status)) return;
    await client.updateStatus(Resources.resourcequotas, { ...quota, status }, { signal: this.signal });
    this.log.debug({ quota: key, used: status.used }, 'quota usage recalculated');
  }
}

/** Updates after which an object consumes less than admission charged for it. */
function releases(ref: ResourceRef, old: KubeObject, cur: KubeObject): boolean {
  if (ref === Resources.pods) return (!terminal(old) && terminal(cur)) || (!old.metadata.deletionTimestamp && !!cur.metadata.deletionTimestamp);
  if (ref === Resources.services) return old.spec?.type !== cur.spec?.type || !isDeepStrictEqual(old.spec?.ports, cur.spec?.ports);
  return false;
}
