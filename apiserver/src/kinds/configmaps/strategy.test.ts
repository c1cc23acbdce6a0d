import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { configmaps } from './index.js';

test('keys, duplicates across data/binaryData, size', async () => {
  const ok = await simulateCreate(configmaps, { metadata: { name: 'app-config' }, data: { LOG_LEVEL: 'info', 'app.properties': 'a=b' } });
  assert.deepEqual(ok.errors, []);
  assert.deepEqual(configmaps.table.cells(ok.obj, new Date('2024-01-01T00:00:10Z')), ['app-config', 2, '10s']);
  const bad = await simulateCreate(configmaps, { metadata: { name: 'c' }, data: { 'bad key': 'x', dup: 'y' }, binaryData: { dup: 'eQ==' } });
  const text = fields(bad.errors);
  assert.ok(text.some((t) => t.startsWith('data[bad key]: Invalid value: "bad key": a valid config key must consist of')));
  assert.ok(text.includes('data[dup]: Invalid value: "dup": duplicate of key present in binaryData'));
  const big = await simulateCreate(configmaps, { metadata: { name: 'c' }, data: { k: 'x'.repeat(1024 * 1024) } });
  assert.deepEqual(fields(big.errors), [': Too long: must have at most 1048576 bytes']);
});

test('immutable configmaps', async () => {
  const created = (await simulateCreate(configmaps, { metadata: { name: 'c' }, data: { a: '1' }, immutable: true })).obj;
  const next = structuredClone(created);
  next.data.a = '2';
  delete next.immutable;
  assert.deepEqual(fields((await simulateUpdate(configmaps, next, created)).errors), [
    'immutable: Forbidden: field is immutable when `immutable` is set',
    'data: Forbidden: field is immutable when `immutable` is set',
  ]);
});
