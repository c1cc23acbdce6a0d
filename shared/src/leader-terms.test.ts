import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runLeaderTerms } from './leader-terms.js';
import { createLogger } from './logger.js';

test('leader terms without leader election: one term until stop(), which awaits it', async () => {
  const calls: string[] = [];
  const client = { get: async () => { throw new Error('no lease expected'); }, create: async () => { throw new Error('no'); }, update: async () => { throw new Error('no'); } };
  const terms = runLeaderTerms({
    client: client as never, identity: 'me', logger: createLogger('test', 'silent'), leaderElect: false,
    namespace: 'kube-system', name: 'x', stoppedMessage: 'stopped',
    runTerm: async (signal) => {
      calls.push('start');
      await new Promise<void>((r) => signal.addEventListener('abort', () => r(), { once: true }));
      await new Promise((r) => setTimeout(r, 20));
      calls.push('end');
    },
  });
  assert.deepEqual(calls, ['start']);
  assert.equal(terms.isLeader(), true);
  assert.equal(terms.healthy(), true);
  await terms.stop();
  assert.deepEqual(calls, ['start', 'end']);
  assert.equal(terms.isLeader(), false);
  await terms.stop(); // idempotent
});
