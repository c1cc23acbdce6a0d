// NodeInfo: one node plus the pods placed on it (bound or assumed), with the running totals
// the plugins compare against: requested resources, non-zero requests (for scores), pod count,
// used host ports and per-owner pod counts (for spreading).
//
// Contract: addPod/removePod keep every total exact (removePod of an unknown key is a
// no-op). A NodeInfo may exist without a node object (pods bound to a node the cache has
// not seen or has deleted); such NodeInfos are never offered to the plugins.
import type { KubeObject } from '@k8ts/shared';
import { nodeLabels } from '../framework/node-selector.js';
import type { HostPort, PodInfo } from '../framework/pod-info.js';
import { parseResourceList, type ResourceList } from '../framework/resources.js';
import type { Taint } from '../framework/types.js';

export type ReadyStatus = 'True' | 'False' | 'Unknown';

export class NodeInfo {
  node: KubeObject | undefined;
  labels: Record<string, string> = {};
  taints: Taint[] = [];
  unschedulable = false;
  ready: ReadyStatus = 'Unknown';
  allocMilliCPU = 0;
  allocMemory = 0;
  allocPods = 0;
  allocScalar: ResourceList = new Map();
  /** Set when the node's allocatable cannot be parsed: the node fits nothing. */
  invalid?: string;

  reqMilliCPU = 0;
  reqMemory = 0;
  reqScalar: ResourceList = new Map();
  nonZeroMilliCPU = 0;
  nonZeroMemory = 0;
  readonly pods = new Map<string, PodInfo>();
  /** `${protocol}/${port}` → host IPs in use (0.0.0.0 = all). */
  readonly usedPorts = new Map<string, Map<string, number>>();
  /** ownerId (see internOwner) → pods of that owner here. */
  readonly ownerCounts = new Map<number, number>();

  constructor(readonly name: string) {}

  setNode(node: KubeObject): void {
    this.node = node;
    this.labels = nodeLabels(node);
    const spec = (node.spec ?? {}) as { taints?: Taint[]; unschedulable?: boolean };
    this.taints = Array.isArray(spec.taints) ? spec.taints : [];
    this.unschedulable = spec.unschedulable === true;
    const conds = ((node.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions) ?? [];
    const ready = conds.find((c) => c.type === 'Ready');
    this.ready = ready?.status === 'True' ? 'True' : ready?.status === 'False' ? 'False' : 'Unknown';
    const status = (node.status ?? {}) as { allocatable?: unknown; capacity?: unknown };
    this.invalid = undefined;
    try {
      const alloc = parseResourceList(status.allocatable ?? status.capacity);
      this.allocMilliCPU = alloc.get('cpu') ?? 0;
      this.allocMemory = alloc.get('memory') ?? 0;
      this.allocPods = alloc.get('pods') ?? 0;
      alloc.delete('cpu'); alloc.delete('memory'); alloc.delete('pods');
      this.allocScalar = alloc;
    } catch (e) {
      this.invalid = (e as Error).message;
      this.allocMilliCPU = this.allocMemory = this.allocPods = 0;
      this.allocScalar = new Map();
    }
  }

  clearNode(): void { this.node = undefined; }

  addPod(p: PodInfo): void {
    if (this.pods.has(p.key)) this.removePod(p.key);
    this.pods.set(p.key, p);
    const r = p.requests;
    this.reqMilliCPU += r.milliCPU;
    this.reqMemory += r.memory;
    this.nonZeroMilliCPU += r.nonZeroMilliCPU;
    this.nonZeroMemory += r.nonZeroMemory;
    for (const [k, v] of r.scalar) this.reqScalar.set(k, (this.reqScalar.get(k) ?? 0) + v);
    for (const hp of p.hostPorts) this.updatePort(hp, 1);
    if (p.ownerId >= 0) this.ownerCounts.set(p.ownerId, (this.ownerCounts.get(p.ownerId) ?? 0) + 1);
  }

  removePod(key: string): PodInfo | undefined {
    const p = this.pods.get(key);
    if (!p) return undefined;
    this.pods.delete(key);
    const r = p.requests;
    this.reqMilliCPU -= r.milliCPU;
    this.reqMemory -= r.memory;
    this.nonZeroMilliCPU -= r.nonZeroMilliCPU;
    this.nonZeroMemory -= r.nonZeroMemory;
    for (const [k, v] of r.scalar) this.reqScalar.set(k, (this.reqScalar.get(k) ?? 0) - v);
    for (const hp of p.hostPorts) this.updatePort(hp, -1);
    if (p.ownerId >= 0) {
      const n = (this.ownerCounts.get(p.ownerId) ?? 0) - 1;
      if (n > 0) this.ownerCounts.set(p.ownerId, n); else this.ownerCounts.delete(p.ownerId);
    }
    return p;
  }

  /** upstream HostPortInfo.CheckConflict: same protocol and port, and either IP is 0.0.0.0 or both equal. */
  portConflicts(hp: HostPort): boolean {
    const ips = this.usedPorts.get(`${hp.protocol}/${hp.hostPort}`);
    if (!ips || ips.size === 0) return false;
    if (hp.hostIP === '0.0.0.0') return true;
    return ips.has('0.0.0.0') || ips.has(hp.hostIP);
  }

  private updatePort(hp: HostPort, delta: number): void {
    const k = `${hp.protocol}/${hp.hostPort}`;
    let ips = this.usedPorts.get(k);
    if (!ips) this.usedPorts.set(k, ips = new Map());
    const n = (ips.get(hp.hostIP) ?? 0) + delta;
    if (n > 0) ips.set(hp.hostIP, n); else ips.delete(hp.hostIP);
    if (ips.size === 0) this.usedPorts.delete(k);
  }
}
