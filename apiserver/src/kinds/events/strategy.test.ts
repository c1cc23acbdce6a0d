import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate } from '../testing/store-sim.js';
import { events } from './index.js';

const now = new Date('2024-01-01T00:10:00Z');

const event = (extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'web-1.17a2b3c4d5e6f7a8', namespace: 'default' },
  involvedObject: { kind: 'Pod', namespace: 'default', name: 'web-1', uid: 'u1', apiVersion: 'v1', fieldPath: 'spec.containers{nginx}' },
  reason: 'Pulled', message: 'Successfully pulled image "nginx" ', type: 'Normal',
  source: { component: 'kubelet', host: 'node-1' },
  firstTimestamp: '2024-01-01T00:00:00Z', lastTimestamp: '2024-01-01T00:05:00Z', count: 2,
  ...extra,
});

test('namespace must match the involved object', async () => {
  assert.deepEqual((await simulateCreate(events, event())).errors, []);
  const other = await simulateCreate(events, event({ involvedObject: { kind: 'Pod', namespace: 'kube-system', name: 'x' } }));
  assert.deepEqual(fields(other.errors), ['involvedObject.namespace: Invalid value: "kube-system": does not match event.namespace']);
  const newStyle = await simulateCreate(events, event({ eventTime: '2024-01-01T00:00:00.000000Z' }));
  assert.deepEqual(fields(newStyle.errors), ['reportingComponent: Required value', 'reportingInstance: Required value', 'action: Required value']);
});

test('table cells and field selectors', () => {
  assert.deepEqual(events.table.cells(event(), now), [
    '5m', 'Normal', 'Pulled', 'pod/web-1', 'spec.containers{nginx}', 'kubelet, node-1', 'Successfully pulled image "nginx"', '10m', 2, 'web-1.17a2b3c4d5e6f7a8',
  ]);
  const sel = events.fieldSelectors!;
  assert.equal(sel['involvedObject.kind']!(event()), 'Pod');
  assert.equal(sel['involvedObject.uid']!(event()), 'u1');
  assert.equal(sel.source!(event()), 'kubelet');
  assert.equal(sel.type!(event()), 'Normal');
});
