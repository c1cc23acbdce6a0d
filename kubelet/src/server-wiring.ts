// Starts the kubelet's HTTPS server (logs, exec, port-forward: kubelet/src/server/) with the
// pod lookups of the pod workers. Without TLS files the kubelet runs without it (and says so).
import { readFileSync } from 'node:fs';
import type { Logger } from '@k8ts/shared';
import type { KubeletContext } from './context.js';
import { makeLocateContainer, makePodPortDialer } from './pod/locate-container.js';
import type { PodWorkers } from './pod/pod-workers.js';
import { startKubeletServer } from './server/kubelet-server.js';

export interface ServerFlags {
  address: string;
  port: number;
  tlsCertFile?: string;
  tlsPrivateKeyFile?: string;
  clientCAFile?: string;
}

export async function startServerIfAvailable(ctx: KubeletContext & { workers: PodWorkers }, f: ServerFlags, log: Logger): Promise<{ close(): Promise<void> } | undefined> {
  if (!f.tlsCertFile || !f.tlsPrivateKeyFile || !f.clientCAFile) {
    log.warn('no --tls-cert-file/--tls-private-key-file/--client-ca-file: the HTTPS logs/exec server is not started');
    return undefined;
  }
  const server = await startKubeletServer({
    host: f.address, port: f.port, logger: log, runtime: ctx.runtime,
    tls: { cert: readFileSync(f.tlsCertFile), key: readFileSync(f.tlsPrivateKeyFile), clientCa: readFileSync(f.clientCAFile) },
    locate: makeLocateContainer(ctx.workers, ctx.runtime),
    portForward: makePodPortDialer(ctx.workers, ctx.nodeIP),
  });
  log.info({ port: server.port }, 'kubelet HTTPS server listening');
  return server;
}
