// Node IPAM controller (upstream pkg/controller/nodeipam with the RangeAllocator,
// --controllers name `nodeipam`): gives every Node a pod CIDR (spec.podCIDR + spec.podCIDRs)
// carved from --cluster-cidr in /--node-cidr-mask-size blocks, for the kubelet and the pod
// network.
//
// Contract:
// - Before any allocation, the CIDRs already on Nodes are marked taken (so a restarted
//   controller never hands one out twice); CIDRs outside the cluster CIDR are ignored.
// - reconcile(node name), one worker (allocation is serialized):
//     node has a podCIDR → remember it (a block already held by another node → Warning
//     Event CIDRNotAvailable on the later node, nothing else);
//     node has none → the block reserved for it earlier or the next free one, written with a
//     merge patch of spec.podCIDR/podCIDRs; the range exhausted → Warning CIDRNotAvailable
//     and a retry with backoff; a failed patch → Warning CIDRAssignmentFailed, retry.
//     node gone → its block is released (and nodes still waiting for one are re-queued).
// - Nothing happens when --allocate-node-cidrs is false.
// Not handled: dual-stack (a second IPv6 range), --service-cluster-ip-range exclusion,
// cloud allocators.
import {
  isNotFound, Resources, runWorkers, WorkQueue,
  type ApiClient, type EventRecorder, type Informer, type InformerFactory, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { Controller } from '../types.js';
import { CidrSet } from './cidr-set.js';

export interface NodeIpamOptions {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  recorder: EventRecorder;
  /** --allocate-node-cidrs */
  allocateNodeCIDRs: boolean;
  /** --cluster-cidr */
  clusterCIDR: string;
  /** --node-cidr-mask-size */
  nodeCIDRMaskSize: number;
}

export class NodeIpamController implements Controller {
  readonly name = 'nodeipam';
  readonly queue = new WorkQueue<string>({ name: 'nodeipam' });
  private readonly nodes: Informer | undefined;
  private readonly set: CidrSet | undefined;
  private readonly log: Logger;
  /** node name → the block it holds (on the Node, or reserved for it and being written) */
  private readonly owned = new Map<string, string>();
  private signal: AbortSignal = new AbortController().signal;

  constructor(private readonly opts: NodeIpamOptions) {
    this.log = opts.logger.child({ controller: 'nodeipam' });
    if (!opts.allocateNodeCIDRs) return;
    this.set = new CidrSet(opts.clusterCIDR, opts.nodeCIDRMaskSize);
    this.nodes = opts.informers.forResource(Resources.nodes);
    const enqueue = (n: KubeObject): void => this.queue.add(n.metadata.name!);
    this.nodes.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
  }

  async run(signal: AbortSignal): Promise<void> {
    this.signal = signal;
    if (!this.nodes || !this.set) {
      this.log.info('--allocate-node-cidrs is false; node IPAM does nothing');
      return;
    }
    const stop = (): void => this.queue.shutDown();
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    if (!(await this.nodes.waitForSync(signal))) return;
    for (const n of this.nodes.list()) this.remember(n);
    this.log.info({ clusterCIDR: this.opts.clusterCIDR, maskSize: this.opts.nodeCIDRMaskSize, inUse: this.set.allocated }, 'node IPAM started');
    await runWorkers(this.queue, 1, (name) => this.reconcile(name), this.log);
  }

  private podCIDRs(n: KubeObject): string[] {
    const list = Array.isArray(n.spec?.podCIDRs) ? n.spec.podCIDRs.filter((c: unknown) => typeof c === 'string' && c) : [];
    if (list.length) return list;
    return typeof n.spec?.podCIDR === 'string' && n.spec.podCIDR ? [n.spec.podCIDR] : [];
  }

  /** Takes note of a node's existing CIDR; false if another node already holds it. */
  private remember(n: KubeObject): boolean {
    const name = n.metadata.name!;
    const cidr = this.podCIDRs(n).find((c) => this.set!.contains(c));
    if (!cidr) return true;
    if (this.owned.get(name) === cidr) return true;
    const holder = [...this.owned].find(([other, c]) => other !== name && c === cidr);
    if (holder) return false;
    const previous = this.owned.get(name);
    if (previous) this.set!.release(previous);
    this.set!.occupy(cidr);
    this.owned.set(name, cidr);
    return true;
  }

  async reconcile(name: string): Promise<void> {
    const set = this.set!;
    const node = this.nodes!.get(name);
    if (!node) {
      const cidr = this.owned.get(name);
      if (cidr) {
        set.release(cidr);
        this.owned.delete(name);
        this.log.info({ node: name, cidr }, 'released pod CIDR of a deleted node');
        // nodes waiting for a block (range exhausted) can have it now
        for (const n of this.nodes!.list()) if (!this.podCIDRs(n).length && !this.owned.has(n.metadata.name!)) this.queue.add(n.metadata.name!);
      }
      return;
    }
    if (this.podCIDRs(node).length) {
      if (!this.remember(node)) {
        this.opts.recorder.record(node, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        this.log.warn({ node: name, podCIDRs: this.podCIDRs(node) }, 'node claims a pod CIDR another node holds');
      }
      return;
    }
    let cidr = this.owned.get(name);
    if (!cidr) {
      cidr = set.allocateNext();
      if (!cidr) {
        this.opts.recorder.record(node, 'Warning', 'CIDRNotAvailable', `Node ${name} status is now: CIDRNotAvailable`);
        throw new Error(`no pod CIDR left in ${this.opts.clusterCIDR} for node ${name}`);
      }
      this.owned.set(name, cidr);
    }
    try {
      await this.opts.client.patch(Resources.nodes, undefined, name, { spec: { podCIDR: cidr, podCIDRs: [cidr] } }, 'merge', undefined, { signal: this.signal });
      this.log.info({ node: name, cidr }, 'assigned pod CIDR');
    } catch (e) {
      if (isNotFound(e)) return; // the delete event releases the block
      if (this.signal.aborted) throw e;
      this.opts.recorder.record(node, 'Warning', 'CIDRAssignmentFailed', `Node ${name} status is now: CIDRAssignmentFailed`);
      throw e;
    }
  }
}
