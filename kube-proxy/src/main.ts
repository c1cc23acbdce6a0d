#!/usr/bin/env node
// kube-proxy entry point: flags → startKubeProxy(). SIGTERM/SIGINT: stop watching, keep the
// rules in the kernel, exit 0. Process behaviour (exit codes, unhandled errors):
// shared/component-main.ts.
import { connectionFromFlags, runComponentMain } from '@k8ts/shared';
import { parseKubeProxyFlags, USAGE } from './flags.js';
import { startKubeProxy } from './proxier.js';

await runComponentMain({
  name: 'kube-proxy',
  usage: USAGE,
  parseFlags: parseKubeProxyFlags,
  start: (flags, log) => startKubeProxy({
    connection: connectionFromFlags({ kubeconfig: flags.kubeconfig, server: flags.master }),
    logger: log,
    nodeName: flags.nodeName,
    clusterCIDR: flags.clusterCIDR,
    minSyncPeriodMs: flags.minSyncPeriodMs,
    syncPeriodMs: flags.syncPeriodMs,
    healthPort: flags.healthPort,
    bindAddress: flags.healthHost,
  }),
});
