// What every controller gets and gives. A controller is built (registering its informers
// with the shared factory) before the factory starts, then run() until the signal aborts.
import type { ApiClient, EventRecorder, Logger } from '@k8ts/shared';
import type { InformerFactory } from '@k8ts/shared';

export interface ControllerOptions {
  /** --concurrent-namespace-syncs */
  concurrentNamespaceSyncs: number;
  /** --concurrent-endpoint-syncs (default 5) */
  concurrentEndpointSyncs: number;
  /** --node-monitor-period (default 5 s) */
  nodeMonitorPeriodMs: number;
  /** --node-monitor-grace-period (default 50 s) */
  nodeMonitorGracePeriodMs: number;
  /** --node-startup-grace-period (default 60 s) */
  nodeStartupGracePeriodMs: number;
  /** --node-eviction-rate (default 0.1 nodes/s per zone) */
  nodeEvictionRate: number;
  /** --secondary-node-eviction-rate (default 0.01) */
  secondaryNodeEvictionRate: number;
  /** --large-cluster-size-threshold (default 50) */
  largeClusterSizeThreshold: number;
  /** --unhealthy-zone-threshold (default 0.55) */
  unhealthyZoneThreshold: number;
  /** --allocate-node-cidrs (default true in k8ts) */
  allocateNodeCIDRs: boolean;
  /** --cluster-cidr (default 10.244.0.0/16) */
  clusterCIDR: string;
  /** --node-cidr-mask-size (default 24) */
  nodeCIDRMaskSize: number;
  /** --terminated-pod-gc-threshold (default 12500; 0 disables) */
  terminatedPodGCThreshold: number;
  /** Pod GC pass period (upstream's fixed 20 s). */
  podGCPeriodMs: number;
  /** How long a node must be gone before pod GC deletes its pods (upstream's fixed 40 s). */
  podGCQuarantineMs: number;
  /** --concurrent-resource-quota-syncs (5) */
  concurrentResourceQuotaSyncs?: number;
  /** --resource-quota-sync-period (5m) */
  resourceQuotaSyncPeriodMs?: number;
}

export const DEFAULT_CONTROLLER_OPTIONS: Readonly<ControllerOptions> = Object.freeze({
  concurrentNamespaceSyncs: 10,
  concurrentEndpointSyncs: 5,
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  nodeEvictionRate: 0.1,
  secondaryNodeEvictionRate: 0.01,
  largeClusterSizeThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  allocateNodeCIDRs: true,
  clusterCIDR: '10.244.0.0/16',
  nodeCIDRMaskSize: 24,
  terminatedPodGCThreshold: 12_500,
  podGCPeriodMs: 20_000,
  podGCQuarantineMs: 40_000,
  concurrentResourceQuotaSyncs: 5,
  resourceQuotaSyncPeriodMs: 300_000,
});

export interface ControllerContext {
  client: ApiClient;
  informers: InformerFactory;
  logger: Logger;
  options: ControllerOptions;
  /** An event recorder with source.component = `component` (e.g. `replicaset-controller`); one per component per term. */
  recorder(component: string): EventRecorder;
}

export interface Controller {
  readonly name: string;
  /**
   * Waits for its informers, then works until `signal` aborts; resolves once its workers have
   * finished (in-flight reconciles see the same signal). Never rejects.
   */
  run(signal: AbortSignal): Promise<void>;
}

export interface ControllerDescriptor {
  name: string;
  /** Other names --controllers accepts for it (upstream's long names, e.g. `node-lifecycle-controller`). */
  aliases?: string[];
  /** Enabled when --controllers contains `*` (upstream's "on by default"). */
  enabledByDefault: boolean;
  init(ctx: ControllerContext): Controller;
}
