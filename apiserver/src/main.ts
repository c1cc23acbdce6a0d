#!/usr/bin/env node
// apiserver entry point: flags → start(). Flag names follow kube-apiserver's.
import { createLogger, onShutdown } from '@k8ts/shared';
import { start } from './server.js';
import { parseFlags } from './flags.js';

const log = createLogger('apiserver');
// etcd3 throws some protocol surprises (e.g. a response for a watch it already forgot) from
// inside its gRPC stream handlers, where no caller can catch them. They concern one watch,
// not the server: log and keep serving rather than drop every client.
process.on('uncaughtException', (err) => {
  if ((err as Error)?.name === 'ClientRuntimeError' || /etcd3/.test(String((err as Error)?.message))) {
    log.error({ err }, 'etcd client error outside any request; continuing');
    return;
  }
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});
const f = parseFlags(process.argv.slice(2));
const range = (f['service-node-port-range'] ?? '30000-32767').split('-').map(Number) as [number, number];
const seconds = (name: string): number | undefined => {
  const v = f[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) { log.fatal(`invalid value ${JSON.stringify(v)} for --${name}: want a whole number of seconds`); process.exit(2); }
  return Number(v);
};
try {
  const server = await start({
    etcdServers: (f['etcd-servers'] ?? 'http://127.0.0.1:2379').split(','),
    bindAddress: f['bind-address'] ?? '127.0.0.1',
    securePort: Number(f['secure-port'] ?? 6443),
    tlsCertFile: f['tls-cert-file'],
    tlsKeyFile: f['tls-private-key-file'],
    clientCAFile: f['client-ca-file'],
    tokenAuthFile: f['token-auth-file'],
    serviceCIDR: f['service-cluster-ip-range'] ?? '10.96.0.0/16',
    nodePortRange: range,
    advertiseAddress: f['advertise-address'],
    admission: {
      defaultNotReadyTolerationSeconds: seconds('default-not-ready-toleration-seconds'),
      defaultUnreachableTolerationSeconds: seconds('default-unreachable-toleration-seconds'),
      disabledPlugins: (f['disable-admission-plugins'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    kubeletClientCertificate: f['kubelet-client-certificate'],
    kubeletClientKey: f['kubelet-client-key'],
    kubeletCertificateAuthority: f['kubelet-certificate-authority'],
    logger: log,
  });
  onShutdown(async () => { log.info('shutting down'); await server.close(); });
} catch (err) {
  log.fatal({ err }, 'apiserver failed to start');
  process.exit(1);
}
