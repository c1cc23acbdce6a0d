import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { replicationcontrollers } from './index.js';

const rc = (spec: Record<string, unknown> = {}, labels?: Record<string, string>): KubeObject => ({
  metadata: { name: 'myapp-rc', ...(labels ? { labels } : {}) },
  spec: {
    template: { metadata: { name: 'myapp-pod', labels: { app: 'myapp', type: 'front-end' } }, spec: { containers: [{ name: 'nginx-container', image: 'nginx' }] } },
    replicas: 3,
    ...spec,
  },
});

test('selector and labels default to the template labels', async () => {
  const { obj, errors } = await simulateCreate(replicationcontrollers, rc());
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec.selector, { app: 'myapp', type: 'front-end' });
  assert.deepEqual(obj.metadata.labels, { app: 'myapp', type: 'front-end' });
  assert.deepEqual(obj.status, { replicas: 0 });
  const own = await simulateCreate(replicationcontrollers, rc({ selector: { app: 'myapp' } }, { team: 'a' }));
  assert.deepEqual(own.obj.spec.selector, { app: 'myapp' });
  assert.deepEqual(own.obj.metadata.labels, { team: 'a' });
});

test('validation: selector mismatch, missing template', async () => {
  const mismatch = await simulateCreate(replicationcontrollers, rc({ selector: { app: 'other' } }));
  assert.deepEqual(fields(mismatch.errors), ['spec.template.metadata.labels: Invalid value: {"app":"myapp","type":"front-end"}: `selector` does not match template `labels`']);
  const noTemplate = await simulateCreate(replicationcontrollers, { metadata: { name: 'x' }, spec: { replicas: 1 } });
  assert.deepEqual(fields(noTemplate.errors), ['spec.selector: Required value', 'spec.template: Required value']);
});

test('the selector may change on update (core/v1); scale uses the map selector', async () => {
  const created = (await simulateCreate(replicationcontrollers, rc())).obj;
  const next = structuredClone(created);
  next.spec.selector = { app: 'myapp' };
  assert.deepEqual((await simulateUpdate(replicationcontrollers, next, created)).errors, []);
  assert.equal(replicationcontrollers.scale!.selector(created), 'app=myapp,type=front-end');
  created.status = { replicas: 3, readyReplicas: 3 };
  assert.deepEqual(replicationcontrollers.table.cells(created, new Date('2024-01-01T00:00:05Z')).slice(0, 4), ['myapp-rc', 3, 3, 3]);
  assert.equal(replicationcontrollers.table.cells(created, new Date())[7], 'app=myapp,type=front-end');
});
