import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { resourcequotas } from './index.js';

const quota = () => ({
  metadata: { name: 'compute-quota', namespace: 'dev' },
  spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '5Gi', 'limits.cpu': '10', 'limits.memory': '10Gi' } },
});

test('create resets status; hard quantities validated', async () => {
  const { obj, errors } = await simulateCreate(resourcequotas, { ...quota(), status: { used: { pods: '3' } } });
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.status, {});
  const bad = await simulateCreate(resourcequotas, { metadata: { name: 'q' }, spec: { hard: { pods: '-1', foo: '1', services: '1.5', 'example.com/gpu': '2' }, scopes: ['Sometimes'] } });
  const text = fields(bad.errors);
  assert.ok(text.includes('spec.hard[pods]: Invalid value: "-1": must be greater than or equal to 0'));
  assert.ok(text.includes('spec.hard[foo]: Invalid value: "foo": must be a standard resource for quota'));
  assert.ok(text.includes('spec.hard[services]: Invalid value: "1500m": must be an integer'));
  assert.ok(text.some((t) => t.startsWith('spec.scopes[0]: Unsupported value: "Sometimes"')));
  assert.ok(!text.some((t) => t.includes('example.com/gpu')));
});

test('status through /status; REQUEST and LIMIT columns', async () => {
  const created = (await simulateCreate(resourcequotas, quota())).obj;
  const next = structuredClone(created);
  next.status = { hard: { ...created.spec.hard }, used: { pods: '1', 'requests.cpu': '0.5', 'requests.memory': '0', 'limits.cpu': '0', 'limits.memory': '0' } };
  next.spec.hard.pods = '99';
  const res = await simulateUpdate(resourcequotas, next, created, undefined, 'status');
  assert.deepEqual(res.errors, []);
  assert.equal(res.obj.spec.hard.pods, '10');
  assert.equal(res.obj.status.used['requests.cpu'], '500m');
  assert.deepEqual(resourcequotas.table.cells(res.obj, new Date('2024-01-01T00:00:09Z')), [
    'compute-quota',
    '9s',
    'pods: 1/10, requests.cpu: 500m/4, requests.memory: 0/5Gi',
    'limits.cpu: 0/10, limits.memory: 0/10Gi',
  ]);
});
