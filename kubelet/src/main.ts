#!/usr/bin/env node
// kubelet entry point: flags → start(). Flag names follow the upstream kubelet (see flags.ts).
// SIGTERM/SIGINT: stop heartbeats, watches and pod workers and exit 0; containers keep running
// and are adopted by the next kubelet on this node.
import { join } from 'node:path';
import { connectionFromFlags, createLogger, onShutdown } from '@k8ts/shared';
import { FlagError, parseKubeletFlags, USAGE } from './flags.js';
import { start } from './kubelet.js';
import { createContainerdRuntime } from './runtime/select-runtime.js';
import { serveImageArchives } from './runtime/image-archives.js';
import { startServerIfAvailable } from './server-wiring.js';

const log = createLogger('kubelet');
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

let flags;
try {
  flags = parseKubeletFlags(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const f = flags;
try {
  const kubelet = await start({
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
  });
  onShutdown(async () => {
    log.info('shutting down (containers keep running)');
    await kubelet.close();
  });
} catch (err) {
  log.fatal({ err }, 'kubelet failed to start');
  process.exit(1);
}
