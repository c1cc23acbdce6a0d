// The kubelet process, minus flag parsing: start(options) → Kubelet.
//
// Start order:
//   1. register (or adopt) the Node;
//   2. pod CIDR: spec.podCIDR set by the controller-manager's nodeipam (10.244.N.0/24) — the
//      kubelet waits for it — or --pod-cidr, written into spec.podCIDR at registration;
//   3. the container runtime (created by `runtime(podCIDR)`, so a CNI-style runtime can build
//      its bridge for the node's range), node status loop (every nodeStatusUpdateFrequency,
//      and at once when the runtime's health changes) and the node Lease (every 10 s);
//   4. the pod watch (fieldSelector spec.nodeName=<node>), synced before any worker runs, then
//      the PLEG (whose first relist reports every pod the runtime holds: pods still bound here
//      are adopted, the rest removed) and the pod workers;
//   5. /healthz on healthzPort (plain HTTP), and the HTTPS server hook (`startServer`).
// close(): stops heartbeats, watches and workers; containers keep running (adopted on restart).
import { mkdir } from 'node:fs/promises';
import {
  ApiClient, EventRecorder, Informer, realClock, Resources, sleep, startHealthServer,
  type ClusterConnection, type Clock, type HealthServer, type KubeObject, type Logger,
} from '@k8ts/shared';
import type { KubeletContext } from './context.js';
import { NodeLease } from './node/node-lease.js';
import { defaultNodeIP, machineInfo, type MachineInfo } from './node/node-info.js';
import { NodeStatusManager } from './node/node-status.js';
import { apiConfigSource } from './pod/config-source.js';
import type { CrashBackoffOptions } from './pod/crash-backoff.js';
import { PodWorkers } from './pod/pod-workers.js';
import type { ContainerRuntime } from './runtime/types.js';

export interface KubeletOptions {
  connection: ClusterConnection;
  nodeName: string;
  rootDir: string;
  /** The runtime, or a factory called once the pod CIDR is known. */
  runtime: ContainerRuntime | ((ctx: { podCIDR: string }) => Promise<ContainerRuntime>);
  logger: Logger;
  nodeIP?: string;
  /** Port reported in status.daemonEndpoints.kubeletEndpoint.Port (the HTTPS server's). */
  port?: number;
  /** Plain HTTP /healthz; 0 picks a free port; -1 disables. Default 10248. */
  healthzPort?: number;
  healthzBindAddress?: string;
  clusterDNS?: string[];
  clusterDomain?: string;
  maxPods?: number;
  nodeStatusUpdateFrequencyMs?: number;
  nodeLeaseDurationSeconds?: number;
  /** Lease renew interval; default 10 s (upstream: 1/4 of the lease duration). */
  nodeLeaseRenewIntervalMs?: number;
  podCIDR?: string;
  registerWithTaints?: Record<string, unknown>[];
  nodeLabels?: Record<string, string>;
  /** Tests: shorter restart / pull back-off, faster PLEG, retries. Production keeps the defaults. */
  crashBackoff?: Partial<CrashBackoffOptions>;
  pullBackoff?: Partial<CrashBackoffOptions>;
  plegPeriodMs?: number;
  /** New pods brought up at once (PodWorkersOptions.maxParallelPodStarts). */
  maxParallelPodStarts?: number;
  retryMs?: number;
  resyncMs?: number;
  podCIDRPollMs?: number;
  clock?: Clock;
  machine?: MachineInfo;
  /**
   * WIRING POINT for the HTTPS logs/exec server (kubelet/src/server/, startKubeletServer):
   * called once the runtime is up; whatever it returns is closed with the kubelet.
   */
  startServer?: (ctx: KubeletContext & { workers: PodWorkers }) => Promise<{ close(): Promise<void> | void } | void>;
}

export interface Kubelet {
  ctx: KubeletContext;
  workers: PodWorkers;
  nodeStatus: NodeStatusManager;
  lease: NodeLease;
  healthzPort?: number;
  podCIDR: string;
  close(): Promise<void>;
}

export async function start(opts: KubeletOptions): Promise<Kubelet> {
  const log = opts.logger;
  const clock = opts.clock ?? realClock;
  const client = new ApiClient(opts.connection, { userAgent: `kubelet/${opts.nodeName} (k8ts)` });
  const nodeIP = opts.nodeIP ?? defaultNodeIP();
  const machine = opts.machine ?? machineInfo();
  await mkdir(opts.rootDir, { recursive: true });
  const abort = new AbortController();
  // the node's heartbeats (Lease, node status) have a client of their own: they never queue
  // behind a burst of pod status writes and events on the shared connections
  const heartbeatClient = new ApiClient(opts.connection, { userAgent: `kubelet/${opts.nodeName} (k8ts) heartbeat`, maxConnections: 2 });
  const closers: (() => Promise<void> | void)[] = [() => abort.abort(), () => client.close(), () => heartbeatClient.close()];
  const closeAll = async (): Promise<void> => {
    for (const c of closers.splice(0).reverse()) {
      try { await c(); } catch (err) { log.warn({ err }, 'kubelet shutdown step failed'); }
    }
  };
  try {
    // while new pods are being started, the events wait (at most 10 s): see EventRecorder deferWhile
    let startingPods = (): boolean => false;
    const recorder = new EventRecorder({ client, source: { component: 'kubelet', host: opts.nodeName }, logger: log, deferWhile: () => startingPods() });
    closers.push(() => recorder.close());
    // node events refer to the Node by name (upstream's nodeRef uses the name as uid)
    const nodeRef = { apiVersion: 'v1', kind: 'Node', name: opts.nodeName, uid: opts.nodeName };
    const nodeStatus = new NodeStatusManager({
      onNodeEvent: (type, reason, message) => recorder.record(nodeRef, type, reason, message),
      client: heartbeatClient, nodeName: opts.nodeName, nodeIP, machine, maxPods: opts.maxPods ?? 110,
      kubeletPort: opts.port ?? 10250, nodeLabels: opts.nodeLabels ?? {}, registerWithTaints: opts.registerWithTaints ?? [],
      podCIDR: opts.podCIDR, updateFrequencyMs: opts.nodeStatusUpdateFrequencyMs ?? 10_000, logger: log, clock,
    });
    // upstream retries registration forever (back-off up to 7 s): the apiserver may start later
    let node: KubeObject | undefined;
    for (let delay = 100; !node; delay = Math.min(delay * 2, 7000)) {
      try {
        node = await nodeStatus.register();
      } catch (err) {
        if (abort.signal.aborted) throw err;
        log.warn({ err, retryInMs: delay }, 'node registration failed; retrying');
        if (!(await sleep(delay, abort.signal, clock))) throw new Error('stopped before the node was registered');
      }
    }
    recorder.record(nodeRef, 'Normal', 'Starting', 'Starting kubelet.');
    const lease = new NodeLease({
      client: heartbeatClient, nodeName: opts.nodeName, leaseDurationSeconds: opts.nodeLeaseDurationSeconds ?? 40,
      renewIntervalMs: opts.nodeLeaseRenewIntervalMs ?? 10_000, nodeUid: () => nodeStatus.nodeUid, logger: log, clock,
    });
    lease.start();
    closers.push(() => lease.stop());
    nodeStatus.start(); // reports Ready=False until the runtime is up
    closers.push(() => nodeStatus.stop());

    const podCIDR = node.spec?.podCIDR ?? await nodeStatus.waitForPodCIDR(abort.signal, opts.podCIDRPollMs);
    if (!podCIDR) throw new Error('stopped while waiting for spec.podCIDR');
    log.info({ podCIDR }, 'pod CIDR known; starting the container runtime');
    const runtime = typeof opts.runtime === 'function' ? await opts.runtime({ podCIDR }) : opts.runtime;
    await nodeStatus.setRuntime(runtime);
    void nodeStatus.update().catch((err) => log.warn({ err }, 'node status update failed'));

    const allocMem = Math.max(0, machine.memoryBytes - 100 * 1024 * 1024);
    const ctx: KubeletContext = {
      nodeName: opts.nodeName, rootDir: opts.rootDir, runtime, client, recorder, logger: log, clock,
      dns: { clusterDNS: opts.clusterDNS ?? ['10.96.0.10'], clusterDomain: opts.clusterDomain ?? 'cluster.local' },
      nodeIP, nodeAllocatable: { cpu: machine.cpus, memoryBytes: allocMem },
    };
    const workers = new PodWorkers({
      ctx, config: apiConfigSource(client), crashBackoff: opts.crashBackoff, pullBackoff: opts.pullBackoff,
      plegPeriodMs: opts.plegPeriodMs, retryMs: opts.retryMs, resyncMs: opts.resyncMs,
      maxParallelPodStarts: opts.maxParallelPodStarts,
    });
    workers.onRuntimeHealth = (ok, err) => nodeStatus.setRuntimeHealth(ok, err);
    startingPods = () => workers.startingPods();

    const pods = new Informer<KubeObject>({
      client, ref: Resources.pods, fieldSelector: `spec.nodeName=${opts.nodeName}`, logger: log, clock,
    });
    pods.addEventHandler({
      onAdd: (p) => workers.upsert(p),
      onUpdate: (_o, p) => workers.upsert(p),
      onDelete: (p) => workers.remove(p),
    });
    pods.start();
    closers.push(() => pods.stop());
    if (!(await pods.waitForSync(abort.signal))) throw new Error('stopped before the pod watch synced');
    workers.start();
    closers.push(() => workers.stop());

    let healthzPort: number | undefined;
    if ((opts.healthzPort ?? 10248) >= 0) {
      const hs: HealthServer = await startHealthServer({
        port: opts.healthzPort ?? 10248, host: opts.healthzBindAddress ?? '127.0.0.1',
        checks: { healthz: () => true, readyz: () => pods.hasSynced() },
      });
      healthzPort = hs.port;
      closers.push(() => hs.close());
    }
    if (opts.startServer) {
      const server = await opts.startServer({ ...ctx, workers });
      if (server) closers.push(() => server.close());
    }
    log.info({ node: opts.nodeName, nodeIP, podCIDR, healthzPort }, 'kubelet started');
    return { ctx, workers, nodeStatus, lease, healthzPort, podCIDR, close: closeAll };
  } catch (e) {
    await closeAll();
    throw e;
  }
}
