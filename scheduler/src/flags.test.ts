import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FlagError, parseSchedulerFlags } from './flags.js';

describe('scheduler flags', () => {
  it('defaults to kube-scheduler values', () => {
    const f = parseSchedulerFlags([]);
    assert.equal(f.leaderElect, true);
    assert.equal(f.leaseDurationMs, 15_000);
    assert.equal(f.renewDeadlineMs, 10_000);
    assert.equal(f.retryPeriodMs, 2_000);
    assert.equal(f.leaderElectionNamespace, 'kube-system');
    assert.equal(f.leaderElectionName, 'kube-scheduler');
    assert.equal(f.port, 10259);
    assert.equal(f.bindAddress, '127.0.0.1');
    assert.equal(f.schedulerName, 'default-scheduler');
    assert.equal(f.percentageOfNodesToScore, 0);
    assert.equal(f.podInitialBackoffMs, 1_000);
    assert.equal(f.podMaxBackoffMs, 10_000);
    assert.equal(f.bindConcurrency, 64);
  });
  it('parses every flag', () => {
    const f = parseSchedulerFlags(['--kubeconfig', '/s/k', '--leader-elect=false', '--leader-elect-lease-duration=30s', '--leader-elect-resource-name=x',
      '--secure-port=0', '--bind-address=0.0.0.0', '--scheduler-name=mine', '--percentage-of-nodes-to-score=50', '--pod-max-backoff-seconds=20', '--bind-concurrency=8']);
    assert.equal(f.kubeconfig, '/s/k');
    assert.equal(f.leaderElect, false);
    assert.equal(f.leaseDurationMs, 30_000);
    assert.equal(f.leaderElectionName, 'x');
    assert.equal(f.port, 0);
    assert.equal(f.bindAddress, '0.0.0.0');
    assert.equal(f.schedulerName, 'mine');
    assert.equal(f.percentageOfNodesToScore, 50);
    assert.equal(f.podMaxBackoffMs, 20_000);
    assert.equal(f.bindConcurrency, 8);
    assert.equal(parseSchedulerFlags(['--port=1234']).port, 1234);
  });
  it('rejects unknown flags and bad values', () => {
    assert.throws(() => parseSchedulerFlags(['--nope']), FlagError);
    assert.throws(() => parseSchedulerFlags(['--leader-elect=maybe']), FlagError);
    assert.throws(() => parseSchedulerFlags(['--leader-elect-retry-period=5']), FlagError);
    assert.throws(() => parseSchedulerFlags(['--percentage-of-nodes-to-score=101']), FlagError);
  });
});
