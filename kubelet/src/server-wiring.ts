// WIRING POINT for the HTTPS logs/exec/port-forward server written by another helper
// (kubelet/src/server/kubelet-server.ts, startKubeletServer). Imported lazily through a computed
// specifier so this compiles without it; without TLS files, or when the module is absent, the
// kubelet runs without that server (and says so in its log).
import { readFileSync } from 'node:fs';
import type { Logger } from '@k8ts/shared';
import type { KubeletContext } from './context.js';
import { makeLocateContainer, makePodPortDialer } from './pod/locate-container.js';
import type { PodWorkers } from './pod/pod-workers.js';

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
  const specifier = './server/kubelet-server.js';
  let mod: { startKubeletServer?: (o: Record<string, unknown>) => Promise<{ port: number; close(): Promise<void> }> };
  try {
    mod = await import(specifier);
  } catch (err) {
    log.warn({ err }, 'the kubelet HTTPS server module is not in this build; logs/exec are unavailable');
    return undefined;
  }
  if (!mod.startKubeletServer) return undefined;
  const server = await mod.startKubeletServer({
    host: f.address, port: f.port, logger: log, runtime: ctx.runtime,
    tls: { cert: readFileSync(f.tlsCertFile), key: readFileSync(f.tlsPrivateKeyFile), clientCa: readFileSync(f.clientCAFile) },
    locate: makeLocateContainer(ctx.workers, ctx.runtime),
    portForward: makePodPortDialer(ctx.workers, ctx.nodeIP),
  });
  log.info({ port: server.port }, 'kubelet HTTPS server listening');
  return server;
}
