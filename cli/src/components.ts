// THE component table of a local cluster: what `k8ts up` starts, in order, each behind a
// readiness check; `k8ts down` stops them in reverse order.
//
// To add a component (scheduler, controller-manager, kubelets, kube-proxy, dns ...), append an
// entry: name, command, args, markers (strings that identify its process in /proc/<pid>/cmdline,
// including one that is specific to this state directory), readiness URL, ports it binds.
// Components authenticate with <state>/kubeconfigs/<identity>.kubeconfig (see identities.ts).
//
// Contract: pure (no I/O); the same context always yields the same table.
import { join } from 'node:path';
import type { ClusterConfig } from './cluster-config.js';
import type { Readiness } from './readiness.js';
import type { StateLayout } from './state-layout.js';

export interface ComponentSpec {
  name: string;
  command: string;
  args: string[];
  /** Every marker must occur in the process's NUL-joined argv for a pid to count as this component. */
  markers: string[];
  readiness: Readiness;
  readyTimeoutMs: number;
  /** TCP ports on 127.0.0.1 it listens on: they must be free before it starts. */
  ports: number[];
  /** Files that must exist before it can start, each with a hint for the user. */
  requires: { file: string; hint: string }[];
  env?: Record<string, string>;
}

export interface ComponentContext {
  repoRoot: string;
  layout: StateLayout;
  config: ClusterConfig;
  /** Cluster CA (PEM), for https readiness checks; absent before the PKI exists. */
  caPem?: string | Buffer;
  /** Node.js binary for components written in TypeScript. */
  nodeBin: string;
  etcdBin: string;
}

export function componentTable(ctx: ComponentContext): ComponentSpec[] {
  const { layout, config } = ctx;
  const etcdUrl = `http://127.0.0.1:${config.etcdPort}`;
  const etcdPeerUrl = `http://127.0.0.1:${config.etcdPort + 1}`;
  const apiserverMain = join(ctx.repoRoot, 'apiserver', 'dist', 'main.js');
  const controllerManagerMain = join(ctx.repoRoot, 'controller-manager', 'dist', 'main.js');
  const controllerManagerKubeconfig = layout.componentKubeconfig('controller-manager');
  const build = { hint: 'build it first: npx tsc -b (or scripts/install-deps.sh)' };
  return [
    {
      name: 'etcd',
      command: ctx.etcdBin,
      args: [
        '--name', 'k8ts',
        '--data-dir', layout.etcdDataDir,
        '--listen-client-urls', etcdUrl,
        '--advertise-client-urls', etcdUrl,
        '--listen-peer-urls', etcdPeerUrl,
        '--initial-advertise-peer-urls', etcdPeerUrl,
        '--initial-cluster', `k8ts=${etcdPeerUrl}`,
        '--initial-cluster-state', 'new',
        '--logger', 'zap',
        // Bounded history, as upstream's apiserver compacts: keeps an hour of revisions for
        // watch resumption instead of growing until etcd's 2 GiB quota alarm.
        '--auto-compaction-mode', 'periodic',
        '--auto-compaction-retention', '1h',
      ],
      markers: ['etcd', `--data-dir\0${layout.etcdDataDir}`],
      readiness: { url: `${etcdUrl}/health` },
      readyTimeoutMs: 20_000,
      ports: [config.etcdPort, config.etcdPort + 1],
      requires: [],
    },
    {
      name: 'apiserver',
      command: ctx.nodeBin,
      args: [
        apiserverMain,
        `--etcd-servers=${etcdUrl}`,
        '--bind-address=127.0.0.1',
        `--secure-port=${config.apiserverPort}`,
        `--tls-cert-file=${layout.apiserverCert}`,
        `--tls-private-key-file=${layout.apiserverKey}`,
        `--client-ca-file=${layout.caCert}`,
        `--token-auth-file=${layout.tokenFile}`,
        `--service-cluster-ip-range=${config.serviceClusterIpRange}`,
        `--service-node-port-range=${config.serviceNodePortRange}`,
        '--advertise-address=127.0.0.1',
      ],
      markers: [apiserverMain, `--token-auth-file=${layout.tokenFile}`],
      readiness: { url: `https://127.0.0.1:${config.apiserverPort}/readyz`, ...(ctx.caPem ? { ca: ctx.caPem } : {}) },
      readyTimeoutMs: 30_000,
      ports: [config.apiserverPort],
      requires: [{ file: apiserverMain, ...build }],
    },
    {
      name: 'controller-manager',
      command: ctx.nodeBin,
      args: [
        controllerManagerMain,
        `--kubeconfig=${controllerManagerKubeconfig}`,
        '--leader-elect=true',
        '--bind-address=127.0.0.1',
        `--port=${config.controllerManagerPort}`,
      ],
      markers: [controllerManagerMain, `--kubeconfig=${controllerManagerKubeconfig}`],
      readiness: { url: `http://127.0.0.1:${config.controllerManagerPort}/readyz` },
      readyTimeoutMs: 20_000,
      ports: [config.controllerManagerPort],
      requires: [
        { file: controllerManagerMain, ...build },
        { file: controllerManagerKubeconfig, hint: 'it is written by `k8ts up` with the other credentials' },
      ],
    },
  ];
}
