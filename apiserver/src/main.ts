#!/usr/bin/env node
// apiserver entry point: flags → start(). Flag names follow kube-apiserver's. SIGTERM/SIGINT:
// close watches and connections, exit 0. Process behaviour (exit codes, unhandled errors):
// shared/component-main.ts.
import { FlagError, runComponentMain } from '@k8ts/shared';
import { start } from './server.js';
import { parseFlags } from './flags.js';

const USAGE = `Usage: node apiserver/dist/main.js [flags]

  --etcd-servers=http://127.0.0.1:2379     comma-separated etcd endpoints
  --bind-address=127.0.0.1 --secure-port=6443
  --tls-cert-file --tls-private-key-file --client-ca-file --token-auth-file
  --service-cluster-ip-range=10.96.0.0/16 --service-node-port-range=30000-32767
  --advertise-address=IP
  --default-not-ready-toleration-seconds=300 --default-unreachable-toleration-seconds=300
  --disable-admission-plugins=A,B
  --kubelet-client-certificate --kubelet-client-key --kubelet-certificate-authority
`;

type Flags = Record<string, string | undefined>;

function seconds(f: Flags, name: string): number | undefined {
  const v = f[name];
  if (v === undefined) return undefined;
  if (!/^\d+$/.test(v)) throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want a whole number of seconds`);
  return Number(v);
}

await runComponentMain({
  name: 'apiserver',
  usage: USAGE,
  parseFlags: (argv) => {
    const f = parseFlags(argv);
    seconds(f, 'default-not-ready-toleration-seconds');
    seconds(f, 'default-unreachable-toleration-seconds');
    return f;
  },
  // etcd3 throws some protocol surprises (e.g. a response for a watch it already forgot) from
  // inside its gRPC stream handlers, where no caller can catch them. They concern one watch,
  // not the server: log and keep serving rather than drop every client.
  tolerate: (err) => (err as Error)?.name === 'ClientRuntimeError' || /etcd3/.test(String((err as Error)?.message)),
  start: (f, log) => start({
    etcdServers: (f['etcd-servers'] ?? 'http://127.0.0.1:2379').split(','),
    bindAddress: f['bind-address'] ?? '127.0.0.1',
    securePort: Number(f['secure-port'] ?? 6443),
    tlsCertFile: f['tls-cert-file'],
    tlsKeyFile: f['tls-private-key-file'],
    clientCAFile: f['client-ca-file'],
    tokenAuthFile: f['token-auth-file'],
    serviceCIDR: f['service-cluster-ip-range'] ?? '10.96.0.0/16',
    nodePortRange: (f['service-node-port-range'] ?? '30000-32767').split('-').map(Number) as [number, number],
    advertiseAddress: f['advertise-address'],
    admission: {
      defaultNotReadyTolerationSeconds: seconds(f, 'default-not-ready-toleration-seconds'),
      defaultUnreachableTolerationSeconds: seconds(f, 'default-unreachable-toleration-seconds'),
      disabledPlugins: (f['disable-admission-plugins'] ?? '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    kubeletClientCertificate: f['kubelet-client-certificate'],
    kubeletClientKey: f['kubelet-client-key'],
    kubeletCertificateAuthority: f['kubelet-certificate-authority'],
    logger: log,
  }),
});
