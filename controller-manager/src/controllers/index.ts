// The controller table (upstream's NewControllerDescriptors) and --controllers selection.
// Names are upstream's --controllers names (`endpoint`, `nodelifecycle`, ...); aliases are
// upstream's long names (`endpoints-controller`, `node-lifecycle-controller`, ...).
// To add a controller: a folder under controllers/ with its reconcile loop, and one entry here.
import type { ControllerDescriptor } from './types.js';
import { NamespaceController } from './namespace/namespace-controller.js';
import { ReplicaSetController } from './replicaset/replica-set-controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './replicaset/replica-kind.js';
import { GarbageCollector } from './garbagecollector/garbage-collector.js';
import { DeploymentController } from './deployment/deployment-controller.js';
import { EndpointsController } from './endpoints/endpoints-controller.js';
import { NodeLifecycleController } from './nodelifecycle/node-lifecycle-controller.js';
import { TaintEvictionController } from './tainteviction/taint-eviction-controller.js';
import { NodeIpamController } from './nodeipam/node-ipam-controller.js';
import { PodGCController } from './podgc/pod-gc-controller.js';
import { ResourceQuotaController } from './resourcequota/resource-quota-controller.js';

export const CONTROLLERS: readonly ControllerDescriptor[] = [
  {
    name: 'namespace',
    enabledByDefault: true,
    init: (ctx) => new NamespaceController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, workers: ctx.options.concurrentNamespaceSyncs,
    }),
  },
  {
    name: 'replicaset',
    enabledByDefault: true,
    init: (ctx) => new ReplicaSetController({
      kind: REPLICA_SET, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(REPLICA_SET.component),
    }),
  },
  {
    name: 'replicationcontroller',
    enabledByDefault: true,
    init: (ctx) => new ReplicaSetController({
      kind: REPLICATION_CONTROLLER, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(REPLICATION_CONTROLLER.component),
    }),
  },
  {
    name: 'garbagecollector',
    enabledByDefault: true,
    init: (ctx) => new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger }),
  },
  {
    name: 'deployment',
    enabledByDefault: true,
    init: (ctx) => new DeploymentController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('deployment-controller'),
    }),
  },
  {
    name: 'endpoint',
    aliases: ['endpoints', 'endpoints-controller'],
    enabledByDefault: true,
    init: (ctx) => new EndpointsController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('endpoint-controller'),
      workers: ctx.options.concurrentEndpointSyncs,
    }),
  },
  {
    name: 'nodelifecycle',
    aliases: ['node-lifecycle-controller'],
    enabledByDefault: true,
    init: (ctx) => new NodeLifecycleController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('node-controller'),
      monitorPeriodMs: ctx.options.nodeMonitorPeriodMs, monitorGraceMs: ctx.options.nodeMonitorGracePeriodMs,
      startupGraceMs: ctx.options.nodeStartupGracePeriodMs, evictionRateQps: ctx.options.nodeEvictionRate,
      secondaryEvictionRateQps: ctx.options.secondaryNodeEvictionRate, largeClusterSizeThreshold: ctx.options.largeClusterSizeThreshold,
      unhealthyZoneThreshold: ctx.options.unhealthyZoneThreshold,
    }),
  },
  {
    name: 'taint-eviction-controller',
    enabledByDefault: true,
    init: (ctx) => new TaintEvictionController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('taint-eviction-controller'),
    }),
  },
  {
    name: 'nodeipam',
    aliases: ['node-ipam-controller'],
    enabledByDefault: true,
    init: (ctx) => new NodeIpamController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('cidrAllocator'),
      allocateNodeCIDRs: ctx.options.allocateNodeCIDRs, clusterCIDR: ctx.options.clusterCIDR, nodeCIDRMaskSize: ctx.options.nodeCIDRMaskSize,
    }),
  },
  {
    name: 'podgc',
    aliases: ['pod-garbage-collector-controller'],
    enabledByDefault: true,
    init: (ctx) => new PodGCController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger,
      terminatedPodThreshold: ctx.options.terminatedPodGCThreshold, checkPeriodMs: ctx.options.podGCPeriodMs,
      quarantineMs: ctx.options.podGCQuarantineMs,
    }),
  },
  {
    name: 'resourcequota',
    enabledByDefault: true,
    init: (ctx) => new ResourceQuotaController({
      client: ctx.client, informers: ctx.informers, logger: ctx.logger,
      workers: ctx.options.concurrentResourceQuotaSyncs, resyncMs: ctx.options.resourceQuotaSyncPeriodMs,
    }),
  },
];

/**
 * Upstream semantics of --controllers: `-foo` disables foo, `foo` enables it, `*` enables the
 * ones on by default; the first matching rule in that order wins. Unknown names (other than
 * `*`) throw, as upstream refuses them at start-up.
 */
export function enabledControllers(spec: readonly string[], table: readonly ControllerDescriptor[] = CONTROLLERS): ControllerDescriptor[] {
  const known = new Set(table.flatMap((c) => [c.name, ...(c.aliases ?? [])]));
  for (const s of spec) {
    const name = s.startsWith('-') ? s.slice(1) : s;
    if (name !== '*' && !known.has(name)) {
      throw new Error(`--controllers: "${name}" is not a known controller (known: ${table.map((c) => c.name).join(', ')})`);
    }
  }
  return table.filter((c) => {
    const names = [c.name, ...(c.aliases ?? [])];
    if (names.some((n) => spec.includes(`-${n}`))) return false;
    if (names.some((n) => spec.includes(n))) return true;
    return spec.includes('*') && c.enabledByDefault;
  });
}
