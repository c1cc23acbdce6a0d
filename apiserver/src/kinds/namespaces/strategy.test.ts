import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { namespaces } from './index.js';

const now = new Date('2024-01-01T00:00:45Z');

test('create: Active, kubernetes finalizer, name label', async () => {
  const { obj, errors } = await simulateCreate(namespaces, { metadata: { name: 'dev' } });
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec, { finalizers: ['kubernetes'] });
  assert.deepEqual(obj.status, { phase: 'Active' });
  assert.deepEqual(obj.metadata.labels, { 'kubernetes.io/metadata.name': 'dev' });
  assert.equal(obj.metadata.namespace, undefined);
  assert.deepEqual(namespaces.table.cells(obj, now), ['dev', 'Active', '45s']);
});

test('names are DNS labels; finalizers validated', async () => {
  const { errors } = await simulateCreate(namespaces, { metadata: { name: 'my.ns' }, spec: { finalizers: ['bogus'] } });
  const text = fields(errors);
  assert.ok(text.some((t) => t.startsWith('metadata.name: Invalid value: "my.ns": a lowercase RFC 1123 label')));
  assert.ok(text.includes('spec.finalizers: Invalid value: "bogus": name is neither a standard finalizer name nor is it fully qualified'));
});

test('update keeps spec.finalizers and status; delete turns it Terminating and keeps it', async () => {
  const created = (await simulateCreate(namespaces, { metadata: { name: 'dev' } })).obj;
  const next = structuredClone(created);
  next.spec.finalizers = [];
  next.status = { phase: 'Terminating' };
  next.metadata.labels = { team: 'x' };
  const res = await simulateUpdate(namespaces, next, created);
  assert.deepEqual(res.obj.spec.finalizers, ['kubernetes']);
  assert.deepEqual(res.obj.status, { phase: 'Active' });
  assert.deepEqual(res.obj.metadata.labels, { team: 'x', 'kubernetes.io/metadata.name': 'dev' });

  const deleting = structuredClone(created);
  assert.equal(namespaces.strategy.beginTermination!(deleting), true);
  assert.equal(deleting.status.phase, 'Terminating');
  deleting.spec.finalizers = [];
  assert.equal(namespaces.strategy.beginTermination!(deleting), false);
});
