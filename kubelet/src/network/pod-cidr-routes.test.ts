import assert from 'node:assert/strict';
import { test } from 'node:test';
import { desiredPodCidrRoutes, planRouteChanges, syncPodCidrRoutes, canonicalCidr, type NodeLike, type RouteTable } from './pod-cidr-routes.js';

const node = (name: string, podCIDR?: string, ip?: string): NodeLike => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name },
  spec: podCIDR ? { podCIDR } : {},
  status: ip ? { addresses: [{ type: 'Hostname', address: name }, { type: 'InternalIP', address: ip }] } : {},
});

test('desired routes: every other node with a podCIDR in the cluster CIDR and an InternalIP', () => {
  const nodes = [
    node('node-1', '10.244.0.0/24', '172.20.0.5'),
    node('node-2', '10.244.1.0/24', '172.20.0.6'),
    node('node-3', '10.244.2.0/24'), // no InternalIP yet
    node('node-4'), // no podCIDR yet
    node('node-5', '192.168.0.0/24', '172.20.0.8'), // outside the cluster CIDR
    node('node-6', '10.244.3.0/24', '10.244.9.9'), // gateway inside the cluster CIDR: refused
    node('node-7', '10.244.1.0/24', '172.20.0.9'), // duplicate podCIDR: node-2 wins by name
  ];
  const got = desiredPodCidrRoutes(nodes, 'node-1', '10.244.0.0/16');
  assert.deepEqual([...got], [['10.244.1.0/24', '172.20.0.6']]);
});

test('plan: replaces new and changed routes, removes ours that are no longer wanted', () => {
  const current = new Map([['10.244.1.0/24', '172.20.0.6'], ['10.244.2.0/24', '172.20.0.7'], ['10.244.4.0/24', '172.20.0.9']]);
  const desired = new Map([['10.244.1.0/24', '172.20.0.6'], ['10.244.2.0/24', '172.20.0.17'], ['10.244.3.0/24', '172.20.0.8']]);
  const plan = planRouteChanges(current, desired);
  assert.deepEqual(plan.replace, [{ dst: '10.244.2.0/24', via: '172.20.0.17' }, { dst: '10.244.3.0/24', via: '172.20.0.8' }]);
  assert.deepEqual(plan.remove, ['10.244.4.0/24']);
});

test('sync applies the plan through the table and reports failures without stopping', async () => {
  const routes = new Map([['10.244.9.0/24', '172.20.0.2']]);
  const calls: string[] = [];
  const table: RouteTable = {
    list: async () => new Map(routes),
    replace: async (dst, via) => { calls.push(`replace ${dst} ${via}`); if (dst === '10.244.2.0/24') throw new Error('boom'); routes.set(dst, via); },
    remove: async (dst) => { calls.push(`del ${dst}`); routes.delete(dst); },
  };
  const { errors } = await syncPodCidrRoutes(table, new Map([['10.244.1.0/24', '172.20.0.6'], ['10.244.2.0/24', '172.20.0.7']]));
  assert.equal(errors.length, 1);
  assert.deepEqual(calls, ['replace 10.244.1.0/24 172.20.0.6', 'replace 10.244.2.0/24 172.20.0.7', 'del 10.244.9.0/24']);
  assert.deepEqual([...routes], [['10.244.1.0/24', '172.20.0.6']]);
});

test('canonicalCidr clears host bits and rejects non-IPv4', () => {
  assert.equal(canonicalCidr('10.244.1.7/24'), '10.244.1.0/24');
  assert.equal(canonicalCidr('fd00::/64'), undefined);
  assert.equal(canonicalCidr('10.244.1.0/33'), undefined);
});
