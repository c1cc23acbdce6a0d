#!/usr/bin/env node
// kube-proxy entry point: flags → startKubeProxy(). SIGTERM/SIGINT: stop watching, keep the
// rules in the kernel, exit 0.
import { FlagError, connectionFromFlags, createLogger, onShutdown } from '@k8ts/shared';
import { parseKubeProxyFlags, USAGE, type KubeProxyFlags } from './flags.js';
import { startKubeProxy } from './proxier.js';

const log = createLogger('kube-proxy');
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));

let flags: KubeProxyFlags;
try {
  flags = parseKubeProxyFlags(process.argv.slice(2));
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
  const proxy = await startKubeProxy({
    connection: connectionFromFlags({ kubeconfig: flags.kubeconfig, server: flags.master }),
    logger: log,
    nodeName: flags.nodeName,
    clusterCIDR: flags.clusterCIDR,
    minSyncPeriodMs: flags.minSyncPeriodMs,
    syncPeriodMs: flags.syncPeriodMs,
    healthPort: flags.healthPort,
    bindAddress: flags.healthHost,
  });
  onShutdown(async () => { await proxy.close(); });
} catch (err) {
  log.fatal({ err }, 'kube-proxy failed to start');
  process.exit(1);
}
