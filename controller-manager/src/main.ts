#!/usr/bin/env node
// controller-manager entry point: flags → start(). Flag names follow kube-controller-manager's
// (see flags.ts). SIGTERM/SIGINT: stop the controllers, release the lease, exit 0. Process
// behaviour (exit codes, unhandled errors): shared/component-main.ts.
import { connectionFromFlags, runComponentMain } from '@k8ts/shared';
import { start } from './controller-manager.js';
import { parseControllerManagerFlags, USAGE } from './flags.js';

await runComponentMain({
  name: 'controller-manager',
  usage: USAGE,
  parseFlags: parseControllerManagerFlags,
  start: (flags, log) => start({
    connection: connectionFromFlags({ kubeconfig: flags.kubeconfig, server: flags.master }),
    logger: log,
    leaderElect: flags.leaderElect,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    leaderElectionNamespace: flags.leaderElectionNamespace,
    leaderElectionName: flags.leaderElectionName,
    controllers: flags.controllers,
    port: flags.port,
    bindAddress: flags.bindAddress,
    concurrentNamespaceSyncs: flags.concurrentNamespaceSyncs,
    controllerOptions: {
      concurrentEndpointSyncs: flags.concurrentEndpointSyncs,
      nodeMonitorPeriodMs: flags.nodeMonitorPeriodMs,
      nodeMonitorGracePeriodMs: flags.nodeMonitorGracePeriodMs,
      nodeStartupGracePeriodMs: flags.nodeStartupGracePeriodMs,
      nodeEvictionRate: flags.nodeEvictionRate,
      secondaryNodeEvictionRate: flags.secondaryNodeEvictionRate,
      largeClusterSizeThreshold: flags.largeClusterSizeThreshold,
      unhealthyZoneThreshold: flags.unhealthyZoneThreshold,
      allocateNodeCIDRs: flags.allocateNodeCIDRs,
      clusterCIDR: flags.clusterCIDR,
      nodeCIDRMaskSize: flags.nodeCIDRMaskSize,
      terminatedPodGCThreshold: flags.terminatedPodGCThreshold,
    },
    concurrentResourceQuotaSyncs: flags.concurrentResourceQuotaSyncs,
    resourceQuotaSyncPeriodMs: flags.resourceQuotaSyncPeriodMs,
  }),
});
