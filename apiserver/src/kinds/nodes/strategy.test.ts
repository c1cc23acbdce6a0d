import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { nodes } from './index.js';

const now = new Date('2024-01-01T00:19:00Z');

const node = (): KubeObject => ({
  metadata: { name: 'k8s-wrk-1', labels: { 'kubernetes.io/hostname': 'k8s-wrk-1' } },
  spec: { podCIDR: '10.244.1.0/24' },
  status: {
    capacity: { cpu: '4', memory: '8Gi', pods: '110' },
    allocatable: { cpu: '4', memory: '7.5Gi', pods: '110' },
    conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady' }],
    addresses: [{ type: 'InternalIP', address: '172.18.0.3' }, { type: 'Hostname', address: 'k8s-wrk-1' }],
    nodeInfo: { kubeletVersion: 'v1.32.4', osImage: 'Debian GNU/Linux 12 (bookworm)', kernelVersion: '6.1.0', containerRuntimeVersion: 'containerd://1.7.0' },
  },
});

test('create keeps the registered status; podCIDRs mirrors podCIDR; quantities canonical', async () => {
  const { obj, errors } = await simulateCreate(nodes, node());
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec.podCIDRs, ['10.244.1.0/24']);
  assert.equal(obj.status.allocatable.memory, '7680Mi');
  assert.equal(obj.status.conditions[0].type, 'Ready');
});

test('table: status, roles, wide columns', async () => {
  const { obj } = await simulateCreate(nodes, node());
  assert.deepEqual(nodes.table.cells(obj, now), ['k8s-wrk-1', 'Ready', '<none>', '19m', 'v1.32.4', '172.18.0.3', '<none>', 'Debian GNU/Linux 12 (bookworm)', '6.1.0', 'containerd://1.7.0']);
  obj.metadata.labels!['node-role.kubernetes.io/control-plane'] = '';
  obj.spec.unschedulable = true;
  obj.status.conditions[0].status = 'Unknown';
  assert.deepEqual(nodes.table.cells(obj, now).slice(1, 3), ['NotReady,SchedulingDisabled', 'control-plane']);
  delete obj.status.conditions;
  assert.equal(nodes.table.cells(obj, now)[1], 'Unknown,SchedulingDisabled');
});

test('taints and CIDRs are validated; podCIDR and providerID only go from unset to set', async () => {
  const bad = node();
  bad.spec.taints = [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }, { key: 'dedicated', effect: 'NoSchedule' }, { key: 'x', effect: 'Sometimes' }];
  bad.spec.podCIDRs = ['10.244.1.0/24', 'not-a-cidr'];
  const text = fields((await simulateCreate(nodes, bad)).errors);
  assert.ok(text.some((t) => t.startsWith('spec.taints[1]: Duplicate value') && t.endsWith('taints must be unique by key and effect pair')));
  assert.ok(text.includes('spec.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"'));
  assert.ok(text.includes('spec.podCIDRs[1]: Invalid value: "not-a-cidr": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)'));

  const created = (await simulateCreate(nodes, node())).obj;
  const moved = structuredClone(created);
  moved.spec = { podCIDR: '10.244.9.0/24', podCIDRs: ['10.244.9.0/24'] };
  assert.deepEqual(fields((await simulateUpdate(nodes, moved, created)).errors), ['spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid']);
});

test('/status replaces status only; main updates keep it', async () => {
  const created = (await simulateCreate(nodes, node())).obj;
  const hb = structuredClone(created);
  hb.status.conditions[0].lastHeartbeatTime = '2024-01-01T00:01:00Z';
  hb.spec.unschedulable = true;
  const res = await simulateUpdate(nodes, hb, created, undefined, 'status');
  assert.equal(res.obj.spec.unschedulable, undefined);
  assert.equal(res.obj.status.conditions[0].lastHeartbeatTime, '2024-01-01T00:01:00Z');
  const cordon = structuredClone(created);
  cordon.spec.unschedulable = true;
  cordon.status = {};
  const r2 = await simulateUpdate(nodes, cordon, created);
  assert.equal(r2.obj.spec.unschedulable, true);
  assert.equal(r2.obj.status.conditions[0].type, 'Ready');
  assert.equal(nodes.fieldSelectors!['spec.unschedulable']!(r2.obj), 'true');
});
