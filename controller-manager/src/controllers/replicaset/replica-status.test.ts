// Status arithmetic and slow-start batching, without an API server.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { calculateStatus, statusUnchanged } from './replica-status.js';
import { slowStartBatch } from './slow-start.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const owner = (extra: Partial<KubeObject['spec']> = {}, status: unknown = {}): KubeObject => ({
  metadata: { name: 'web', namespace: 'ns', generation: 4 },
  spec: { replicas: 3, minReadySeconds: 10, template: { metadata: { labels: { app: 'web', tier: 'fe' } } }, ...extra },
  status,
});
const pod = (labels: Record<string, string>, readySince?: number): KubeObject => ({
  metadata: { name: 'p', labels },
  status: readySince === undefined ? {} : { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: iso(readySince) }] },
});

describe('calculateStatus', () => {
  it('counts replicas, fully labeled, ready and available (minReadySeconds) pods', () => {
    const pods = [pod({ app: 'web', tier: 'fe' }, NOW - 60_000), pod({ app: 'web', tier: 'fe' }, NOW - 2_000), pod({ app: 'web' })];
    assert.deepEqual(calculateStatus(owner(), pods, undefined, NOW), {
      replicas: 3, fullyLabeledReplicas: 2, readyReplicas: 2, availableReplicas: 1, observedGeneration: 4,
    });
    assert.deepEqual(calculateStatus(owner(), [], undefined, NOW), { replicas: 0, observedGeneration: 4 });
  });

  it('adds ReplicaFailure (FailedCreate / FailedDelete) on errors and drops it after a clean sync', () => {
    const failed = calculateStatus(owner(), [], new Error('exceeded quota'), NOW);
    assert.deepEqual(failed.conditions, [{ type: 'ReplicaFailure', status: 'True', lastTransitionTime: '2026-01-01T12:00:00Z', reason: 'FailedCreate', message: 'exceeded quota' }]);
    const tooMany = calculateStatus(owner({ replicas: 0 }), [pod({ app: 'web' })], new Error('boom'), NOW);
    assert.equal(tooMany.conditions![0]!.reason, 'FailedDelete');
    const again = calculateStatus(owner({}, failed), [], new Error('still'), NOW + 5_000);
    assert.deepEqual(again.conditions, failed.conditions, 'an existing condition is kept as is');
    assert.equal(calculateStatus(owner({}, failed), [], undefined, NOW).conditions, undefined);
  });

  it('statusUnchanged compares the counts, observedGeneration and conditions', () => {
    const s = calculateStatus(owner(), [], undefined, NOW);
    assert.equal(statusUnchanged(owner({}, { replicas: 0, observedGeneration: 4 }), s), true);
    assert.equal(statusUnchanged(owner({}, { replicas: 0, observedGeneration: 3 }), s), false);
    assert.equal(statusUnchanged(owner({}, { replicas: 1, observedGeneration: 4 }), s), false);
  });
});

describe('slowStartBatch', () => {
  it('runs batches of 1, 2, 4, ... and stops after the first batch with a failure', async () => {
    let calls = 0;
    const ok = await slowStartBatch(10, 1, async () => { calls++; });
    assert.deepEqual(ok, { successes: 10 });
    assert.equal(calls, 10);
    calls = 0;
    const res = await slowStartBatch(100, 1, async () => {
      calls++;
      if (calls > 4) throw new Error('exceeded quota');
    });
    // batches 1, 2 succeed; the batch of 4 has one success and three failures; no more batches
    assert.equal(calls, 7);
    assert.equal(res.successes, 4);
    assert.match(res.error!.message, /exceeded quota/);
  });
});
