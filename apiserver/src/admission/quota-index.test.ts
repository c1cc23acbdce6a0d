import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import type { WatchSink } from '../storage/store.js';
import { QuotaNamespaceIndex } from './quota-index.js';

const q = (ns: string, name: string): KubeObject => ({ metadata: { namespace: ns, name } });
const tick = () => new Promise((r) => setImmediate(r));

test('unsynced says "maybe"; synced answers from the watch; notes cover creates in flight; errors resync', async () => {
  let sink: WatchSink | undefined;
  let starts = 0;
  let cancelled = 0;
  const index = new QuotaNamespaceIndex(async (s) => {
    starts++;
    sink = s;
    s.event('ADDED', q('dev', 'compute-quota'));
    return () => { cancelled++; };
  });
  assert.equal(index.mayHaveQuotas('other'), true, 'not synced yet');
  await tick();
  assert.equal(starts, 1);
  assert.equal(index.mayHaveQuotas('dev'), true);
  assert.equal(index.mayHaveQuotas('other'), false);
  index.noteCreate('other');
  assert.equal(index.mayHaveQuotas('other'), true, 'a quota is being created there');
  sink!.event('ADDED', q('x', 'a'));
  sink!.event('DELETED', q('dev', 'compute-quota'));
  assert.equal(index.mayHaveQuotas('dev'), false);
  assert.equal(index.mayHaveQuotas('x'), true);
  sink!.error({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 410, message: 'expired' });
  assert.equal(cancelled, 1);
  assert.equal(index.mayHaveQuotas('nothing-here'), true, 'after an error: maybe, until resynced');
  index.stop();
});
