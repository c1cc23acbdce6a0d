// kube-proxy's command line (the subset k8ts implements; names and meaning as upstream).
import { flagUsage, parseFlagTable, type FlagSpec } from '@k8ts/shared';

export const KUBE_PROXY_FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { kind: 'string', help: 'kubeconfig with the API server and credentials' },
  master: { kind: 'string', help: 'API server URL (overrides the kubeconfig)' },
  'hostname-override': { kind: 'string', help: 'this node\'s name (for /healthz and logs)' },
  'cluster-cidr': { kind: 'string', default: '10.244.0.0/16', help: 'pod CIDR: traffic from it to a ClusterIP is not masqueraded' },
  'iptables-min-sync-period': { kind: 'duration', default: '250ms', help: 'minimum time between syncs (bursts of changes batch into one)' },
  'iptables-sync-period': { kind: 'duration', default: '30s', help: 'full resync period' },
  'healthz-bind-address': { kind: 'string', default: '127.0.0.1:10256', help: 'host:port for /healthz, /readyz and /metrics' },
};

export interface KubeProxyFlags {
  help: boolean;
  kubeconfig?: string;
  master?: string;
  nodeName?: string;
  clusterCIDR: string;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
  healthHost: string;
  healthPort: number;
}

export function parseKubeProxyFlags(argv: readonly string[]): KubeProxyFlags {
  const v = parseFlagTable(argv, KUBE_PROXY_FLAGS);
  const bind = String(v['healthz-bind-address']);
  const colon = bind.lastIndexOf(':');
  return {
    help: v.help,
    kubeconfig: v.kubeconfig as string | undefined,
    master: v.master as string | undefined,
    nodeName: v['hostname-override'] as string | undefined,
    clusterCIDR: String(v['cluster-cidr']),
    minSyncPeriodMs: Number(v['iptables-min-sync-period']),
    syncPeriodMs: Number(v['iptables-sync-period']),
    healthHost: colon > 0 ? bind.slice(0, colon) : '127.0.0.1',
    healthPort: Number(colon >= 0 ? bind.slice(colon + 1) : bind),
  };
}

export const USAGE = flagUsage('node kube-proxy/dist/main.js', KUBE_PROXY_FLAGS);
