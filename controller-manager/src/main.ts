#!/usr/bin/env node
// controller-manager entry point: flags → start(). Flag names follow kube-controller-manager's
// (see flags.ts). SIGTERM/SIGINT: stop the controllers, release the lease, exit 0.
import { connectionFromFlags, createLogger, onShutdown } from '@k8ts/shared';
import { start } from './controller-manager.js';
import { FlagError, parseControllerManagerFlags, USAGE } from './flags.js';

const log = createLogger('controller-manager');
// A controller bug must not take the process down: log it and keep serving (the rejected
// work is retried by its queue). A synchronous uncaught exception leaves unknown state: exit.
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

let flags;
try {
  flags = parseControllerManagerFlags(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
try {
  const cm = await start({
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
  });
  onShutdown(async () => {
    log.info('shutting down');
    await cm.close();
  });
} catch (err) {
  log.fatal({ err }, 'controller-manager failed to start');
  process.exit(1);
}
