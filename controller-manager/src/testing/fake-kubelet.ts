// Test helper standing in for a kubelet's heartbeats: registers a Node (Ready) and renews its
// Lease kube-node-lease/<node> every `everyMs` while alive; recover() posts Ready=True again.
import { isAlreadyExists, isConflict, Resources, type ApiClient, type KubeObject } from '@k8ts/shared';

const micro = (ms: number): string => new Date(ms).toISOString().replace('Z', '000Z');
const seconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d+Z$/, 'Z');

export function readyConditions(now = Date.now()): Record<string, unknown>[] {
  const t = seconds(now);
  return [
    { type: 'MemoryPressure', status: 'False', reason: 'KubeletHasSufficientMemory', message: 'kubelet has sufficient memory available', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'DiskPressure', status: 'False', reason: 'KubeletHasNoDiskPressure', message: 'kubelet has no disk pressure', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'PIDPressure', status: 'False', reason: 'KubeletHasSufficientPID', message: 'kubelet has sufficient PID available', lastHeartbeatTime: t, lastTransitionTime: t },
    { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status', lastHeartbeatTime: t, lastTransitionTime: t },
  ];
}

export class FakeKubelet {
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly client: ApiClient, readonly nodeName: string, private readonly everyMs = 300) {}

  async register(labels: Record<string, string> = {}): Promise<KubeObject> {
    const node = await this.client.create(Resources.nodes, {
      metadata: { name: this.nodeName, labels: { 'kubernetes.io/hostname': this.nodeName, ...labels } },
      spec: {},
      status: {
        conditions: readyConditions(), capacity: { cpu: '2', memory: '4Gi', pods: '110' }, allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
        addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: this.nodeName }],
        nodeInfo: { kubeletVersion: 'v1.31.0-k8ts', containerRuntimeVersion: 'containerd://1.7', osImage: 'Debian', kernelVersion: '6', operatingSystem: 'linux', architecture: 'amd64' },
      },
    });
    await this.renew();
    this.resume();
    return node;
  }

  async renew(): Promise<void> {
    const now = Date.now();
    try {
      await this.client.create(Resources.leases, {
        metadata: { name: this.nodeName, namespace: 'kube-node-lease' },
        spec: { holderIdentity: this.nodeName, leaseDurationSeconds: 40, renewTime: micro(now) },
      });
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const lease = await this.client.get(Resources.leases, 'kube-node-lease', this.nodeName);
      try {
        await this.client.update(Resources.leases, { ...lease, spec: { ...lease.spec, renewTime: micro(now) } });
      } catch (err) {
        if (!isConflict(err)) throw err;
      }
    }
  }

  /** Stops heartbeats (the node goes silent). */
  pause(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  resume(): void {
    if (this.timer) return;
    this.timer = setInterval(() => { this.renew().catch(() => undefined); }, this.everyMs);
    this.timer.unref();
  }

  /** Heartbeats again and posts Ready=True (what a restarted kubelet does). A conflict with the
   *  node-lifecycle controller's own status write is retried on a fresh read, as a kubelet does. */
  async recover(): Promise<void> {
    await this.renew();
    for (let attempt = 0; ; attempt++) {
      const node = await this.client.get(Resources.nodes, undefined, this.nodeName);
      try {
        await this.client.updateStatus(Resources.nodes, { ...node, status: { ...node.status, conditions: readyConditions() } });
        break;
      } catch (e) {
        if (!isConflict(e) || attempt >= 9) throw e;
      }
    }
    this.resume();
  }
}
