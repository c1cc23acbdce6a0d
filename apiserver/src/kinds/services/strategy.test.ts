import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fakeContext } from '../testing/fake-context.js';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { services } from './index.js';
import { createServiceStrategy } from './strategy.js';

const svc = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({ metadata: { name }, spec });

test('ClusterIP defaults and a random free address, never .0 or .1', async () => {
  const ctx = fakeContext({ serviceCIDR: '10.96.0.0/24' });
  const { obj, errors } = await simulateCreate(services, svc({ selector: { app: 'web' }, ports: [{ port: 80 }] }), ctx);
  assert.deepEqual(errors, []);
  const spec = obj.spec;
  assert.equal(spec.type, 'ClusterIP');
  assert.equal(spec.sessionAffinity, 'None');
  assert.deepEqual(spec.ports, [{ port: 80, protocol: 'TCP', targetPort: 80 }]);
  assert.deepEqual(spec.ipFamilies, ['IPv4']);
  assert.equal(spec.ipFamilyPolicy, 'SingleStack');
  assert.equal(spec.internalTrafficPolicy, 'Cluster');
  assert.match(spec.clusterIP, /^10\.96\.0\.\d+$/);
  const last = Number(spec.clusterIP.split('.')[3]);
  assert.ok(last >= 2 && last <= 254, spec.clusterIP);
  assert.deepEqual(spec.clusterIPs, [spec.clusterIP]);
  assert.deepEqual(ctx.pendingReserve, [`/registry/allocations/clusterips/${spec.clusterIP}`]);
  assert.deepEqual(obj.status, { loadBalancer: {} });
});

test('random allocation skips taken addresses', async () => {
  const taken = Array.from({ length: 253 }, (_, i) => `/registry/allocations/clusterips/10.96.0.${i + 2}`).filter((k) => !k.endsWith('.77'));
  const ctx = fakeContext({ serviceCIDR: '10.96.0.0/24', reserved: taken });
  const { obj } = await simulateCreate(services, svc({ ports: [{ port: 80 }] }), ctx);
  assert.equal(obj.spec.clusterIP, '10.96.0.77');
  const full = fakeContext({ serviceCIDR: '10.96.0.0/24', reserved: [...taken, '/registry/allocations/clusterips/10.96.0.77'] });
  await assert.rejects(simulateCreate(services, svc({ ports: [{ port: 80 }] }), full), /range is full/);
});

test('requested cluster IPs: the kubernetes service address, taken, out of range', async () => {
  const ctx = fakeContext({ serviceCIDR: '10.96.0.0/12' });
  const k = await simulateCreate(services, svc({ clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, targetPort: 6443 }] }, 'kubernetes'), ctx);
  assert.deepEqual(k.errors, []);
  assert.equal(k.obj.spec.clusterIP, '10.96.0.1');
  ctx.commit();
  await assert.rejects(simulateCreate(services, svc({ clusterIP: '10.96.0.1', ports: [{ port: 80 }] }), ctx.next()), (e: any) => {
    assert.equal(e.status.code, 422);
    assert.deepEqual(e.status.details.causes, [{ field: 'spec.clusterIPs', reason: 'FieldValueInvalid', message: 'Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: provided IP is already allocated' }]);
    return true;
  });
  await assert.rejects(simulateCreate(services, svc({ clusterIP: '192.168.0.10', ports: [{ port: 80 }] }), ctx.next()),
    /provided IP is not in the valid range. The range of valid IPs is 10.96.0.0\/12/);
});

test('headless services get no address', async () => {
  const ctx = fakeContext();
  const { obj, errors } = await simulateCreate(services, svc({ clusterIP: 'None', selector: { app: 'db' } }), ctx);
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec.clusterIPs, ['None']);
  assert.deepEqual(ctx.pendingReserve, []);
});

test('NodePort: requested port 32600 is reserved, missing ones allocated from the range', async () => {
  const ctx = fakeContext({ nodePortRange: [30000, 30010] });
  const { obj, errors } = await simulateCreate(services, svc({
    type: 'NodePort', selector: { app: 'nginx' },
    ports: [{ name: 'nginx-port', protocol: 'TCP', port: 80, nodePort: 30005, targetPort: 80 }, { name: 'metrics', port: 9090 }],
  }), ctx);
  assert.deepEqual(errors, []);
  assert.equal(obj.spec.externalTrafficPolicy, 'Cluster');
  assert.equal(obj.spec.ports[0].nodePort, 30005);
  const second = obj.spec.ports[1].nodePort;
  assert.ok(second >= 30000 && second <= 30010 && second !== 30005);
  assert.ok(ctx.pendingReserve.includes('/registry/allocations/nodeports/30005'));
  assert.ok(ctx.pendingReserve.includes(`/registry/allocations/nodeports/${second}`));
});

test('NodePort already allocated or out of range → 422 with upstream message', async () => {
  const ctx = fakeContext({ reserved: ['/registry/allocations/nodeports/32600'] });
  await assert.rejects(simulateCreate(services, svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 32600 }] }), ctx), (e: any) => {
    assert.equal(e.status.reason, 'Invalid');
    assert.equal(e.message, 'Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 32600: provided port is already allocated');
    return true;
  });
  await assert.rejects(simulateCreate(services, svc({ type: 'NodePort', ports: [{ port: 80, nodePort: 40000 }] }), fakeContext()),
    /spec.ports\[0\].nodePort: Invalid value: 40000: provided port is not in the valid range. The range of valid ports is 30000-32767/);
});

test('ports with the same number share a node port (TCP+UDP)', async () => {
  const { obj } = await simulateCreate(services, svc({
    type: 'NodePort', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }, { name: 'dns-tcp', port: 53, protocol: 'TCP' }],
  }), fakeContext());
  assert.equal(obj.spec.ports[0].nodePort, obj.spec.ports[1].nodePort);
});

test('deterministic picks with an injected random source', async () => {
  const strategy = createServiceStrategy({ random: () => 0 });
  const ctx = fakeContext({ serviceCIDR: '10.96.0.0/24' });
  const obj: KubeObject = { metadata: { name: 'a', namespace: 'default' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
  await strategy.prepareForCreate!(obj, ctx);
  assert.equal(obj.spec.clusterIP, '10.96.0.2');
  assert.equal(obj.spec.ports[0].nodePort, 30000);
});

test('updates keep allocations, release them when the type no longer needs them', async () => {
  const ctx = fakeContext();
  const created = (await simulateCreate(services, svc({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] }), ctx)).obj;
  ctx.commit();
  const ip = created.spec.clusterIP;
  const np = created.spec.ports[0].nodePort;

  // a PUT without the allocated values keeps them
  const put = svc({ type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80 }] });
  const kept = await simulateUpdate(services, put, created, ctx.next());
  assert.deepEqual(kept.errors, []);
  assert.equal(kept.obj.spec.clusterIP, ip);
  assert.equal(kept.obj.spec.ports[0].nodePort, np);

  // NodePort → ClusterIP (apply keeps the old nodePort in the merged object): wiped and released
  const toClusterIP = structuredClone(created);
  toClusterIP.spec.type = 'ClusterIP';
  const c2 = ctx.next();
  const res = await simulateUpdate(services, toClusterIP, created, c2);
  assert.deepEqual(res.errors, []);
  assert.equal(res.obj.spec.ports[0].nodePort, undefined);
  assert.equal(res.obj.spec.externalTrafficPolicy, undefined);
  assert.deepEqual(c2.pendingRelease, [`/registry/allocations/nodeports/${np}`]);

  // changing the cluster IP is refused
  const moved = structuredClone(created);
  moved.spec.clusterIP = '10.96.0.99';
  moved.spec.clusterIPs = ['10.96.0.99'];
  const m = await simulateUpdate(services, moved, created, ctx.next());
  assert.ok(fields(m.errors).includes('spec.clusterIPs[0]: Invalid value: ["10.96.0.99"]: may not change once set'));
});

test('ExternalName releases the cluster IP; delete releases everything', async () => {
  const ctx = fakeContext();
  const created = (await simulateCreate(services, svc({ type: 'NodePort', ports: [{ port: 80 }] }), ctx)).obj;
  ctx.commit();
  const ext = structuredClone(created);
  ext.spec = { type: 'ExternalName', externalName: 'db.example.com', ports: [{ port: 80, protocol: 'TCP', targetPort: 80, nodePort: created.spec.ports[0].nodePort }],
    clusterIP: created.spec.clusterIP, clusterIPs: created.spec.clusterIPs, ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack', sessionAffinity: 'None', externalTrafficPolicy: 'Cluster', internalTrafficPolicy: 'Cluster' };
  const c = ctx.next();
  const res = await simulateUpdate(services, ext, created, c);
  assert.deepEqual(res.errors, []);
  assert.equal(res.obj.spec.clusterIP, undefined);
  assert.equal(c.pendingRelease.length, 2);

  const d = ctx.next();
  await services.strategy.prepareForDelete!(created, d);
  assert.deepEqual(d.pendingRelease.sort(), [
    `/registry/allocations/clusterips/${created.spec.clusterIP}`,
    `/registry/allocations/nodeports/${created.spec.ports[0].nodePort}`,
  ].sort());
});

test('validation: ports, types, names', async () => {
  const noPorts = await simulateCreate(services, svc({ selector: { app: 'x' } }));
  assert.deepEqual(fields(noPorts.errors), ['spec.ports: Required value']);
  const bad = await simulateCreate(services, svc({ type: 'Magic', ports: [{ port: 0 }, { port: 80, protocol: 'HTTP' }] }, '1web'));
  const text = fields(bad.errors);
  assert.ok(text.some((t) => t.startsWith('metadata.name: Invalid value: "1web": a DNS-1035 label')));
  assert.ok(text.includes('spec.type: Unsupported value: "Magic": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'));
  assert.ok(text.includes('spec.ports[0].name: Required value'));
  assert.ok(text.includes('spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'));
  assert.ok(text.includes('spec.ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'));
  const np = await simulateCreate(services, svc({ ports: [{ port: 80, nodePort: 30001 }] }));
  assert.ok(fields(np.errors).includes("spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"));
});
