import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { replicasets } from './index.js';

const rs = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'myapp-replicaset' },
  spec: {
    selector: { matchLabels: { type: 'front-end' } },
    template: { metadata: { labels: { app: 'myapp', type: 'front-end' } }, spec: { containers: [{ name: 'nginx-container', image: 'nginx' }] } },
    ...spec,
  },
});

test('defaults and status reset', async () => {
  const { obj, errors } = await simulateCreate(replicasets, { ...rs(), status: { replicas: 5 } });
  assert.deepEqual(errors, []);
  assert.equal(obj.spec.replicas, 1);
  assert.equal(obj.spec.template.spec.dnsPolicy, 'ClusterFirst');
  assert.deepEqual(obj.status, { replicas: 0 });
});

test('selector required, must match, immutable on update', async () => {
  const missing = await simulateCreate(replicasets, rs({ selector: undefined }));
  assert.ok(fields(missing.errors).includes('spec.selector: Required value'));
  const mismatch = await simulateCreate(replicasets, rs({ selector: { matchLabels: { type: 'back-end' } } }));
  assert.deepEqual(fields(mismatch.errors), ['spec.template.metadata.labels: Invalid value: {"app":"myapp","type":"front-end"}: `selector` does not match template `labels`']);
  const created = (await simulateCreate(replicasets, rs())).obj;
  const changed = structuredClone(created);
  changed.spec.selector = { matchLabels: { app: 'myapp' } };
  assert.ok(fields((await simulateUpdate(replicasets, changed, created)).errors).some((t) => t.startsWith('spec.selector: Invalid value') && t.endsWith('field is immutable')));
});

test('scale and table', async () => {
  const { obj } = await simulateCreate(replicasets, rs({ replicas: 3 }));
  obj.status = { replicas: 3, readyReplicas: 2 };
  assert.equal(replicasets.scale!.selector(obj), 'type=front-end');
  assert.deepEqual(replicasets.table.cells(obj, new Date('2024-01-01T00:00:30Z')), ['myapp-replicaset', 3, 3, 2, '30s', 'nginx-container', 'nginx', 'type=front-end']);
});
