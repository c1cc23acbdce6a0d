// The scheduler process: a health/metrics server, leader election on the Lease
// kube-system/kube-scheduler, and, while leading, one SchedulingLoop (fresh informers, cache
// and queue per term, so two terms never overlap and a new leader rebuilds from the API).
//
// Contract:
// - start() resolves once the health server listens; campaigning (or, with leaderElect
//   false, scheduling) starts in the background and retries API errors forever.
// - /healthz and /livez fail only when this process leads but has not renewed its lease for
//   leaseDuration + 20 s; /readyz is ok while running; /metrics serves SchedulerMetrics.
// - close() stops scheduling (waiting for in-flight binds), releases the lease, flushes
//   events, stops the health server and closes the API client. Idempotent.
import {
  ApiClient, createLogger, defaultLeaderIdentity, EventRecorder, runLeaderTerms, startHealthServer,
  type ClusterConnection, type HealthServer, type LeaderTerms, type Logger,
} from '@k8ts/shared';
import { SchedulerMetrics } from './metrics.js';
import { SchedulingLoop, type SchedulingLoopOptions } from './scheduling-loop.js';

export interface SchedulerOptions {
  connection: ClusterConnection;
  logger?: Logger;
  /** --leader-elect; default true. */
  leaderElect?: boolean;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  /** Default kube-system / kube-scheduler. */
  leaderElectionNamespace?: string;
  leaderElectionName?: string;
  identity?: string;
  /** Health port; default 10259; 0 picks a free one; null serves none. */
  port?: number | null;
  bindAddress?: string;
  /** Default default-scheduler. */
  schedulerName?: string;
  percentageOfNodesToScore?: number;
  bindConcurrency?: number;
  /** Queue tuning (tests): backoff and flush intervals. */
  queue?: SchedulingLoopOptions['queue'];
}

export interface Scheduler {
  healthPort: number;
  identity: string;
  isLeader(): boolean;
  metrics: SchedulerMetrics;
  /** The loop of the current term (undefined while not leading). */
  loop(): SchedulingLoop | undefined;
  close(): Promise<void>;
}

export async function start(opts: SchedulerOptions): Promise<Scheduler> {
  const log = opts.logger ?? createLogger('scheduler');
  const identity = opts.identity ?? defaultLeaderIdentity();
  const schedulerName = opts.schedulerName ?? 'default-scheduler';
  const client = new ApiClient(opts.connection, { userAgent: 'k8ts-scheduler/0.1.0' });
  // the Lease has a client of its own: renewals never queue behind a burst of binds
  const leaseClient = new ApiClient(opts.connection, { userAgent: 'k8ts-scheduler/0.1.0 leader-election', maxConnections: 1 });
  const metrics = new SchedulerMetrics(schedulerName);
  let current: SchedulingLoop | undefined;
  const recorder = new EventRecorder({ client, source: { component: schedulerName }, logger: log, deferWhile: () => current?.busy() ?? false });

  const runTerm = async (signal: AbortSignal): Promise<void> => {
    const loop = new SchedulingLoop({
      client, logger: log, recorder, metrics, schedulerName,
      percentageOfNodesToScore: opts.percentageOfNodesToScore, bindConcurrency: opts.bindConcurrency, queue: opts.queue,
    });
    current = loop;
    try {
      await loop.run(signal);
    } finally {
      if (current === loop) current = undefined;
    }
  };

  let terms: LeaderTerms | undefined;
  let health: HealthServer | undefined;
  let closing: Promise<void> | undefined;
  try {
    if (opts.port !== null) {
      health = await startHealthServer({
        port: opts.port ?? 10259,
        host: opts.bindAddress ?? '127.0.0.1',
        checks: { healthz: () => terms?.healthy() ?? true, readyz: () => !closing },
        metrics: () => metrics.render(),
      });
    }
  } catch (e) {
    await client.close();
    await leaseClient.close();
    throw e;
  }

  log.info({ identity, schedulerName, leaderElect: opts.leaderElect !== false, healthPort: health?.port }, 'scheduler starting');
  terms = runLeaderTerms({
    client: leaseClient, identity, logger: log, leaderElect: opts.leaderElect !== false,
    namespace: opts.leaderElectionNamespace ?? 'kube-system',
    name: opts.leaderElectionName ?? 'kube-scheduler',
    leaseDurationMs: opts.leaseDurationMs, renewDeadlineMs: opts.renewDeadlineMs, retryPeriodMs: opts.retryPeriodMs,
    runTerm: (signal) => runTerm(signal).catch((e) => log.error({ err: e }, 'scheduling failed')),
    stoppedMessage: 'scheduling stopped',
  });
  const running = terms;

  return {
    healthPort: health?.port ?? 0,
    identity,
    metrics,
    loop: () => current,
    isLeader: () => running.isLeader(),
    close: () => (closing ??= (async () => {
      await running.stop();
      await recorder.close();
      await health?.close();
      await client.close();
      await leaseClient.close();
      log.info('scheduler stopped');
    })()),
  };
}
