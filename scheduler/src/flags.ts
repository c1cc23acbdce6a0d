// kube-scheduler's command line (the subset k8ts implements), parsed into start() options.
// Flag names and defaults follow upstream:
//   --kubeconfig=PATH  --master=URL (overrides the kubeconfig's server)
//   --leader-elect=true  --leader-elect-lease-duration=15s  --leader-elect-renew-deadline=10s
//   --leader-elect-retry-period=2s  --leader-elect-resource-namespace=kube-system
//   --leader-elect-resource-name=kube-scheduler
//   --secure-port=10259 --bind-address=127.0.0.1 (health and metrics: plain HTTP in k8ts)
//   --scheduler-name=default-scheduler
//   --percentage-of-nodes-to-score=0 (0 = upstream's adaptive default)
//   --pod-initial-backoff-seconds=1 --pod-max-backoff-seconds=10
//   --bind-concurrency=16 (k8ts: binds in flight at once; more only queues at a busy apiserver)
// Contract: pure; unknown flags and malformed values throw FlagError (main exits 2).
import { FlagError, FlagSet, LEADER_ELECTION_FLAG_NAMES, leaderElectionUsage, parseLeaderElectionFlags, type LeaderElectionFlags } from '@k8ts/shared';

export { FlagError };

export interface SchedulerFlags extends LeaderElectionFlags {
  help: boolean;
  kubeconfig?: string;
  master?: string;
  port: number;
  bindAddress: string;
  schedulerName: string;
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  bindConcurrency: number;
}

export const USAGE = `Usage: node scheduler/dist/main.js [flags]

  --kubeconfig=PATH                        kubeconfig with the API server and credentials
  --master=URL                             API server URL (overrides the kubeconfig)
${leaderElectionUsage('kube-scheduler')}  --secure-port=10259                      health and /metrics port (plain HTTP; 0 picks one)
  --bind-address=127.0.0.1                 health address
  --scheduler-name=default-scheduler       schedule pods whose spec.schedulerName is this (or unset)
  --percentage-of-nodes-to-score=0         stop filtering after this % of nodes fit (0: adaptive)
  --pod-initial-backoff-seconds=1          first backoff of a pod that failed
  --pod-max-backoff-seconds=10             longest backoff
  --bind-concurrency=16                    binds in flight at once
`;

const KNOWN = [
  'help', 'kubeconfig', 'master', ...LEADER_ELECTION_FLAG_NAMES, 'secure-port', 'port', 'bind-address', 'scheduler-name',
  'percentage-of-nodes-to-score', 'pod-initial-backoff-seconds', 'pod-max-backoff-seconds', 'bind-concurrency',
];

export function parseSchedulerFlags(argv: string[]): SchedulerFlags {
  const f = new FlagSet(argv, KNOWN);
  const initial = f.int('pod-initial-backoff-seconds', 1, 1, 3600);
  const max = f.int('pod-max-backoff-seconds', 10, 1, 3600);
  if (max < initial) throw new FlagError('--pod-max-backoff-seconds must be at least --pod-initial-backoff-seconds');
  return {
    help: f.bool('help', false),
    kubeconfig: f.string('kubeconfig'),
    master: f.string('master'),
    ...parseLeaderElectionFlags(f, 'kube-scheduler'),
    // --port is accepted as an alias of --secure-port (the launcher passes --port to every component)
    port: f.int('secure-port', f.int('port', 10259, 0, 65535), 0, 65535),
    bindAddress: f.string('bind-address') ?? '127.0.0.1',
    schedulerName: f.string('scheduler-name') || 'default-scheduler',
    percentageOfNodesToScore: f.int('percentage-of-nodes-to-score', 0, 0, 100),
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
    bindConcurrency: f.int('bind-concurrency', 16, 1, 10_000),
  };
}
