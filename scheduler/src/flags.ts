// kube-scheduler's command line (the subset k8ts implements), parsed into start() options
// with shared's flag table. Flag names and defaults follow upstream:
//   --kubeconfig=PATH  --master=URL (overrides the kubeconfig's server)
//   --leader-elect=true  --leader-elect-lease-duration=15s  --leader-elect-renew-deadline=10s
//   --leader-elect-retry-period=2s  --leader-elect-resource-namespace=kube-system
//   --leader-elect-resource-name=kube-scheduler
//   --secure-port=10259 (alias --port) --bind-address=127.0.0.1 (health and /metrics: plain HTTP in k8ts)
//   --scheduler-name=default-scheduler
//   --percentage-of-nodes-to-score=0 (0 = upstream's adaptive default)
//   --pod-initial-backoff-seconds=1 --pod-max-backoff-seconds=10
//   --bind-concurrency=64 (k8ts: binds in flight at once)
// Contract: pure; unknown flags and malformed values throw FlagError (main exits 2).
import { FlagError, flagUsage, parseFlagTable, type FlagSpec } from '@k8ts/shared/flags';

export { FlagError };

export interface SchedulerFlags {
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
  schedulerName: string;
  percentageOfNodesToScore: number;
  podInitialBackoffMs: number;
  podMaxBackoffMs: number;
  bindConcurrency: number;
}

export const FLAGS: Record<string, FlagSpec> = {
  kubeconfig: { kind: 'string', help: 'kubeconfig with the API server and credentials' },
  master: { kind: 'string', help: 'API server URL (overrides the kubeconfig)' },
  'leader-elect': { kind: 'bool', default: 'true', help: 'elect a leader on a Lease before scheduling' },
  'leader-elect-lease-duration': { kind: 'duration', default: '15s', help: 'how long a non-renewed lease stays valid' },
  'leader-elect-renew-deadline': { kind: 'duration', default: '10s', help: 'how long the leader retries renewing before giving up' },
  'leader-elect-retry-period': { kind: 'duration', default: '2s', help: 'interval between acquire / renew attempts' },
  'leader-elect-resource-namespace': { kind: 'string', default: 'kube-system', help: 'namespace of the Lease' },
  'leader-elect-resource-name': { kind: 'string', default: 'kube-scheduler', help: 'name of the Lease' },
  'secure-port': { kind: 'int', min: 0, max: 65535, help: 'health and /metrics port (plain HTTP; 0 picks one; default 10259)' },
  port: { kind: 'int', min: 0, max: 65535, help: 'alias of --secure-port' },
  'bind-address': { kind: 'string', default: '127.0.0.1', help: 'health address' },
  'scheduler-name': { kind: 'string', default: 'default-scheduler', help: 'schedule pods whose spec.schedulerName is this (or unset)' },
  'percentage-of-nodes-to-score': { kind: 'int', default: '0', min: 0, max: 100, help: 'stop filtering once this % of nodes fit (0: adaptive)' },
  'pod-initial-backoff-seconds': { kind: 'int', default: '1', min: 1, max: 3600, help: 'first backoff of a pod that failed' },
  'pod-max-backoff-seconds': { kind: 'int', default: '10', min: 1, max: 3600, help: 'longest backoff' },
  'bind-concurrency': { kind: 'int', default: '64', min: 1, max: 10_000, help: 'binds in flight at once' },
};

export const USAGE = flagUsage('node scheduler/dist/main.js', FLAGS);

export function parseSchedulerFlags(argv: string[]): SchedulerFlags {
  const v = parseFlagTable(argv, FLAGS);
  const positive = (name: string): number => {
    const ms = v[name] as number;
    if (!(ms > 0)) throw new FlagError(`--${name} must be greater than zero`);
    return ms;
  };
  const initial = v['pod-initial-backoff-seconds'] as number;
  const max = v['pod-max-backoff-seconds'] as number;
  if (max < initial) throw new FlagError('--pod-max-backoff-seconds must be at least --pod-initial-backoff-seconds');
  return {
    help: v.help,
    kubeconfig: v.kubeconfig as string | undefined,
    master: v.master as string | undefined,
    leaderElect: v['leader-elect'] as boolean,
    leaseDurationMs: positive('leader-elect-lease-duration'),
    renewDeadlineMs: positive('leader-elect-renew-deadline'),
    retryPeriodMs: positive('leader-elect-retry-period'),
    leaderElectionNamespace: v['leader-elect-resource-namespace'] as string,
    leaderElectionName: v['leader-elect-resource-name'] as string,
    port: (v['secure-port'] ?? v.port ?? 10259) as number,
    bindAddress: v['bind-address'] as string,
    schedulerName: (v['scheduler-name'] as string) || 'default-scheduler',
    percentageOfNodesToScore: v['percentage-of-nodes-to-score'] as number,
    podInitialBackoffMs: initial * 1000,
    podMaxBackoffMs: max * 1000,
    bindConcurrency: v['bind-concurrency'] as number,
  };
}
