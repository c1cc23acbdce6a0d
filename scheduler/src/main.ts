#!/usr/bin/env node
// scheduler entry point: flags → start(). Flag names follow kube-scheduler's (see flags.ts).
// SIGTERM/SIGINT: stop scheduling, release the lease, exit 0.
import { connectionFromFlags, createLogger, onShutdown } from '@k8ts/shared';
import { FlagError, parseSchedulerFlags, USAGE } from './flags.js';
import { start } from './scheduler.js';

const log = createLogger('scheduler');
// A plugin or handler bug must not take the process down: log it and keep serving. A
// synchronous uncaught exception leaves unknown state: exit (the supervisor restarts us).
process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection; continuing'));
process.on('uncaughtException', (err) => {
  log.fatal({ err }, 'uncaught exception');
  process.exit(1);
});

let flags;
try {
  flags = parseSchedulerFlags(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  process.stderr.write(`${e.message}\n\n${USAGE}`);
  process.exit(2);
}
if (flags.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
try {
  const s = await start({
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
  });
  onShutdown(async () => {
    log.info('shutting down');
    await s.close();
  });
} catch (err) {
  log.fatal({ err }, 'scheduler failed to start');
  process.exit(1);
}
