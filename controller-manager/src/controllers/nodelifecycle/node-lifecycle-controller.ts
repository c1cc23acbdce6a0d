// Node lifecycle controller (upstream pkg/controller/nodelifecycle, --controllers name
// `nodelifecycle`): notices nodes that stopped reporting, and turns node conditions into taints.
//
// Two loops, each a workqueue + reconcile:
// 1. monitor (one key, every --node-monitor-period), upstream monitorNodeHealth:
//    - a node is alive while its Lease kube-node-lease/<node> renewTime advances or its Ready
//      condition's lastHeartbeatTime changes (node-health.ts); silent for longer than
//      --node-monitor-grace-period (--node-startup-grace-period if it never posted Ready) →
//      Ready/MemoryPressure/DiskPressure/PIDPressure := Unknown (status update).
//    - Ready True → other: Event NodeNotReady on the node, and every pod on it gets its Ready
//      condition set False (upstream MarkPodsNotReady; Warning NodeNotReady on each pod).
//    - NoExecute taints (taint-based eviction): Ready False → node.kubernetes.io/not-ready,
//      Unknown → node.kubernetes.io/unreachable (each replacing the other, with timeAdded),
//      True → both removed. New taints go through a per-zone rate limiter (token bucket,
//      burst 1, --node-eviction-rate, 0 while the zone is in partial disruption and small,
//      --secondary-node-eviction-rate when large). When every zone is fully disrupted (no
//      Ready node at all) the controller assumes its own connectivity is the problem: it
//      removes all NoExecute node-lifecycle taints and adds none until a node is Ready again
//      (then every node's probe time restarts).
//    - Events RegisteredNode / RemovingNode when nodes appear / disappear.
// 2. per node (node add/update), upstream doNoScheduleTaintingPass: NoSchedule taints follow
//    conditions — not-ready (Ready False), unreachable (Ready Unknown), memory-pressure,
//    disk-pressure, pid-pressure, network-unavailable — and spec.unschedulable
//    (node.kubernetes.io/unschedulable); only those keys are added or removed.
// Writes are read-modify-write with conflict retries (node-updates.ts); failures are retried
// at the next pass or with the queue's backoff. The pod eviction itself is the taint eviction
// controller's job (../tainteviction).
// Not handled: cloud-provider node deletion, the out-of-service taint workflow.
import {
  isConflict, isNotFound, Resources, runWorkers, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { conditionsForSilentNode, gracePeriodFor, observeNode, type NodeHealth } from './node-health.js';
import { swapTaints, updateNodeTaints } from './node-updates.js';
import {
  CONDITION_TAINTS, getCondition, hasTaint, rfc3339, TAINT_NOT_READY, TAINT_UNREACHABLE, TAINT_UNSCHEDULABLE, type Taint,
} from './taints.js';
import { computeZoneState, LABEL_EXCLUDE_DISRUPTION, zoneKey, type ZoneState } from './zone-state.js';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';
const MONITOR_KEY = 'monitor';

export interface NodeLifecycleOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  /** --node-monitor-period; default 5 s. */
  monitorPeriodMs?: number;
  /** --node-monitor-grace-period; default 50 s. */
  monitorGraceMs?: number;
  /** --node-startup-grace-period; default 60 s. */
  startupGraceMs?: number;
  /** --node-eviction-rate (nodes per second tainted NoExecute per zone); default 0.1. */
  evictionRateQps?: number;
  /** --secondary-node-eviction-rate; default 0.01. */
  secondaryEvictionRateQps?: number;
  /** --large-cluster-size-threshold; default 50. */
  largeClusterSizeThreshold?: number;
  /** --unhealthy-zone-threshold; default 0.55. */
  unhealthyZoneThreshold?: number;
  now?: () => number;
}

interface ZoneTainter { pending: Set<string>; tokens: number; last: number; qps: number }

export class NodeLifecycleController implements Controller {
  readonly name = 'nodelifecycle';
  readonly monitorQueue = new WorkQueue<string>({ name: 'nodelifecycle-monitor' });
  readonly taintQueue = new WorkQueue<string>({ name: 'nodelifecycle-noschedule' });
  private readonly nodes: Informer;
  private readonly leases: Informer;
  private readonly pods: Informer;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly health = new Map<string, NodeHealth>();
  private readonly known = new Map<string, KubeObject>();
  private readonly zoneStates = new Map<string, ZoneState>();
  private readonly tainters = new Map<string, ZoneTainter>();
  private readonly podsToRetry = new Set<string>();
  private signal: AbortSignal = new AbortController().signal;
  private readonly o: Required<Omit<NodeLifecycleOptions, 'now'>>;

  constructor(opts: NodeLifecycleOptions) {
    this.o = {
      monitorPeriodMs: 5_000, monitorGraceMs: 50_000, startupGraceMs: 60_000, evictionRateQps: 0.1,
      secondaryEvictionRateQps: 0.01, largeClusterSizeThreshold: 50, unhealthyZoneThreshold: 0.55,
      ...stripUndefined(opts),
    } as Required<Omit<NodeLifecycleOptions, 'now'>>;
    this.log = opts.logger.child({ controller: 'nodelifecycle' });
    this.now = opts.now ?? Date.now;
    this.nodes = opts.informers.forResource(Resources.nodes);
    this.leases = opts.informers.forResource(Resources.leases, { namespace: NODE_LEASE_NAMESPACE });
    this.pods = opts.informers.forResource(Resources.pods);
    const node = (n: KubeObject): void => this.taintQueue.add(n.metadata.name!);
    this.nodes.addEventHandler({ onAdd: node, onUpdate: (_o, n) => node(n) });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    const stop = (): void => { this.monitorQueue.shutDown(); this.taintQueue.shutDown(); };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    const synced = await Promise.all([this.nodes, this.leases, this.pods].map((i) => i.waitForSync(signal)));
    if (!synced.every(Boolean)) return;
    this.log.info({ monitorPeriodMs: this.o.monitorPeriodMs, monitorGraceMs: this.o.monitorGraceMs }, 'node lifecycle controller started');
    this.monitorQueue.add(MONITOR_KEY);
    await Promise.all([
      runWorkers(this.monitorQueue, 1, async () => {
        this.monitorQueue.addAfter(MONITOR_KEY, this.o.monitorPeriodMs);
        await this.monitor();
      }, this.log),
      runWorkers(this.taintQueue, 2, (name) => this.reconcileNoScheduleTaints(name), this.log),
    ]);
  }

  // ---- NoSchedule taints from conditions ----------------------------------------------------

  async reconcileNoScheduleTaints(name: string): Promise<void> {
    const cached = this.nodes.get(name);
    if (!cached || !noScheduleDiff(cached)) return;
    await updateNodeTaints(this.o.client, name, (taints, node) => noScheduleDiff(node) ? applyNoSchedule(taints, node) : undefined, this.signal);
  }

  // ---- monitor ------------------------------------------------------------------------------

  async monitor(): Promise<void> {
    const now = this.now();
    const nodes = this.nodes.list();
    this.trackMembership(nodes);
    const zoneReady = new Map<string, (string | undefined)[]>();
    const errors: unknown[] = [];
    for (const cached of nodes) {
      const name = cached.metadata.name!;
      try {
        const observed = getCondition(cached, 'Ready')?.status ?? 'Unknown';
        const node = await this.updateHealth(cached, now);
        const ready = getCondition(node, 'Ready');
        if (!node.metadata.labels?.[LABEL_EXCLUDE_DISRUPTION]) {
          const z = zoneKey(node);
          if (!zoneReady.has(z)) zoneReady.set(z, []);
          zoneReady.get(z)!.push(ready?.status);
        }
        if (!ready) continue;
        await this.processTaintBasedEviction(node, ready.status, now);
        if (ready.status !== 'True' && observed === 'True') {
          this.o.recorder.record(node, 'Normal', 'NodeNotReady', `Node ${name} status is now: NodeNotReady`);
          this.podsToRetry.add(name);
        }
        if (this.podsToRetry.has(name)) {
          if (ready.status === 'True') this.podsToRetry.delete(name);
          else if (await this.markPodsNotReady(name)) this.podsToRetry.delete(name);
        }
      } catch (e) {
        if (this.signal.aborted) throw e;
        errors.push(e);
        this.log.warn({ err: e, node: name }, 'node health update failed; retrying next pass');
      }
    }
    await this.handleDisruption(zoneReady, nodes, now);
    await this.noExecuteTaintingPass(now);
    if (errors.length) this.log.debug({ failures: errors.length }, 'monitor pass had failures');
  }

  private trackMembership(nodes: KubeObject[]): void {
    const seen = new Set<string>();
    for (const n of nodes) {
      const name = n.metadata.name!;
      seen.add(name);
      if (!this.known.has(name)) this.o.recorder.record(n, 'Normal', 'RegisteredNode', `Registered Node ${name} in Controller`);
      this.known.set(name, n);
    }
    for (const [name, n] of this.known) {
      if (seen.has(name)) continue;
      this.o.recorder.record(n, 'Normal', 'RemovingNode', `Removing Node ${name} from Controller`);
      this.known.delete(name);
      this.health.delete(name);
      this.podsToRetry.delete(name);
      for (const t of this.tainters.values()) t.pending.delete(name);
    }
  }

  /** tryUpdateNodeHealth: returns the node as it now is (with Unknown conditions if written). */
  private async updateHealth(cached: KubeObject, now: number): Promise<KubeObject> {
    const name = cached.metadata.name!;
    const lease = this.leases.get(`${NODE_LEASE_NAMESPACE}/${name}`);
    let node = cached;
    for (let attempt = 0; ; attempt++) {
      const h = observeNode(this.health.get(name), node, lease, now);
      this.health.set(name, h);
      const grace = gracePeriodFor(node, this.o.monitorGraceMs, this.o.startupGraceMs);
      if (!(now > h.probeTimestamp + grace)) return node;
      const conditions = conditionsForSilentNode(node, now);
      if (!conditions) return node;
      try {
        const written = await this.o.client.updateStatus(Resources.nodes, { ...node, status: { ...node.status, conditions } }, { signal: this.signal });
        this.health.set(name, { ...h, readyTransitionTimestamp: now });
        this.log.info({ node: name, silentForMs: now - h.probeTimestamp }, 'node stopped posting status; conditions set to Unknown');
        return written;
      } catch (e) {
        if (!isConflict(e) || attempt >= 4) throw e;
        node = await this.o.client.get(Resources.nodes, undefined, name, this.signal);
      }
    }
  }

  private async processTaintBasedEviction(node: KubeObject, status: string, now: number): Promise<void> {
    const name = node.metadata.name!;
    const swap = async (add: string, remove: string): Promise<void> => {
      await updateNodeTaints(this.o.client, name, (taints) => swapTaints(taints,
        [{ key: add, effect: 'NoExecute', timeAdded: rfc3339(now) }], [{ key: remove, effect: 'NoExecute' }]), this.signal);
    };
    if (status === 'False' || status === 'Unknown') {
      const [want, other] = status === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
      if (hasTaint(node, want, 'NoExecute')) return;
      if (hasTaint(node, other, 'NoExecute')) await swap(want, other);
      else this.tainter(zoneKey(node)).pending.add(name);
      return;
    }
    await this.markNodeAsReachable(node);
  }

  /** Removes the NoExecute lifecycle taints; `fresh` reads the node from the API instead of trusting `node`. */
  private async markNodeAsReachable(node: KubeObject, fresh = false): Promise<void> {
    const name = node.metadata.name!;
    for (const t of this.tainters.values()) t.pending.delete(name);
    if (!fresh && !hasTaint(node, TAINT_NOT_READY, 'NoExecute') && !hasTaint(node, TAINT_UNREACHABLE, 'NoExecute')) return;
    await updateNodeTaints(this.o.client, name, (taints) => swapTaints(taints, [],
      [{ key: TAINT_NOT_READY, effect: 'NoExecute' }, { key: TAINT_UNREACHABLE, effect: 'NoExecute' }]), this.signal);
    this.log.info({ node: name }, 'node is healthy again; removed NoExecute taints');
  }

  /** upstream MarkPodsNotReady; true when every pod on the node was handled. */
  private async markPodsNotReady(nodeName: string): Promise<boolean> {
    let ok = true;
    const stamp = rfc3339(this.now());
    for (const pod of this.pods.list()) {
      if (pod.spec?.nodeName !== nodeName) continue;
      const conds: Record<string, any>[] = Array.isArray(pod.status?.conditions) ? pod.status.conditions : [];
      const ready = conds.find((c) => c.type === 'Ready');
      if (!ready || ready.status === 'False') continue;
      const next = conds.map((c) => (c.type === 'Ready' ? { ...c, status: 'False', lastTransitionTime: stamp } : c));
      try {
        await this.o.client.updateStatus(Resources.pods, { ...pod, status: { ...pod.status, conditions: next } }, { signal: this.signal });
        this.o.recorder.record(pod, 'Warning', 'NodeNotReady', 'Node is not ready');
      } catch (e) {
        if (isNotFound(e)) continue;
        if (this.signal.aborted) throw e;
        ok = false;
        this.log.debug({ err: e, pod: `${pod.metadata.namespace}/${pod.metadata.name}` }, 'could not mark pod not ready; retrying next pass');
      }
    }
    return ok;
  }

  // ---- zones and rate-limited NoExecute tainting ---------------------------------------------

  private tainter(zone: string): ZoneTainter {
    let t = this.tainters.get(zone);
    if (!t) this.tainters.set(zone, t = { pending: new Set(), tokens: 1, last: this.now(), qps: this.o.evictionRateQps });
    return t;
  }

  private zoneQps(size: number, state: ZoneState): number {
    if (state === 'PartialDisruption') return size <= this.o.largeClusterSizeThreshold ? 0 : this.o.secondaryEvictionRateQps;
    return this.o.evictionRateQps;
  }

  /** upstream handleDisruption */
  private async handleDisruption(zoneReady: Map<string, (string | undefined)[]>, nodes: KubeObject[], now: number): Promise<void> {
    const newStates = new Map<string, ZoneState>();
    let allAreFull = true;
    for (const [zone, statuses] of zoneReady) {
      const s = computeZoneState(statuses, this.o.unhealthyZoneThreshold);
      if (s !== 'FullDisruption') allAreFull = false;
      newStates.set(zone, s);
      if (!this.zoneStates.has(zone)) this.zoneStates.set(zone, 'Initial');
    }
    let allWereFull = true;
    for (const [zone, s] of [...this.zoneStates]) {
      if (!zoneReady.has(zone)) { this.zoneStates.delete(zone); continue; }
      if (s !== 'FullDisruption') { allWereFull = false; break; }
    }
    const untaintAll = async (fresh: boolean): Promise<void> => {
      for (const n of nodes) {
        const current = this.nodes.get(n.metadata.name!) ?? n;
        try { await this.markNodeAsReachable(current, fresh); } catch (e) { if (this.signal.aborted) throw e; this.log.warn({ err: e, node: n.metadata.name }, 'could not remove NoExecute taints'); }
      }
    };
    if (allAreFull && allWereFull) {
      // a taint written just before the mode was entered may show up only now
      if (zoneReady.size) await untaintAll(false);
      return;
    }
    if (allAreFull) {
      this.log.warn('no node is Ready: entering master disruption mode (no NoExecute taints until a node is Ready)');
      await untaintAll(true);
      for (const zone of this.zoneStates.keys()) { this.tainter(zone).qps = 0; this.zoneStates.set(zone, 'FullDisruption'); }
      return;
    }
    if (allWereFull) {
      this.log.info('some nodes are Ready: exiting master disruption mode');
      for (const n of nodes) {
        const h = this.health.get(n.metadata.name!);
        if (h) this.health.set(n.metadata.name!, { ...h, probeTimestamp: now, readyTransitionTimestamp: now });
      }
      for (const zone of this.zoneStates.keys()) {
        const s = newStates.get(zone)!;
        this.tainter(zone).qps = this.zoneQps(zoneReady.get(zone)!.length, s);
        this.zoneStates.set(zone, s);
      }
      return;
    }
    for (const [zone, old] of this.zoneStates) {
      const s = newStates.get(zone)!;
      if (old === s) continue;
      this.log.info({ zone, state: s }, 'zone changed disruption state');
      this.tainter(zone).qps = this.zoneQps(zoneReady.get(zone)!.length, s);
      this.zoneStates.set(zone, s);
    }
  }

  /** upstream doNoExecuteTaintingPass, one token bucket (burst 1) per zone. */
  private async noExecuteTaintingPass(now: number): Promise<void> {
    for (const t of this.tainters.values()) {
      t.tokens = Math.min(1, t.tokens + ((now - t.last) / 1000) * t.qps);
      t.last = now;
      for (const name of [...t.pending]) {
        if (t.tokens < 1) break;
        const node = this.nodes.get(name);
        const status = node && getCondition(node, 'Ready')?.status;
        if (!node || status === 'True' || status === undefined) { t.pending.delete(name); continue; }
        const [want, other] = status === 'False' ? [TAINT_NOT_READY, TAINT_UNREACHABLE] : [TAINT_UNREACHABLE, TAINT_NOT_READY];
        try {
          await updateNodeTaints(this.o.client, name, (taints, fresh) => {
            const s = getCondition(fresh, 'Ready')?.status;
            if (s === 'True' || s === undefined) return undefined;
            return swapTaints(taints, [{ key: want, effect: 'NoExecute', timeAdded: rfc3339(now) }], [{ key: other, effect: 'NoExecute' }]);
          }, this.signal);
          t.pending.delete(name);
          t.tokens -= 1;
          this.log.info({ node: name, taint: want }, 'node tainted NoExecute');
        } catch (e) {
          if (this.signal.aborted) throw e;
          this.log.warn({ err: e, node: name }, 'could not taint node; retrying next pass');
        }
      }
    }
  }
}

/** The condition/unschedulable NoSchedule taints the node should carry. */
function desiredNoSchedule(node: KubeObject): Taint[] {
  const out: Taint[] = [];
  for (const c of Array.isArray(node.status?.conditions) ? node.status.conditions : []) {
    const m = CONDITION_TAINTS.find((x) => x.type === c?.type && x.status === c?.status);
    if (m) out.push({ key: m.key, effect: 'NoSchedule' });
  }
  if (node.spec?.unschedulable === true) out.push({ key: TAINT_UNSCHEDULABLE, effect: 'NoSchedule' });
  return out;
}

const MANAGED_NO_SCHEDULE = new Set([...CONDITION_TAINTS.map((c) => c.key), TAINT_UNSCHEDULABLE]);

function noScheduleDiff(node: KubeObject): boolean {
  const taints: Taint[] = Array.isArray(node.spec?.taints) ? node.spec.taints : [];
  return applyNoSchedule(taints, node) !== undefined;
}

function applyNoSchedule(taints: Taint[], node: KubeObject): Taint[] | undefined {
  const want = desiredNoSchedule(node);
  const have = taints.filter((t) => t.effect === 'NoSchedule' && MANAGED_NO_SCHEDULE.has(t.key));
  const remove = have.filter((t) => !want.some((w) => w.key === t.key));
  return swapTaints(taints, want, remove);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
