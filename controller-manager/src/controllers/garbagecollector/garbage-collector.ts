// The garbage collector (upstream pkg/controller/garbagecollector): deletes objects whose
// owners are all gone, and carries out the Foreground and Orphan deletion the apiserver starts
// by adding the `foregroundDeletion` / `orphan` finalizer to a deleted owner.
//
// Which kinds: discovered from the apiserver (common/api-discovery.ts), not taken from the
// shared `Resources` list: every resource served with the list, watch and delete verbs, in
// its group's preferred version, except events (upstream's default ignored resources).
// Discovery is the source of truth for what can carry ownerReferences, kinds the apiserver
// gains later are picked up without touching this file, and owner references can only be
// resolved (apiVersion + kind → REST path) with the discovered kinds anyway. Discovery is
// repeated every `rediscoverMs` (30 s as upstream) to start informers for new kinds.
//
// Flow: informers (shared with the other controllers) feed graph.ts synchronously; the nodes
// it hands out go to two work queues keyed by uid:
// - attemptToDelete(node):
//   * virtual node (known only from an ownerReference): a live GET by its coordinates; gone,
//     or another uid → removed from the graph (its dependents are re-examined); present →
//     checked again later until an informer observes it.
//   * being deleted without waiting for dependents → nothing to do.
//   * waiting for dependents (foregroundDeletion): no blocking dependents left → remove the
//     finalizer; otherwise send the blocking dependents to attemptToDelete.
//   * otherwise a live GET of the object, then a live GET of each owner (uid compared;
//     absent owners are remembered in a small cache): any solid owner (present, not waiting
//     for its dependents) → the object stays, references to absent or waiting owners are
//     removed; some owner waiting for dependents and the object has dependents itself →
//     delete it with Foreground; else (no owner left, or only waiting owners) → delete it with
//     a uid precondition, honouring its own orphan/foreground finalizer, else Background.
//   An owner whose kind is not served is never treated as absent: the item is retried.
// - attemptToOrphan(owner): remove the owner's references from every dependent in the graph
//   (merge patch with the dependent's uid and resourceVersion as preconditions), then remove
//   the `orphan` finalizer from the owner.
// Errors retry with per-key backoff (5 ms doubling to 1000 s); never a dependent is deleted
// whose owner a live GET still finds with the referenced uid.
// Not handled: upstream's cycle-breaking patch for foreground deletions of mutually waiting
// objects, and the OwnerRefInvalidNamespace event (such references are treated as absent).
import { getMaxListeners, setMaxListeners } from 'node:events';
import {
  groupVersion, isConflict, isNotFound, runWorkers, sleep, WorkQueue,
  type ApiClient, type DeleteOptions, type Informer, type InformerFactory, type KubeObject, type Logger, type OwnerReference, type ResourceRef,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { discoverResources } from '../common/api-discovery.js';
import { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type GraphNode, type ObjectIdentity, type Work } from './graph.js';

/** Upstream's default ignored resources. */
const IGNORED = new Set(['events', 'events.events.k8s.io']);

export interface GarbageCollectorOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  /** Workers per queue (--concurrent-gc-syncs); default 10 (upstream 20). */
  workers?: number;
  rediscoverMs?: number;
  /** How long to wait for the informers' first lists before starting workers; default 60 s. */
  syncTimeoutMs?: number;
}

class UnknownKindError extends Error {}

export class GarbageCollector implements Controller {
  readonly name = 'garbagecollector';
  readonly graph = new DependencyGraph();
  readonly attemptToDelete = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_delete' });
  readonly attemptToOrphan = new WorkQueue<string>({ name: 'garbage_collector_attempt_to_orphan' });
  private readonly log: Logger;
  /** `group/Kind` → resource, from discovery. */
  private readonly kinds = new Map<string, ResourceRef>();
  private readonly monitors = new Map<string, Informer>();
  /** uids of owners found absent by a live GET (upstream absentOwnerCache). */
  private readonly absentOwners = new Set<string>();
  /** Rechecks of virtual nodes that exist but are not observed yet, per uid. */
  private readonly virtualChecks = new Map<string, number>();
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: GarbageCollectorOptions) {
    this.log = opts.logger.child({ controller: 'garbagecollector' });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    // every in-flight request listens on the term's signal; many run concurrently
    setMaxListeners(Math.max(getMaxListeners(signal), 1000), signal);
    const stop = (): void => { this.attemptToDelete.shutDown(); this.attemptToOrphan.shutDown(); };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    // discovery, retried until it works
    for (let delay = 500; !signal.aborted; delay = Math.min(delay * 2, 30_000)) {
      try {
        await this.syncMonitors();
        break;
      } catch (e) {
        this.log.warn({ err: e, retryInMs: delay }, 'garbage collector discovery failed; retrying');
        await sleep(delay, signal);
      }
    }
    if (signal.aborted) return;
    const timeout = AbortSignal.timeout(this.opts.syncTimeoutMs ?? 60_000);
    const synced = await Promise.all([...this.monitors.values()].map((m) => m.waitForSync(AbortSignal.any([signal, timeout]))));
    if (signal.aborted) return;
    if (!synced.every(Boolean)) this.log.warn('not every garbage collector informer synced in time; starting anyway');
    const rediscover = setInterval(() => {
      this.syncMonitors().catch((e) => this.log.debug({ err: e }, 'garbage collector rediscovery failed'));
    }, this.opts.rediscoverMs ?? 30_000);
    rediscover.unref();
    const workers = this.opts.workers ?? 10;
    this.log.info({ workers, resources: [...this.monitors.keys()] }, 'garbage collector started');
    try {
      await Promise.all([
        runWorkers(this.attemptToDelete, workers, (uid) => this.processAttemptToDelete(uid), this.log),
        runWorkers(this.attemptToOrphan, workers, (uid) => this.processAttemptToOrphan(uid), this.log),
      ]);
    } finally {
      clearInterval(rediscover);
    }
    this.log.info('garbage collector stopped');
  }

  // ---- monitors (informers) ----------------------------------------------------------------

  /** Discovers the deletable resources and starts an informer for each one not yet watched. */
  async syncMonitors(): Promise<void> {
    const { resources, failures } = await discoverResources(this.opts.client, this.signal);
    if (failures.size) this.log.warn({ failures: Object.fromEntries(failures) }, 'partial discovery; some kinds are not collected');
    for (const { ref, verbs } of resources) {
      this.kinds.set(`${ref.group}/${ref.kind}`, ref);
      const name = ref.group ? `${ref.plural}.${ref.group}` : ref.plural;
      if (IGNORED.has(name) || this.monitors.has(name)) continue;
      if (!['list', 'watch', 'delete'].every((v) => verbs.includes(v))) continue;
      const informer = this.opts.informers.forResource(ref);
      const apiVersion = groupVersion(ref);
      informer.addEventHandler({
        onAdd: (o) => this.enqueue(this.graph.observe(o, apiVersion, ref.kind)),
        onUpdate: (_old, o) => this.enqueue(this.graph.observe(o, apiVersion, ref.kind)),
        onDelete: (o) => { if (o.metadata.uid) this.enqueue(this.graph.remove(o.metadata.uid)); },
      });
      this.monitors.set(name, informer);
    }
  }

  private enqueue(work: Work): void {
    for (const n of work.attemptToDelete) this.attemptToDelete.add(n.identity.uid);
    for (const n of work.attemptToOrphan) this.attemptToOrphan.add(n.identity.uid);
  }

  // ---- attemptToDelete ---------------------------------------------------------------------

  private async processAttemptToDelete(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node) return;
    if (node.virtual) return this.checkVirtual(node);
    if (node.beingDeleted && !node.deletingDependents) return;
    if (node.deletingDependents) return this.processDeletingDependents(node);

    const latest = await this.getLive(node.identity);
    if (!latest) {
      // gone (or replaced) before the informer said so: forget it, re-examine its dependents
      this.enqueue(this.graph.remove(uid));
      return;
    }
    const refs = latest.metadata.ownerReferences ?? [];
    if (!refs.length) return;
    const solid: OwnerReference[] = [];
    const dangling: OwnerReference[] = [];
    const waiting: OwnerReference[] = [];
    for (const ref of refs) {
      const owner = await this.ownerState(ref, latest);
      if (owner === 'absent') dangling.push(ref);
      else if (owner.metadata.deletionTimestamp && (owner.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) waiting.push(ref);
      else solid.push(ref);
    }
    if (solid.length) {
      if (!dangling.length && !waiting.length) return;
      const gone = new Set([...dangling, ...waiting].map((r) => r.uid));
      this.log.info({ object: describe(node.identity), removing: [...gone] }, 'removing references to absent or deleting owners; a solid owner remains');
      await this.patchOwnerRefs(node.identity, latest, (r) => !gone.has(r.uid));
      return;
    }
    let policy: DeleteOptions['propagationPolicy'];
    if (waiting.length && node.dependents.size) policy = 'Foreground';
    else if ((latest.metadata.finalizers ?? []).includes(FINALIZER_ORPHAN)) policy = 'Orphan';
    else if ((latest.metadata.finalizers ?? []).includes(FINALIZER_FOREGROUND)) policy = 'Foreground';
    else policy = 'Background';
    this.log.info({ object: describe(node.identity), propagationPolicy: policy, dangling: dangling.map((r) => r.uid), waiting: waiting.map((r) => r.uid) }, 'deleting object whose owners are gone');
    await this.deleteObject(node.identity, policy);
  }

  private async checkVirtual(node: GraphNode): Promise<void> {
    const uid = node.identity.uid;
    let live: KubeObject | undefined;
    try {
      live = await this.getLive(node.identity);
    } catch (e) {
      if (!(e instanceof UnknownKindError)) throw e;
      // an owner of a kind the apiserver does not serve: never treat it as absent
      this.log.warn({ owner: describe(node.identity) }, 'owner reference to a kind that is not served; its dependents are kept');
      return this.recheckLater(uid);
    }
    if (!live) {
      this.virtualChecks.delete(uid);
      this.absentOwners.add(uid);
      this.trimAbsent();
      this.enqueue(this.graph.removeVirtual(uid));
      return;
    }
    // it exists: an informer will observe it (or, for a kind not watched, it simply stays)
    return this.recheckLater(uid);
  }

  private recheckLater(uid: string): void {
    const n = this.virtualChecks.get(uid) ?? 0;
    this.virtualChecks.set(uid, n + 1);
    this.attemptToDelete.addAfter(uid, Math.min(60_000, 500 * 2 ** n));
  }

  private async processDeletingDependents(node: GraphNode): Promise<void> {
    const blocking = node.blockingDependents();
    if (!blocking.length) {
      this.log.info({ object: describe(node.identity) }, 'no blocking dependents left; removing the foregroundDeletion finalizer');
      await this.removeFinalizer(node.identity, FINALIZER_FOREGROUND);
      return;
    }
    for (const d of blocking) if (!d.deletingDependents) this.attemptToDelete.add(d.identity.uid);
  }

  // ---- attemptToOrphan ---------------------------------------------------------------------

  private async processAttemptToOrphan(uid: string): Promise<void> {
    const node = this.graph.get(uid);
    if (!node || node.virtual) return;
    const errors: unknown[] = [];
    await Promise.all([...node.dependents].map(async (d) => {
      if (d.virtual) return;
      try {
        const latest = await this.getLive(d.identity);
        if (latest) await this.patchOwnerRefs(d.identity, latest, (r) => r.uid !== uid);
      } catch (e) {
        errors.push(e);
      }
    }));
    if (errors.length) throw errors[0];
    this.log.info({ object: describe(node.identity), dependents: node.dependents.size }, 'dependents orphaned; removing the orphan finalizer');
    await this.removeFinalizer(node.identity, FINALIZER_ORPHAN);
  }

  // ---- API helpers -------------------------------------------------------------------------

  private refFor(apiVersion: string, kind: string): ResourceRef {
    const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
    const ref = this.kinds.get(`${group}/${kind}`);
    if (!ref) throw new UnknownKindError(`no served resource for ${apiVersion}, Kind=${kind}`);
    return ref;
  }

  /** The object at these coordinates if it still has this uid; undefined if gone or replaced. */
  private async getLive(id: ObjectIdentity): Promise<KubeObject | undefined> {
    const ref = this.refFor(id.apiVersion, id.kind);
    try {
      const obj = await this.opts.client.get(ref, ref.namespaced ? id.namespace : undefined, id.name, this.signal);
      return obj.metadata.uid === id.uid ? obj : undefined;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /** The owner as a live GET finds it (uid compared), or 'absent'. Unknown kinds throw (retry). */
  private async ownerState(ref: OwnerReference, dependent: KubeObject): Promise<KubeObject | 'absent'> {
    if (this.absentOwners.has(ref.uid)) return 'absent';
    const res = this.refFor(ref.apiVersion, ref.kind);
    if (res.namespaced && !dependent.metadata.namespace) return 'absent'; // a cluster-scoped object cannot have a namespaced owner
    const owner = await this.getLive({ apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, namespace: dependent.metadata.namespace ?? '', uid: ref.uid });
    if (owner) return owner;
    this.absentOwners.add(ref.uid);
    this.trimAbsent();
    return 'absent';
  }

  private trimAbsent(): void {
    if (this.absentOwners.size > 500) this.absentOwners.delete(this.absentOwners.values().next().value!);
  }

  private async deleteObject(id: ObjectIdentity, policy: DeleteOptions['propagationPolicy']): Promise<void> {
    const ref = this.refFor(id.apiVersion, id.kind);
    try {
      await this.opts.client.delete(ref, ref.namespaced ? id.namespace : undefined, id.name, { propagationPolicy: policy, preconditions: { uid: id.uid } }, this.signal);
    } catch (e) {
      if (isNotFound(e) || isConflict(e)) return; // gone, or replaced by another object of that name
      throw e;
    }
  }

  /** Keeps only the owner references `keep` accepts; preconditions on uid and resourceVersion, conflicts re-read. */
  private async patchOwnerRefs(id: ObjectIdentity, latest: KubeObject, keep: (r: OwnerReference) => boolean): Promise<void> {
    const ref = this.refFor(id.apiVersion, id.kind);
    let cur: KubeObject | undefined = latest;
    for (let attempt = 0; cur && attempt < 5; attempt++) {
      const refs = cur.metadata.ownerReferences ?? [];
      const kept = refs.filter(keep);
      if (kept.length === refs.length) return;
      try {
        await this.opts.client.patch(ref, ref.namespaced ? id.namespace : undefined, id.name,
          { metadata: { uid: id.uid, resourceVersion: cur.metadata.resourceVersion, ownerReferences: kept.length ? kept : null } }, 'merge', undefined, { signal: this.signal });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
        cur = await this.getLive(id);
      }
    }
    if (cur) throw new Error(`could not update the ownerReferences of ${describe(id)}: conflicts`);
  }

  private async removeFinalizer(id: ObjectIdentity, finalizer: string): Promise<void> {
    const ref = this.refFor(id.apiVersion, id.kind);
    for (let attempt = 0; attempt < 5; attempt++) {
      const cur = await this.getLive(id);
      if (!cur || !(cur.metadata.finalizers ?? []).includes(finalizer)) return;
      const finalizers = cur.metadata.finalizers!.filter((f) => f !== finalizer);
      try {
        await this.opts.client.patch(ref, ref.namespaced ? id.namespace : undefined, id.name,
          { metadata: { uid: id.uid, resourceVersion: cur.metadata.resourceVersion, finalizers: finalizers.length ? finalizers : null } }, 'merge', undefined, { signal: this.signal });
        return;
      } catch (e) {
        if (isNotFound(e)) return;
        if (!isConflict(e)) throw e;
      }
    }
    throw new Error(`could not remove the ${finalizer} finalizer from ${describe(id)}: conflicts`);
  }
}

function describe(id: ObjectIdentity): string {
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name} (${id.uid})`;
}
