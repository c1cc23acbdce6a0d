// How the controller-manager and the scheduler run their work: in leadership terms won on a
// Lease (--leader-elect, the default), or as one term that lasts until stop() without one.
//
// Contract:
// - `runTerm(signal)` is called once per term and must resolve (not reject) after `signal`
//   aborts; a term's work never overlaps the next one's (the elector awaits it before the
//   lease is released or contested again).
// - isLeader(): the elector's view, or true while the stand-alone term runs.
// - healthy(): the elector's watchdog (false only while it believes it leads but has not renewed
//   for leaseDuration + 20 s); always true without leader election.
// - stop(): ends the current term and awaits it (and releases the lease); idempotent.
import type { ApiClient } from './client/api-client.js';
import { LEADER_ELECTION_DEFAULTS, runLeaderElection, type LeaderElector } from './leader-election.js';
import type { Logger } from './logger.js';

export interface LeaderTermsOptions {
  client: Pick<ApiClient, 'get' | 'create' | 'update'>;
  identity: string;
  logger: Logger;
  /** false: one term, no Lease. */
  leaderElect: boolean;
  /** The Lease, e.g. kube-system/kube-scheduler. */
  namespace: string;
  name: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  runTerm(signal: AbortSignal): Promise<void>;
  /** Logged when a term ends by losing (or giving up) the lease, e.g. "scheduling stopped". */
  stoppedMessage: string;
}

export interface LeaderTerms {
  isLeader(): boolean;
  healthy(): boolean;
  stop(): Promise<void>;
}

export function runLeaderTerms(opts: LeaderTermsOptions): LeaderTerms {
  if (opts.leaderElect) {
    const elector: LeaderElector = runLeaderElection({
      client: opts.client, identity: opts.identity, logger: opts.logger,
      namespace: opts.namespace, name: opts.name,
      leaseDurationMs: opts.leaseDurationMs ?? LEADER_ELECTION_DEFAULTS.leaseDurationMs,
      renewDeadlineMs: opts.renewDeadlineMs ?? LEADER_ELECTION_DEFAULTS.renewDeadlineMs,
      retryPeriodMs: opts.retryPeriodMs ?? LEADER_ELECTION_DEFAULTS.retryPeriodMs,
      onStartedLeading: (signal) => opts.runTerm(signal),
      onStoppedLeading: () => opts.logger.info(`stopped leading; ${opts.stoppedMessage}`),
    });
    return { isLeader: () => elector.isLeader(), healthy: () => elector.healthy(), stop: () => elector.stop() };
  }
  const abort = new AbortController();
  const done = opts.runTerm(abort.signal);
  return {
    isLeader: () => !abort.signal.aborted,
    healthy: () => true,
    stop: async () => { abort.abort(); await done; },
  };
}
