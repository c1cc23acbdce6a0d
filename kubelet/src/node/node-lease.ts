// The node heartbeat Lease (upstream NodeLease): kube-node-lease/<node>, holderIdentity = node
// name, leaseDurationSeconds = --node-lease-duration-seconds (40), renewTime refreshed every
// renewIntervalMs (10 s = 1/4 of the duration), ownerReference to the Node (so the garbage
// collector removes it with the Node).
// Contract: renew() creates the Lease when absent, otherwise updates it (compare-and-swap on its
// resourceVersion; a conflict re-reads once on the next renew). Errors are logged and retried on
// the next tick (upstream retries faster; the next tick is at most renewIntervalMs away).
import { isStatusError, realClock, Resources, type ApiClient, type Clock, type KubeObject, type Logger, type TimerHandle } from '@k8ts/shared';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

export interface NodeLeaseOptions {
  client: Pick<ApiClient, 'get' | 'create' | 'update'>;
  nodeName: string;
  leaseDurationSeconds: number;
  renewIntervalMs: number;
  /** The Node's uid for the ownerReference (looked up lazily when absent). */
  nodeUid: () => string | undefined;
  logger: Logger;
  clock?: Clock;
}

export const microTime = (ms: number): string => new Date(ms).toISOString().replace(/Z$/, '000Z');

export class NodeLease {
  private cached: KubeObject | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  private readonly clock: Clock;

  constructor(private readonly opts: NodeLeaseOptions) { this.clock = opts.clock ?? realClock; }

  start(): void { void this.loop(); }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  async renew(): Promise<KubeObject> {
    const { client, nodeName } = this.opts;
    const now = microTime(this.clock.now());
    if (!this.cached) {
      try {
        this.cached = await client.get(Resources.leases, NODE_LEASE_NAMESPACE, nodeName);
      } catch (e) {
        if (!(isStatusError(e) && e.status.code === 404)) throw e;
        this.cached = await client.create(Resources.leases, this.desired(undefined, now), { namespace: NODE_LEASE_NAMESPACE });
        return this.cached;
      }
    }
    try {
      this.cached = await client.update(Resources.leases, this.desired(this.cached, now));
    } catch (e) {
      this.cached = undefined; // conflict or gone: re-read on the next renew
      throw e;
    }
    return this.cached;
  }

  private desired(current: KubeObject | undefined, now: string): KubeObject {
    const uid = this.opts.nodeUid();
    const owner = uid ? [{ apiVersion: 'v1', kind: 'Node', name: this.opts.nodeName, uid }] : undefined;
    const base: KubeObject = current ? structuredClone(current) : {
      apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.opts.nodeName, namespace: NODE_LEASE_NAMESPACE },
    };
    if (owner && !(base.metadata.ownerReferences ?? []).some((o) => o.uid === uid)) base.metadata.ownerReferences = owner;
    base.spec = {
      ...(base.spec ?? {}),
      holderIdentity: this.opts.nodeName,
      leaseDurationSeconds: this.opts.leaseDurationSeconds,
      renewTime: now,
    };
    return base;
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.renew();
    } catch (err) {
      this.opts.logger.warn({ err }, 'node lease renewal failed');
    }
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.loop(), this.opts.renewIntervalMs);
  }
}
