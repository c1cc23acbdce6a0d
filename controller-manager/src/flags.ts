// kube-controller-manager's command line (the subset k8ts implements), parsed into start()
// options. Flag names and defaults follow upstream:
//   --kubeconfig=PATH  --master=URL (overrides the kubeconfig's server)
//   --leader-elect=true  --leader-elect-lease-duration=15s  --leader-elect-renew-deadline=10s
//   --leader-elect-retry-period=2s  --leader-elect-resource-namespace=kube-system
//   --leader-elect-resource-name=kube-controller-manager
//   --port=10257 --bind-address=127.0.0.1 (health: plain HTTP /healthz /livez /readyz)
//   --controllers=*  (`*` = every controller on by default, `foo` enables, `-foo` disables)
//   --concurrent-namespace-syncs=10  --concurrent-endpoint-syncs=5
//   --node-monitor-period=5s  --node-monitor-grace-period=50s  --node-startup-grace-period=1m
//   --node-eviction-rate=0.1  --secondary-node-eviction-rate=0.01
//   --large-cluster-size-threshold=50  --unhealthy-zone-threshold=0.55
//   --allocate-node-cidrs=true (upstream default false; k8ts always runs its own pod network)
//   --cluster-cidr=10.244.0.0/16  --node-cidr-mask-size=24  --terminated-pod-gc-threshold=12500
//   --concurrent-namespace-syncs=10
//   --concurrent-resource-quota-syncs=5  --resource-quota-sync-period=5m0s
// Contract: pure; unknown flags and malformed values throw FlagError (main exits 2).
// Durations are Go durations (`1m30s`, `500ms`, `2.5s`; a bare number other than 0 is an error).
import { FlagError, parseBoolFlag as parseBool, parseDuration, parseIntFlag, splitFlags } from '@k8ts/shared';

export { FlagError, parseDuration, splitFlags };


export interface ParsedFlags {
  help: boolean;
  kubeconfig?: string;
  master?: string;
  leaderElect: boolean;
  leaseDurationMs: number;
  renewDeadlineMs: number;
  retryPeriodMs: number;
  leaderElectionNamespace: string;
  leaderElectionName: string;
  port: number;
  bindAddress: string;
  controllers: string[];
  concurrentNamespaceSyncs: number;
  concurrentEndpointSyncs: number;
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  nodeEvictionRate: number;
  secondaryNodeEvictionRate: number;
  largeClusterSizeThreshold: number;
  unhealthyZoneThreshold: number;
  allocateNodeCIDRs: boolean;
  clusterCIDR: string;
  nodeCIDRMaskSize: number;
  terminatedPodGCThreshold: number;
  concurrentResourceQuotaSyncs: number;
  resourceQuotaSyncPeriodMs: number;
}

export const USAGE = `Usage: node controller-manager/dist/main.js [flags]

  --kubeconfig=PATH                        kubeconfig with the API server and credentials
  --master=URL                             API server URL (overrides the kubeconfig)
  --leader-elect=true                      elect a leader on a Lease before running controllers
  --leader-elect-lease-duration=15s        how long a non-renewed lease stays valid
  --leader-elect-renew-deadline=10s        how long the leader retries renewing before giving up
  --leader-elect-retry-period=2s           interval between acquire / renew attempts
  --leader-elect-resource-namespace=kube-system
  --leader-elect-resource-name=kube-controller-manager
  --port=10257                             health port (plain HTTP; 0 picks one)
  --bind-address=127.0.0.1                 health address
  --controllers=*                          '*' all, 'foo' enable, '-foo' disable
  --concurrent-namespace-syncs=10          namespace controller workers
  --concurrent-endpoint-syncs=5            endpoints controller workers
  --node-monitor-period=5s                 how often node health is checked
  --node-monitor-grace-period=50s          silence after which a node's conditions become Unknown
  --node-startup-grace-period=1m           the same, for a node that never posted status
  --node-eviction-rate=0.1                 nodes per second per zone tainted NoExecute
  --secondary-node-eviction-rate=0.01      the same, in a large partially disrupted zone
  --large-cluster-size-threshold=50        zone size above which the secondary rate applies
  --unhealthy-zone-threshold=0.55          fraction of NotReady nodes making a zone unhealthy
  --allocate-node-cidrs=true               give every node a pod CIDR from --cluster-cidr
  --cluster-cidr=10.244.0.0/16             the pod network range
  --node-cidr-mask-size=24                 the size of each node's pod CIDR
  --terminated-pod-gc-threshold=12500      finished pods kept before garbage collection (0: all)
  --concurrent-resource-quota-syncs=5      resource quota controller workers
  --resource-quota-sync-period=5m0s        how often every quota's usage is recounted
`;





const KNOWN = new Set([
  'help', 'kubeconfig', 'master', 'leader-elect', 'leader-elect-lease-duration', 'leader-elect-renew-deadline',
  'leader-elect-retry-period', 'leader-elect-resource-namespace', 'leader-elect-resource-name', 'port',
  'bind-address', 'controllers', 'concurrent-namespace-syncs', 'concurrent-endpoint-syncs', 'node-monitor-period',
  'node-monitor-grace-period', 'node-startup-grace-period', 'node-eviction-rate', 'secondary-node-eviction-rate',
  'large-cluster-size-threshold', 'unhealthy-zone-threshold', 'allocate-node-cidrs', 'cluster-cidr', 'node-cidr-mask-size',
  'terminated-pod-gc-threshold',
  'bind-address', 'controllers', 'concurrent-namespace-syncs', 'concurrent-resource-quota-syncs', 'resource-quota-sync-period',
]);

function parseFloatFlag(name: string, v: string, min: number, max: number): number {
  if (!/^\d*\.?\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new FlagError(`invalid value ${JSON.stringify(v)} for --${name}: want a number in [${min}, ${max}]`);
  return Number(v);
}

const CIDR_RE = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

export function parseControllerManagerFlags(argv: string[]): ParsedFlags {
  const f = splitFlags(argv);
  for (const k of f.keys()) if (!KNOWN.has(k)) throw new FlagError(`unknown flag: --${k}`);
  const get = (k: string): string | undefined => f.get(k);
  const duration = (k: string, dflt: number): number => {
    const v = get(k);
    if (v === undefined) return dflt;
    const ms = parseDuration(v);
    if (!(ms > 0)) throw new FlagError(`--${k} must be greater than zero`);
    return ms;
  };
  const int = (k: string, dflt: number, min: number, max: number): number => (get(k) === undefined ? dflt : parseIntFlag(k, get(k)!, min, max));
  const num = (k: string, dflt: number, min: number, max: number): number => (get(k) === undefined ? dflt : parseFloatFlag(k, get(k)!, min, max));
  const clusterCIDR = get('cluster-cidr') ?? '10.244.0.0/16';
  const m = CIDR_RE.exec(clusterCIDR);
  if (!m || m.slice(1, 5).some((o) => Number(o) > 255) || Number(m[5]) > 32) throw new FlagError(`invalid value ${JSON.stringify(clusterCIDR)} for --cluster-cidr: want an IPv4 CIDR`);
  const nodeCIDRMaskSize = int('node-cidr-mask-size', 24, 1, 32);
  if (nodeCIDRMaskSize < Number(m[5]) || nodeCIDRMaskSize - Number(m[5]) > 24) {
    throw new FlagError(`--node-cidr-mask-size=${nodeCIDRMaskSize} does not fit --cluster-cidr=${clusterCIDR}`);
  }
  const controllers = (get('controllers') ?? '*').split(',').map((s) => s.trim()).filter(Boolean);
  return {
    help: f.has('help') && parseBool('help', f.get('help')!),
    kubeconfig: get('kubeconfig'),
    master: get('master'),
    leaderElect: get('leader-elect') === undefined ? true : parseBool('leader-elect', get('leader-elect')!),
    leaseDurationMs: duration('leader-elect-lease-duration', 15_000),
    renewDeadlineMs: duration('leader-elect-renew-deadline', 10_000),
    retryPeriodMs: duration('leader-elect-retry-period', 2_000),
    leaderElectionNamespace: get('leader-elect-resource-namespace') ?? 'kube-system',
    leaderElectionName: get('leader-elect-resource-name') ?? 'kube-controller-manager',
    port: get('port') === undefined ? 10257 : parseIntFlag('port', get('port')!, 0, 65535),
    bindAddress: get('bind-address') ?? '127.0.0.1',
    controllers: controllers.length ? controllers : ['*'],
    concurrentNamespaceSyncs: get('concurrent-namespace-syncs') === undefined ? 10 : parseIntFlag('concurrent-namespace-syncs', get('concurrent-namespace-syncs')!, 1, 1000),
    concurrentEndpointSyncs: int('concurrent-endpoint-syncs', 5, 1, 1000),
    nodeMonitorPeriodMs: duration('node-monitor-period', 5_000),
    nodeMonitorGracePeriodMs: duration('node-monitor-grace-period', 50_000),
    nodeStartupGracePeriodMs: duration('node-startup-grace-period', 60_000),
    nodeEvictionRate: num('node-eviction-rate', 0.1, 0, 1e6),
    secondaryNodeEvictionRate: num('secondary-node-eviction-rate', 0.01, 0, 1e6),
    largeClusterSizeThreshold: int('large-cluster-size-threshold', 50, 0, 1e9),
    unhealthyZoneThreshold: num('unhealthy-zone-threshold', 0.55, 0, 1),
    allocateNodeCIDRs: get('allocate-node-cidrs') === undefined ? true : parseBool('allocate-node-cidrs', get('allocate-node-cidrs')!),
    clusterCIDR,
    nodeCIDRMaskSize,
    terminatedPodGCThreshold: int('terminated-pod-gc-threshold', 12_500, 0, 1e9),
    concurrentResourceQuotaSyncs: get('concurrent-resource-quota-syncs') === undefined ? 5 : parseIntFlag('concurrent-resource-quota-syncs', get('concurrent-resource-quota-syncs')!, 1, 1000),
    resourceQuotaSyncPeriodMs: duration('resource-quota-sync-period', 300_000),
  };
}
