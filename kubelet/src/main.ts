#!/usr/bin/env node
// kubelet entry point: flags → start(). Flag names follow the upstream kubelet (see flags.ts).
// SIGTERM/SIGINT: stop heartbeats, watches and pod workers and exit 0; containers keep running
// and are adopted by the next kubelet on this node. Process behaviour (exit codes, unhandled
// errors): shared/component-main.ts.
import { join } from 'node:path';
import { connectionFromFlags, runComponentMain } from '@k8ts/shared';
import { parseKubeletFlags, USAGE } from './flags.js';
import { start } from './kubelet.js';
import { createContainerdRuntime } from './runtime/select-runtime.js';
import { serveImageArchives } from './runtime/image-archives.js';
import { startServerIfAvailable } from './server-wiring.js';

await runComponentMain({
  name: 'kubelet',
  usage: USAGE,
  parseFlags: parseKubeletFlags,
  shutdownMessage: 'shutting down (containers keep running)',
  start: (f, log) => start({
    connection: connectionFromFlags({ kubeconfig: f.kubeconfig, server: f.server }),
    logger: log,
    nodeName: f.nodeName,
    rootDir: f.rootDir,
    nodeIP: f.nodeIP,
    port: f.port,
    healthzPort: f.healthzPort,
    healthzBindAddress: f.healthzBindAddress,
    clusterDNS: f.clusterDNS,
    clusterDomain: f.clusterDomain,
    maxPods: f.maxPods,
    maxParallelPodStarts: f.maxParallelPodStarts,
    nodeStatusUpdateFrequencyMs: f.nodeStatusUpdateFrequencyMs,
    nodeLeaseDurationSeconds: f.nodeLeaseDurationSeconds,
    podCIDR: f.podCIDR,
    registerWithTaints: f.registerWithTaints,
    nodeLabels: f.nodeLabels,
    runtime: async ({ podCIDR }) => {
      const rt = await createContainerdRuntime({
        address: f.containerRuntimeEndpoint, namespace: f.containerdNamespace ?? `k8ts-${f.nodeName}`, stateDir: join(f.rootDir, 'runtime'),
        nodeName: f.nodeName, bridge: f.cniBridge, podCIDR, clusterCIDR: f.clusterCIDR, serviceCIDR: f.serviceCIDR,
      });
      if (f.imageArchiveDir) serveImageArchives(rt, f.imageArchiveDir, log, { delayMs: 5_000 });
      return rt;
    },
    // WIRING POINT for the HTTPS logs/exec server (kubelet/src/server/): see server-wiring.ts
    startServer: (ctx) => startServerIfAvailable(ctx, f, log),
  }),
});
