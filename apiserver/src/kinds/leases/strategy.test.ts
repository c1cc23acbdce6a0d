import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, simulateCreate } from '../testing/store-sim.js';
import { leases } from './index.js';

test('lease validation and table', async () => {
  const ok = await simulateCreate(leases, {
    metadata: { name: 'node-1', namespace: 'kube-node-lease' },
    spec: { holderIdentity: 'node-1', leaseDurationSeconds: 40, renewTime: '2024-01-01T00:00:00.000000Z' },
  });
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(leases.table.cells(ok.obj, new Date('2024-01-01T00:01:00Z')), ['node-1', 'node-1', '60s']);
  const bad = await simulateCreate(leases, { metadata: { name: 'x' }, spec: { leaseDurationSeconds: 0, leaseTransitions: -1, preferredHolder: 'b' } });
  assert.deepEqual(fields(bad.errors), [
    'spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0',
    'spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0',
    'spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined',
  ]);
});
