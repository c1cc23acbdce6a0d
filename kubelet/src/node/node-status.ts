// Node registration and status (upstream kubelet_node_status.go).
//
// register(): create the Node (labels kubernetes.io/hostname|os|arch + --node-labels, taints
// from --register-with-taints, spec.podCIDR from --pod-cidr when given) or, when it exists,
// adopt it (labels merged in; an unset spec.podCIDR filled from --pod-cidr; taints untouched).
// Pod CIDR design: the controller-manager's nodeipam assigns 10.244.N.0/24 to every Node and
// the kubelet waits for it (waitForPodCIDR); --pod-cidr is only the fallback that the kubelet
// writes into spec.podCIDR itself at registration, which nodeipam then honours as allocated.
//
// update(): the full status — addresses (InternalIP, Hostname), capacity/allocatable (cpu,
// memory from /proc/meminfo minus the 100Mi eviction threshold, pods), nodeInfo, conditions
// (MemoryPressure / DiskPressure / PIDPressure False; Ready True, or False with reason
// KubeletNotReady while the runtime is not started or runtime.status() fails), daemonEndpoints,
// images — as a merge patch of nodes/<name>/status. lastHeartbeatTime is now on every update;
// lastTransitionTime moves only when a condition's status changes. Runs every
// updateFrequencyMs and at once when the runtime's health changes. Errors are logged; the next
// tick retries.
import {
  isStatusError, realClock, Resources, type ApiClient, type Clock, type KubeObject, type Logger, type TimerHandle,
} from '@k8ts/shared';
import type { ContainerRuntime } from '../runtime/types.js';
import { rfc3339 } from '../pod/pod-status.js';
import { memTotalBytes, type MachineInfo } from './node-info.js';

export const KUBELET_VERSION = 'v1.31.9-k8ts';
const EVICTION_HARD_MEMORY = 100 * 1024 * 1024;

type Rec = Record<string, any>;

export interface NodeStatusOptions {
  client: Pick<ApiClient, 'get' | 'create' | 'patch'>;
  nodeName: string;
  nodeIP: string;
  machine: MachineInfo;
  maxPods: number;
  kubeletPort: number;
  nodeLabels: Record<string, string>;
  registerWithTaints: Rec[];
  podCIDR?: string;
  updateFrequencyMs: number;
  logger: Logger;
  clock?: Clock;
  /** Node events (NodeReady / NodeNotReady transitions). */
  onNodeEvent?: (type: 'Normal' | 'Warning', reason: string, message: string) => void;
  /** Time source for condition timestamps; default Date.now. */
  now?: () => number;
}

export class NodeStatusManager {
  node: KubeObject | undefined;
  private runtime: ContainerRuntime | undefined;
  private runtimeVersion = '';
  private runtimeProblem: string | undefined = 'container runtime not started (waiting for spec.podCIDR)';
  private timer: TimerHandle | undefined;
  private stopped = false;
  private updating: Promise<void> | undefined;
  private lastReady: boolean | undefined;
  private readonly clock: Clock;
  private readonly now: () => number;

  constructor(private readonly opts: NodeStatusOptions) {
    this.clock = opts.clock ?? realClock;
    this.now = opts.now ?? (() => Date.now());
  }

  get nodeUid(): string | undefined { return this.node?.metadata.uid; }

  async register(): Promise<KubeObject> {
    const { client, nodeName } = this.opts;
    const labels = this.labels();
    const body: KubeObject = {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name: nodeName, labels, annotations: { 'volumes.kubernetes.io/controller-managed-attach-detach': 'true' } },
      spec: {
        ...(this.opts.registerWithTaints.length ? { taints: this.opts.registerWithTaints } : {}),
        ...(this.opts.podCIDR ? { podCIDR: this.opts.podCIDR, podCIDRs: [this.opts.podCIDR] } : {}),
      },
      status: this.computeStatus(undefined, []),
    };
    try {
      this.node = await client.create(Resources.nodes, body);
      this.opts.logger.info({ node: nodeName }, 'node registered');
    } catch (e) {
      if (!(isStatusError(e) && e.status.code === 409)) throw e;
      const existing = await client.get(Resources.nodes, undefined, nodeName);
      const patch: Rec = { metadata: { labels } };
      if (this.opts.podCIDR && !existing.spec?.podCIDR) patch.spec = { podCIDR: this.opts.podCIDR, podCIDRs: [this.opts.podCIDR] };
      this.node = await client.patch(Resources.nodes, undefined, nodeName, patch, 'merge');
      this.opts.logger.info({ node: nodeName }, 'adopted the existing Node object');
    }
    return this.node!;
  }

  /** Resolves with spec.podCIDR once set (polling every pollMs), or undefined if `signal` aborts. */
  async waitForPodCIDR(signal: AbortSignal, pollMs = 1000): Promise<string | undefined> {
    let logged = false;
    while (!signal.aborted) {
      try {
        this.node = await this.opts.client.get(Resources.nodes, undefined, this.opts.nodeName);
        const cidr = this.node.spec?.podCIDR;
        if (cidr) return cidr;
      } catch (err) {
        this.opts.logger.warn({ err }, 'reading the Node for spec.podCIDR failed');
      }
      if (!logged) {
        this.opts.logger.info('waiting for spec.podCIDR from the controller-manager (nodeipam); pass --pod-cidr to set one');
        logged = true;
      }
      await new Promise<void>((r) => { const t = this.clock.setTimeout(r, pollMs); signal.addEventListener('abort', () => { this.clock.clearTimeout(t); r(); }, { once: true }); });
    }
    return undefined;
  }

  async setRuntime(rt: ContainerRuntime): Promise<void> {
    // version first, then publish: a concurrent update never sees a runtime without its version
    try {
      await rt.status();
      const v = await rt.version();
      this.runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
      this.runtimeProblem = undefined;
    } catch (err) {
      this.runtimeProblem = `container runtime is down: ${(err as Error).message}`;
    }
    this.runtime = rt;
  }

  /** Health as seen elsewhere (PLEG); a change triggers an immediate status update. */
  setRuntimeHealth(ok: boolean, err?: unknown): void {
    const problem = ok ? undefined : `container runtime is down: ${(err as Error)?.message ?? String(err)}`;
    if ((problem === undefined) === (this.runtimeProblem === undefined)) return;
    this.runtimeProblem = problem;
    if (!this.stopped) this.update().catch((err) => this.opts.logger.warn({ err }, 'node status update failed'));
  }

  start(): void { void this.loop(); }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
  }

  /** Computes and writes the full status (serialized: concurrent calls share one write). */
  update(): Promise<void> {
    if (this.updating) return this.updating.then(() => this.update());
    this.updating = this.doUpdate().finally(() => { this.updating = undefined; });
    return this.updating;
  }

  private async checkRuntime(): Promise<void> {
    if (!this.runtime) return;
    try {
      await this.runtime.status();
      if (!this.runtimeVersion) {
        const v = await this.runtime.version();
        this.runtimeVersion = `${v.runtimeName}://${v.runtimeVersion}`;
      }
      this.runtimeProblem = undefined;
    } catch (err) {
      this.runtimeProblem = `container runtime is down: ${(err as Error).message}`;
    }
  }

  private async doUpdate(): Promise<void> {
    await this.checkRuntime();
    let images: Rec[] = [];
    if (this.runtime && !this.runtimeProblem) {
      try {
        images = (await this.runtime.listImages())
          .sort((a, b) => b.sizeBytes - a.sizeBytes).slice(0, 50)
          .map((i) => ({ names: [...i.repoDigests, ...i.repoTags], sizeBytes: i.sizeBytes }));
      } catch { /* keep the last images list out of this update */ }
    }
    const status = this.computeStatus(this.node?.status, images);
    if (!images.length && this.node?.status?.images) status.images = this.node.status.images;
    try {
      this.node = await this.opts.client.patch(Resources.nodes, undefined, this.opts.nodeName, { status }, 'merge', 'status');
    } catch (e) {
      if (!(isStatusError(e) && e.status.code === 404)) throw e;
      this.opts.logger.warn('the Node object is gone; registering again');
      await this.register();
      return;
    }
    const was = this.lastReady;
    this.lastReady = this.runtimeProblem === undefined;
    if (was !== this.lastReady) this.opts.onNodeEvent?.('Normal', this.lastReady ? 'NodeReady' : 'NodeNotReady', `Node ${this.opts.nodeName} status is now: ${this.lastReady ? 'NodeReady' : 'NodeNotReady'}`);
  }

  private labels(): Record<string, string> {
    const a = this.opts.machine.architecture;
    return {
      'beta.kubernetes.io/arch': a, 'beta.kubernetes.io/os': 'linux',
      'kubernetes.io/arch': a, 'kubernetes.io/hostname': this.opts.nodeName, 'kubernetes.io/os': 'linux',
      ...this.opts.nodeLabels,
    };
  }

  computeStatus(old: Rec | undefined, images: Rec[]): Rec {
    const m = this.opts.machine;
    const now = rfc3339(this.now());
    const memory = memTotalBytes() || m.memoryBytes;
    const capacity = { cpu: String(m.cpus), memory: `${Math.floor(memory / 1024)}Ki`, pods: String(this.opts.maxPods), 'hugepages-2Mi': '0' };
    const allocatable = { ...capacity, memory: `${Math.floor(Math.max(0, memory - EVICTION_HARD_MEMORY) / 1024)}Ki` };
    const cond = (type: string, status: string, reason: string, message: string): Rec => {
      const prev = ((old?.conditions ?? []) as Rec[]).find((c) => c.type === type);
      return { type, status, lastHeartbeatTime: now, lastTransitionTime: prev && prev.status === status ? prev.lastTransitionTime : now, reason, message };
    };
    const conditions = [
      cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
      cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
      cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
      this.runtimeProblem
        ? cond('Ready', 'False', 'KubeletNotReady', this.runtimeProblem)
        : cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
    ];
    return {
      capacity, allocatable, conditions,
      addresses: [{ type: 'InternalIP', address: this.opts.nodeIP }, { type: 'Hostname', address: this.opts.nodeName }],
      daemonEndpoints: { kubeletEndpoint: { Port: this.opts.kubeletPort } },
      nodeInfo: {
        machineID: m.machineID, systemUUID: m.systemUUID, bootID: m.bootID, kernelVersion: m.kernelVersion,
        osImage: m.osImage, containerRuntimeVersion: this.runtimeVersion, kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: '', operatingSystem: 'linux', architecture: m.architecture,
      },
      images,
    };
  }

  private async loop(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.update();
    } catch (err) {
      this.opts.logger.warn({ err }, 'node status update failed');
    }
    if (this.stopped) return;
    this.timer = this.clock.setTimeout(() => void this.loop(), this.opts.updateFrequencyMs);
  }
}
