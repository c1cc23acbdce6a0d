import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseControllerManagerFlags } from '../../flags.js';
import { CONTROLLERS, enabledControllers } from '../index.js';

test('resource quota flags: upstream defaults and parsing', () => {
  const d = parseControllerManagerFlags([]);
  assert.equal(d.resourceQuotaSyncPeriodMs, 300_000);
  assert.equal(d.concurrentResourceQuotaSyncs, 5);
  const f = parseControllerManagerFlags(['--resource-quota-sync-period=30s', '--concurrent-resource-quota-syncs', '2']);
  assert.equal(f.resourceQuotaSyncPeriodMs, 30_000);
  assert.equal(f.concurrentResourceQuotaSyncs, 2);
  assert.throws(() => parseControllerManagerFlags(['--resource-quota-sync-period=0']));
});

test('resourcequota is on by default and can be disabled', () => {
  assert.ok(enabledControllers(['*'], CONTROLLERS).some((c) => c.name === 'resourcequota'));
  assert.ok(!enabledControllers(['*', '-resourcequota'], CONTROLLERS).some((c) => c.name === 'resourcequota'));
});
