#!/usr/bin/env node
// scheduler entry point: flags → start(). Flag names follow kube-scheduler's (see flags.ts).
// SIGTERM/SIGINT: stop scheduling, release the lease, exit 0. Process behaviour (exit codes,
// unhandled errors): shared/component-main.ts.
import { connectionFromFlags, runComponentMain } from '@k8ts/shared';
import { parseSchedulerFlags, USAGE } from './flags.js';
import { start } from './scheduler.js';

await runComponentMain({
  name: 'scheduler',
  usage: USAGE,
  parseFlags: parseSchedulerFlags,
  start: (flags, log) => start({
    connection: connectionFromFlags({ kubeconfig: flags.kubeconfig, server: flags.master }),
    logger: log,
    leaderElect: flags.leaderElect,
    leaseDurationMs: flags.leaseDurationMs,
    renewDeadlineMs: flags.renewDeadlineMs,
    retryPeriodMs: flags.retryPeriodMs,
    leaderElectionNamespace: flags.leaderElectionNamespace,
    leaderElectionName: flags.leaderElectionName,
    port: flags.port,
    bindAddress: flags.bindAddress,
    schedulerName: flags.schedulerName,
    percentageOfNodesToScore: flags.percentageOfNodesToScore,
    bindConcurrency: flags.bindConcurrency,
    queue: { initialBackoffMs: flags.podInitialBackoffMs, maxBackoffMs: flags.podMaxBackoffMs },
  }),
});
