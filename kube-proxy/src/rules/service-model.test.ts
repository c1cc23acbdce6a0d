import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildServiceModel } from './service-model.js';

const svc = (name: string, spec: any, ns = 'default') => ({ metadata: { name, namespace: ns }, spec });
const eps = (name: string, subsets: any[], ns = 'default') => ({ metadata: { name, namespace: ns }, subsets });

test('ready endpoints per named port; not-ready, headless, ExternalName and bad protocols left out', () => {
  const m = buildServiceModel([
    svc('web', { clusterIP: '10.96.0.20', type: 'NodePort', ports: [{ name: 'http', port: 80, nodePort: 32600 }, { name: 'metrics', port: 9090, protocol: 'UDP' }] }),
    svc('headless', { clusterIP: 'None', ports: [{ port: 80 }] }),
    svc('ext', { type: 'ExternalName', externalName: 'example.org' }),
    svc('odd', { clusterIP: '10.96.0.21', ports: [{ port: 80, protocol: 'ICMP' }] }),
    svc('sticky', { clusterIP: '10.96.0.22', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }),
  ], [
    eps('web', [
      { addresses: [{ ip: '10.244.1.3' }, { ip: '10.244.0.9' }], notReadyAddresses: [{ ip: '10.244.2.2' }], ports: [{ name: 'http', port: 8080 }] },
      { addresses: [{ ip: '10.244.1.3' }], ports: [{ name: 'http', port: 8080 }, { name: 'metrics', port: 9090, protocol: 'UDP' }] },
    ]),
    eps('sticky', [{ addresses: [{ ip: '10.244.0.5' }], ports: [{ port: 80 }] }]),
  ]);
  assert.deepEqual(m.rules.map((r) => [r.name, r.protocol, r.nodePort, r.affinitySeconds, r.endpoints.map((e) => `${e.ip}:${e.port}`)]), [
    ['default/sticky', 'TCP', undefined, 10800, ['10.244.0.5:80']],
    ['default/web:http', 'TCP', 32600, undefined, ['10.244.0.9:8080', '10.244.1.3:8080']],
    ['default/web:metrics', 'UDP', undefined, undefined, ['10.244.1.3:9090']],
  ]);
  assert.deepEqual(m.skipped, [{ service: 'default/odd', reason: 'protocol ICMP is not supported' }]);
});

test('a service with no Endpoints object has no endpoints (rendered as REJECT)', () => {
  const m = buildServiceModel([svc('lonely', { clusterIP: '10.96.0.30', ports: [{ port: 53, protocol: 'UDP' }] })], []);
  assert.equal(m.rules.length, 1);
  assert.deepEqual(m.rules[0]!.endpoints, []);
});
