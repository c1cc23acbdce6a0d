import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { serviceTable } from './table.js';

const now = new Date('2024-01-01T00:10:00Z');
const svc = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject =>
  ({ metadata: { name: 'nginx-service', creationTimestamp: '2024-01-01T00:00:00Z' }, spec, status });

test('NodePort service row', () => {
  const row = serviceTable.cells(svc({
    type: 'NodePort', clusterIP: '10.96.12.7', clusterIPs: ['10.96.12.7'], selector: { app: 'nginx' },
    ports: [{ name: 'nginx-port', port: 80, nodePort: 32600, protocol: 'TCP' }],
  }), now);
  assert.deepEqual(row, ['nginx-service', 'NodePort', '10.96.12.7', '<none>', '80:32600/TCP', '10m', 'app=nginx']);
});

test('LoadBalancer pending / with ingress, headless, ExternalName', () => {
  const lb = (status: Record<string, unknown>) => serviceTable.cells(svc({ type: 'LoadBalancer', clusterIPs: ['10.96.0.9'], ports: [{ port: 443, nodePort: 31000, protocol: 'TCP' }] }, status), now);
  assert.equal(lb({ loadBalancer: {} })[3], '<pending>');
  assert.equal(lb({ loadBalancer: { ingress: [{ ip: '192.168.1.240' }] } })[3], '192.168.1.240');
  const headless = serviceTable.cells(svc({ type: 'ClusterIP', clusterIP: 'None', clusterIPs: ['None'], ports: [] }), now);
  assert.deepEqual(headless.slice(1, 5), ['ClusterIP', 'None', '<none>', '<none>']);
  const ext = serviceTable.cells(svc({ type: 'ExternalName', externalName: 'db.example.com' }), now);
  assert.deepEqual(ext.slice(1, 7), ['ExternalName', '<none>', 'db.example.com', '<none>', '10m', '<none>']);
});
