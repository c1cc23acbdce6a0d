// Upstream semantics of the REST API against a real apiserver over a real etcd (fastify
// inject): generation, status/scale/binding subresources, selectors, paging, Tables, the
// three PATCH types, service IP/port allocation, deletion, dryRun, discovery, OpenAPI, health.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { TestEtcd } from '@k8ts/shared/testing/etcd';
import type { ApiServer } from '../server.js';
import { startTestApiServer, type TestApiServer } from '../testing/test-server.js';

let etcd: TestEtcd;
let api: ApiServer;

let server: TestApiServer | undefined;
before(async () => {
  server = await startTestApiServer();
  ({ etcd, api } = server);
});
after(async () => { await server?.stop(); });

interface Res { statusCode: number; headers: Record<string, unknown>; body: string; json(): any }

const TABLE_ACCEPT = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
const MERGE = { 'content-type': 'application/merge-patch+json' };
const STRATEGIC = { 'content-type': 'application/strategic-merge-patch+json' };
const JSONPATCH = { 'content-type': 'application/json-patch+json' };

async function req(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Res> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const h = { ...(payload !== undefined && !headers['content-type'] ? { 'content-type': 'application/json' } : {}), ...headers };
  const r = await api.app.inject({ method: method as 'GET', url, payload, headers: h });
  return { statusCode: r.statusCode, headers: r.headers, body: r.body, json: () => JSON.parse(r.body) };
}

/** Asserts the HTTP code and returns the parsed body. */
async function ok(method: string, url: string, body?: unknown, headers?: Record<string, string>, code?: number): Promise<any> {
  const r = await req(method, url, body, headers);
  const want = code ?? (method === 'POST' ? 201 : 200);
  assert.equal(r.statusCode, want, `${method} ${url} → ${r.statusCode}: ${r.body}`);
  return r.json();
}

async function fail(method: string, url: string, body: unknown, code: number, headers?: Record<string, string>): Promise<any> {
  const r = await req(method, url, body, headers);
  assert.equal(r.statusCode, code, `${method} ${url} → ${r.statusCode}: ${r.body}`);
  const s = r.json();
  assert.equal(s.kind, 'Status');
  assert.equal(s.code, code);
  assert.equal(s.status, 'Failure');
  return s;
}

const names = (list: any): string[] => list.items.map((i: any) => i.metadata.name).sort();

const deployment = (name: string, containers: Array<Record<string, unknown>> = [{ name: 'nginx', image: 'nginx' }], replicas = 1) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, labels: { app: name } },
  spec: {
    replicas, selector: { matchLabels: { app: name } },
    template: { metadata: { labels: { app: name } }, spec: { containers } },
  },
});
const pod = (name: string, labels: Record<string, string> = {}, nodeName?: string) => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, labels },
  spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
});
const ns = (name: string) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });

const D = '/apis/apps/v1/namespaces/default/deployments';
const P = '/api/v1/namespaces/default/pods';
const CM = '/api/v1/namespaces/default/configmaps';
const SVC = '/api/v1/namespaces/default/services';

describe('generation and subresources', () => {
  test('generation bumps on spec change only', async () => {
    const d = await ok('POST', D, deployment('gen'));
    assert.equal(d.metadata.generation, 1);
    assert.ok(d.metadata.uid);
    assert.ok(d.metadata.creationTimestamp);
    const labelled = await ok('PATCH', `${D}/gen`, { metadata: { labels: { extra: 'x' } } }, MERGE);
    assert.equal(labelled.metadata.generation, 1, 'a label change keeps the generation');
    assert.notEqual(labelled.metadata.resourceVersion, d.metadata.resourceVersion);
    const scaled = await ok('PATCH', `${D}/gen`, { spec: { replicas: 2 } }, MERGE);
    assert.equal(scaled.metadata.generation, 2);
    const status = await ok('PATCH', `${D}/gen/status`, { status: { observedGeneration: 2, replicas: 2 } }, MERGE);
    assert.equal(status.metadata.generation, 2, 'a status change keeps the generation');
    // a no-op update writes nothing
    const same = await ok('PUT', `${D}/gen`, scaled.metadata ? { ...status } : status);
    assert.equal(same.metadata.resourceVersion, status.metadata.resourceVersion);
    assert.equal(same.metadata.generation, 2);
  });

  test('the status subresource keeps spec; the main resource keeps status', async () => {
    const d = await ok('POST', D, deployment('subres'));
    const viaStatus = await ok('PUT', `${D}/subres/status`, {
      ...d, spec: { ...d.spec, replicas: 7 }, status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
    });
    assert.equal(viaStatus.spec.replicas, 1, 'spec unchanged through /status');
    assert.equal(viaStatus.status.readyReplicas, 1);
    const viaMain = await ok('PUT', `${D}/subres`, { ...viaStatus, spec: { ...viaStatus.spec, replicas: 3 }, status: { replicas: 99 } });
    assert.equal(viaMain.spec.replicas, 3);
    assert.equal(viaMain.status.replicas, 1, 'status unchanged through the main resource');
    assert.equal(viaMain.status.readyReplicas, 1);
    assert.equal(viaMain.metadata.generation, 2);
    const got = await ok('GET', `${D}/subres/status`);
    assert.equal(got.kind, 'Deployment');
    assert.equal(got.status.readyReplicas, 1);
    // a stale status write is a conflict too
    await fail('PUT', `${D}/subres/status`, viaStatus, 409);
  });
});

describe('lists', () => {
  before(async () => {
    await ok('POST', '/api/v1/namespaces', ns('sel'));
    const SP = '/api/v1/namespaces/sel/pods';
    await ok('POST', SP, pod('run-n1', { app: 'web', tier: 'a' }, 'n1'));
    await ok('POST', SP, pod('pend-n1', { app: 'web', tier: 'b' }, 'n1'));
    await ok('POST', SP, pod('run-n2', { app: 'db' }, 'n2'));
    await ok('POST', SP, pod('unbound', { app: 'web', tier: 'c', foo: 'bar' }));
    for (const [name, phase] of [['run-n1', 'Running'], ['run-n2', 'Running'], ['pend-n1', 'Pending']]) {
      await ok('PATCH', `${SP}/${name}/status`, { status: { phase } }, MERGE);
    }
  });

  test('fieldSelector by spec.nodeName and status.phase (with !=)', async () => {
    const SP = '/api/v1/namespaces/sel/pods';
    const q = (fs: string) => ok('GET', `${SP}?fieldSelector=${encodeURIComponent(fs)}`);
    assert.deepEqual(names(await q('spec.nodeName=n1')), ['pend-n1', 'run-n1']);
    assert.deepEqual(names(await q('spec.nodeName=')), ['unbound']);
    assert.deepEqual(names(await q('status.phase!=Running')), ['pend-n1', 'unbound']);
    assert.deepEqual(names(await q('spec.nodeName=n1,status.phase!=Succeeded,status.phase!=Failed')), ['pend-n1', 'run-n1']);
    assert.deepEqual(names(await q('spec.nodeName=n1,status.phase==Running')), ['run-n1']);
    assert.deepEqual(names(await q('metadata.name=run-n2')), ['run-n2']);
    assert.deepEqual(names(await q('metadata.namespace=sel,spec.nodeName!=n1')), ['run-n2', 'unbound']);
    // the same on the cluster-wide list (describe node)
    assert.deepEqual(names(await ok('GET', `/api/v1/pods?fieldSelector=${encodeURIComponent('spec.nodeName=n2,status.phase!=Succeeded')}`)), ['run-n2']);
  });

  test('labelSelector: equality, set-based, existence', async () => {
    const SP = '/api/v1/namespaces/sel/pods';
    const q = (ls: string) => ok('GET', `${SP}?labelSelector=${encodeURIComponent(ls)}`);
    assert.deepEqual(names(await q('app=web')), ['pend-n1', 'run-n1', 'unbound']);
    assert.deepEqual(names(await q('app!=web')), ['run-n2']);
    assert.deepEqual(names(await q('tier in (a,c)')), ['run-n1', 'unbound']);
    assert.deepEqual(names(await q('app=web,tier notin (a)')), ['pend-n1', 'unbound']);
    assert.deepEqual(names(await q('foo')), ['unbound']);
    assert.deepEqual(names(await q('!tier')), ['run-n2']);
    // labels and fields together
    assert.deepEqual(names(await ok('GET', `${SP}?labelSelector=app%3Dweb&fieldSelector=${encodeURIComponent('spec.nodeName=n1')}`)), ['pend-n1', 'run-n1']);
  });

  test('limit / continue paging returns every object once', async () => {
    await ok('POST', '/api/v1/namespaces', ns('paging'));
    const URL = '/api/v1/namespaces/paging/configmaps';
    const want: string[] = [];
    for (let i = 0; i < 7; i++) {
      const name = `cm-${i}`;
      want.push(name);
      await ok('POST', URL, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { even: String(i % 2 === 0) } } });
    }
    const seen: string[] = [];
    let cont: string | undefined;
    let pages = 0;
    let firstRV: string | undefined;
    do {
      const page = await ok('GET', `${URL}?limit=3${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      assert.equal(page.kind, 'ConfigMapList');
      assert.equal(page.apiVersion, 'v1');
      assert.ok(page.items.length <= 3);
      firstRV ??= page.metadata.resourceVersion;
      seen.push(...page.items.map((i: any) => i.metadata.name));
      cont = page.metadata.continue || undefined;
      pages++;
      // an object created mid-way is not part of this consistent snapshot
      if (pages === 1) await ok('POST', URL, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } });
    } while (cont && pages < 10);
    assert.equal(pages, 3);
    assert.deepEqual(seen, want);
    assert.deepEqual([...new Set(seen)], seen);
    // paging with a selector keeps going until the page is full
    const even = await ok('GET', `${URL}?limit=2&labelSelector=even%3Dtrue`);
    assert.deepEqual(names(even), ['cm-0', 'cm-2']);
    assert.ok(even.metadata.continue);
    const rest = await ok('GET', `${URL}?limit=10&labelSelector=even%3Dtrue&continue=${encodeURIComponent(even.metadata.continue)}`);
    assert.deepEqual(names(rest), ['cm-4', 'cm-6']);
    assert.equal(rest.metadata.continue, undefined);
  });

  test('lists of large objects (beyond gRPC\'s 4 MiB message cap) work, paged or not', async () => {
    await ok('POST', '/api/v1/namespaces', ns('large'));
    const URL = '/api/v1/namespaces/large/configmaps';
    for (let i = 0; i < 6; i++) await ok('POST', URL, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { blob: String(i).repeat(1000 * 1024) } });
    const all = await ok('GET', URL);
    assert.equal(all.items.length, 6);
    const page = await ok('GET', `${URL}?limit=4`);
    assert.equal(page.items.length, 4);
    const rest = await ok('GET', `${URL}?limit=4&continue=${encodeURIComponent(page.metadata.continue)}`);
    assert.deepEqual(names(rest), ['big-4', 'big-5']);
    assert.ok((await ok('GET', '/api/v1/configmaps')).items.length >= 6);
  });

  test('cluster-wide list /api/v1/pods spans namespaces', async () => {
    await ok('POST', P, pod('default-pod'));
    const all = await ok('GET', '/api/v1/pods');
    assert.equal(all.kind, 'PodList');
    const keys = all.items.map((i: any) => `${i.metadata.namespace}/${i.metadata.name}`);
    assert.ok(keys.includes('default/default-pod'), keys.join(' '));
    assert.ok(keys.includes('sel/run-n1'), keys.join(' '));
    assert.ok(/^\d+$/.test(all.metadata.resourceVersion));
    const inDefault = await ok('GET', P);
    assert.ok(inDefault.items.every((i: any) => i.metadata.namespace === 'default'));
  });
});

describe('Table output', () => {
  const columns = (t: any) => t.columnDefinitions.map((c: any) => c.name);
  const wide = (t: any) => t.columnDefinitions.filter((c: any) => c.priority === 1).map((c: any) => c.name);

  test('pods', async () => {
    const t = await ok('GET', '/api/v1/namespaces/sel/pods', undefined, { accept: TABLE_ACCEPT });
    assert.equal(t.kind, 'Table');
    assert.equal(t.apiVersion, 'meta.k8s.io/v1');
    assert.ok(t.metadata.resourceVersion);
    assert.deepEqual(columns(t), ['Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    assert.deepEqual(wide(t), ['IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    for (const c of t.columnDefinitions) for (const k of ['name', 'type', 'format', 'description', 'priority']) assert.ok(k in c, `${c.name} lacks ${k}`);
    const row = t.rows.find((r: any) => r.cells[0] === 'run-n1');
    assert.ok(row);
    assert.equal(row.cells.length, 9);
    assert.equal(row.cells[1], '0/1');
    assert.equal(row.cells[2], 'Running');
    assert.equal(row.cells[6], 'n1');
    assert.equal(row.object.kind, 'PartialObjectMetadata');
    assert.equal(row.object.apiVersion, 'meta.k8s.io/v1');
    assert.equal(row.object.metadata.namespace, 'sel');
    assert.equal(row.object.metadata.labels.app, 'web');
    assert.equal(row.object.spec, undefined);
  });

  test('includeObject=Object and None', async () => {
    const full = await ok('GET', '/api/v1/namespaces/sel/pods?includeObject=Object', undefined, { accept: TABLE_ACCEPT });
    assert.equal(full.rows[0].object.kind, 'Pod');
    assert.ok(full.rows[0].object.spec.containers);
    const none = await ok('GET', '/api/v1/namespaces/sel/pods?includeObject=None', undefined, { accept: TABLE_ACCEPT });
    assert.equal(none.rows[0].object, undefined);
    // one object as a Table
    const one = await ok('GET', '/api/v1/namespaces/sel/pods/run-n1', undefined, { accept: TABLE_ACCEPT });
    assert.equal(one.kind, 'Table');
    assert.equal(one.rows.length, 1);
  });

  test('deployments', async () => {
    await ok('POST', D, deployment('tbl', [{ name: 'a', image: 'nginx' }, { name: 'b', image: 'busybox' }], 3));
    const t = await ok('GET', `${D}?labelSelector=app%3Dtbl`, undefined, { accept: TABLE_ACCEPT });
    assert.deepEqual(columns(t), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
    assert.deepEqual(wide(t), ['Containers', 'Images', 'Selector']);
    const cells = t.rows[0].cells;
    assert.equal(cells[0], 'tbl');
    assert.equal(cells[1], '0/3');
    assert.equal(cells[5], 'a,b');
    assert.equal(cells[6], 'nginx,busybox');
    assert.equal(cells[7], 'app=tbl');
  });

  test('services', async () => {
    await ok('POST', SVC, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'tbl-svc' }, spec: { selector: { app: 'tbl' }, ports: [{ port: 80, targetPort: 8080 }] } });
    const t = await ok('GET', SVC, undefined, { accept: TABLE_ACCEPT });
    assert.deepEqual(columns(t), ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age', 'Selector']);
    assert.deepEqual(wide(t), ['Selector']);
    const row = t.rows.find((r: any) => r.cells[0] === 'tbl-svc');
    assert.equal(row.cells[1], 'ClusterIP');
    assert.match(row.cells[2], /^10\.96\.\d+\.\d+$/);
    assert.equal(row.cells[3], '<none>');
    assert.equal(row.cells[4], '80/TCP');
    assert.equal(row.cells[6], 'app=tbl');
    // the bootstrap "kubernetes" service
    const k = t.rows.find((r: any) => r.cells[0] === 'kubernetes');
    assert.ok(k, 'the kubernetes service exists');
    assert.equal(k.cells[2], '10.96.0.1');
    assert.equal(k.cells[4], '443/TCP');
  });

  test('nodes', async () => {
    await ok('POST', '/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node', metadata: { name: 'node-1', labels: { 'node-role.kubernetes.io/control-plane': '' } },
      status: {
        conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'ok', lastHeartbeatTime: new Date().toISOString(), lastTransitionTime: new Date().toISOString() }],
        addresses: [{ type: 'InternalIP', address: '10.0.0.5' }],
        nodeInfo: { kubeletVersion: 'v1.31.9', osImage: 'Debian', kernelVersion: '6.1', containerRuntimeVersion: 'k8ts://0.1', architecture: 'amd64', operatingSystem: 'linux', machineID: '', systemUUID: '', bootID: '', kubeProxyVersion: '' },
      },
    });
    const t = await ok('GET', '/api/v1/nodes', undefined, { accept: TABLE_ACCEPT });
    assert.deepEqual(columns(t), ['Name', 'Status', 'Roles', 'Age', 'Version', 'Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    assert.deepEqual(wide(t), ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime']);
    const row = t.rows.find((r: any) => r.cells[0] === 'node-1');
    assert.ok(row);
    assert.equal(row.cells[2], 'control-plane');
    assert.equal(row.object.metadata.namespace, undefined);
  });
});

describe('PATCH', () => {
  test('strategic merge: containers merge by name', async () => {
    await ok('POST', D, deployment('smp', [{ name: 'a', image: 'nginx', env: [{ name: 'X', value: '1' }] }, { name: 'b', image: 'busybox' }]));
    const p = await ok('PATCH', `${D}/smp`, { spec: { template: { spec: { containers: [{ name: 'b', image: 'busybox:2' }] } } } }, STRATEGIC);
    const cs = p.spec.template.spec.containers;
    assert.deepEqual(cs.map((c: any) => [c.name, c.image]), [['a', 'nginx'], ['b', 'busybox:2']]);
    assert.deepEqual(cs[0].env, [{ name: 'X', value: '1' }]);
    assert.equal(p.metadata.generation, 2);
    // env merges by name too; $patch: delete removes one container
    const p2 = await ok('PATCH', `${D}/smp`, { spec: { template: { spec: { containers: [{ name: 'a', env: [{ name: 'Y', value: '2' }] }, { name: 'b', $patch: 'delete' }] } } } }, STRATEGIC);
    assert.deepEqual(p2.spec.template.spec.containers.map((c: any) => c.name), ['a']);
    assert.deepEqual(p2.spec.template.spec.containers[0].env.map((e: any) => e.name).sort(), ['X', 'Y']);
    // a merge patch replaces lists wholesale
    const p3 = await ok('PATCH', `${D}/smp`, { spec: { template: { spec: { containers: [{ name: 'z', image: 'nginx' }] } } } }, MERGE);
    assert.deepEqual(p3.spec.template.spec.containers.map((c: any) => c.name), ['z']);
  });

  test('merge patch: labels with null deletion', async () => {
    await ok('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'mp', labels: { a: '1', b: '2' } }, data: { k: 'v' } });
    const p = await ok('PATCH', `${CM}/mp`, { metadata: { labels: { a: null, c: '3' } } }, MERGE);
    assert.deepEqual(p.metadata.labels, { b: '2', c: '3' });
    assert.deepEqual(p.data, { k: 'v' });
    // a patch carrying a stale resourceVersion is a conflict
    await fail('PATCH', `${CM}/mp`, { metadata: { resourceVersion: '1', labels: { d: '4' } } }, 409, MERGE);
  });

  test('json patch: ops apply; a failed test is 422 and writes nothing', async () => {
    const before = await ok('GET', `${CM}/mp`);
    const p = await ok('PATCH', `${CM}/mp`, [{ op: 'add', path: '/data/n', value: 'new' }, { op: 'replace', path: '/data/k', value: 'v2' }], JSONPATCH);
    assert.deepEqual(p.data, { k: 'v2', n: 'new' });
    await fail('PATCH', `${CM}/mp`, [{ op: 'test', path: '/data/k', value: 'nope' }, { op: 'remove', path: '/data/k' }], 422, JSONPATCH);
    const after = await ok('GET', `${CM}/mp`);
    assert.deepEqual(after.data, { k: 'v2', n: 'new' });
    assert.notEqual(after.metadata.resourceVersion, before.metadata.resourceVersion);
    assert.equal(after.metadata.resourceVersion, p.metadata.resourceVersion);
  });

  test('a patch producing an invalid object is 422', async () => {
    await fail('PATCH', `${CM}/mp`, { metadata: { labels: { 'bad key!': 'x' } } }, 422, MERGE);
  });
});

describe('scale', () => {
  test('GET / PATCH deployments/scale', async () => {
    const d = await ok('POST', D, deployment('scaled'));
    const s = await ok('GET', `${D}/scaled/scale`);
    assert.equal(s.kind, 'Scale');
    assert.equal(s.apiVersion, 'autoscaling/v1');
    assert.deepEqual(Object.keys(s.metadata).sort(), ['creationTimestamp', 'name', 'namespace', 'resourceVersion', 'uid']);
    assert.equal(s.metadata.uid, d.metadata.uid);
    assert.equal(s.spec.replicas, 1);
    assert.equal(s.status.selector, 'app=scaled');
    assert.equal(typeof s.status.replicas, 'number');
    const p = await ok('PATCH', `${D}/scaled/scale`, { spec: { replicas: 4 } }, MERGE);
    assert.equal(p.kind, 'Scale');
    assert.equal(p.spec.replicas, 4);
    const after = await ok('GET', `${D}/scaled`);
    assert.equal(after.spec.replicas, 4);
    assert.equal(after.metadata.generation, 2);
    // PUT with the Scale's resourceVersion, then the same (now stale) one again
    const put = await ok('PUT', `${D}/scaled/scale`, { ...p, spec: { replicas: 2 } });
    assert.equal(put.spec.replicas, 2);
    await fail('PUT', `${D}/scaled/scale`, { ...p, spec: { replicas: 5 } }, 409);
    const neg = await fail('PATCH', `${D}/scaled/scale`, { spec: { replicas: -1 } }, 422, MERGE);
    assert.equal(neg.reason, 'Invalid');
    assert.ok(neg.details.causes.some((c: any) => c.field === 'spec.replicas'));
    assert.equal((await ok('GET', `${D}/scaled`)).spec.replicas, 2);
  });
});

describe('pods/binding', () => {
  test('binding sets nodeName; a second binding is 409', async () => {
    await ok('POST', P, pod('to-bind'));
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'to-bind' }, target: { apiVersion: 'v1', kind: 'Node', name: 'n1' } };
    const r = await req('POST', `${P}/to-bind/binding`, binding);
    assert.equal(r.statusCode, 201, r.body);
    assert.equal(r.json().kind, 'Status');
    assert.equal(r.json().status, 'Success');
    const p = await ok('GET', `${P}/to-bind`);
    assert.equal(p.spec.nodeName, 'n1');
    const s = await fail('POST', `${P}/to-bind/binding`, { ...binding, target: { ...binding.target, name: 'n2' } }, 409);
    assert.equal(s.reason, 'Conflict');
    assert.equal((await ok('GET', `${P}/to-bind`)).spec.nodeName, 'n1');
    await fail('POST', `${P}/missing/binding`, { ...binding, metadata: { name: 'missing' } }, 404);
  });
});

describe('services', () => {
  const svc = (name: string, spec: Record<string, unknown>) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name }, spec });

  test('ClusterIP allocated from 10.96.0.0/16, unique', async () => {
    const a = await ok('POST', SVC, svc('ip-a', { selector: { app: 'a' }, ports: [{ port: 80 }] }));
    const b = await ok('POST', SVC, svc('ip-b', { selector: { app: 'b' }, ports: [{ port: 80 }] }));
    for (const s of [a, b]) {
      assert.match(s.spec.clusterIP, /^10\.96\.\d+\.\d+$/);
      assert.deepEqual(s.spec.clusterIPs, [s.spec.clusterIP]);
      assert.equal(s.spec.type, 'ClusterIP');
      assert.equal(s.spec.ports[0].protocol, 'TCP');
      assert.equal(s.spec.ports[0].targetPort, 80);
    }
    assert.notEqual(a.spec.clusterIP, b.spec.clusterIP);
    // asking for a taken IP is 422
    await fail('POST', SVC, svc('ip-c', { clusterIP: a.spec.clusterIP, ports: [{ port: 80 }] }), 422);
    // outside the range is 422
    await fail('POST', SVC, svc('ip-d', { clusterIP: '192.168.1.1', ports: [{ port: 80 }] }), 422);
  });

  test('NodePort 32600 honoured, a second claim is 422, deletion frees it', async () => {
    const first = await ok('POST', SVC, svc('np-1', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, targetPort: 80, nodePort: 32600 }] }));
    assert.equal(first.spec.ports[0].nodePort, 32600);
    assert.match(first.spec.clusterIP, /^10\.96\./);
    const s = await fail('POST', SVC, svc('np-2', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 32600 }] }), 422);
    assert.ok(s.details.causes.some((c: any) => c.field === 'spec.ports[0].nodePort'), JSON.stringify(s.details));
    assert.match(s.message, /already allocated/);
    await fail('POST', SVC, svc('np-3', { type: 'NodePort', ports: [{ port: 80, nodePort: 80 }] }), 422);
    const auto = await ok('POST', SVC, svc('np-auto', { type: 'NodePort', ports: [{ port: 80 }] }));
    assert.ok(auto.spec.ports[0].nodePort >= 30000 && auto.spec.ports[0].nodePort <= 32767);
    await ok('DELETE', `${SVC}/np-1`);
    const second = await ok('POST', SVC, svc('np-2', { type: 'NodePort', selector: { app: 'web' }, ports: [{ port: 80, nodePort: 32600 }] }));
    assert.equal(second.spec.ports[0].nodePort, 32600);
    // and the ClusterIP of the deleted service could be reused: at least the new one is valid
    assert.match(second.spec.clusterIP, /^10\.96\./);
  });
});

describe('DELETE', () => {
  test('configmaps answer a Status, pods the object', async () => {
    const c = await ok('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'to-delete' } });
    const s = await ok('DELETE', `${CM}/to-delete`, { propagationPolicy: 'Background' });
    assert.equal(s.kind, 'Status');
    assert.equal(s.status, 'Success');
    assert.equal(s.details.name, 'to-delete');
    assert.equal(s.details.kind, 'configmaps');
    assert.equal(s.details.uid, c.metadata.uid);
    await fail('GET', `${CM}/to-delete`, undefined, 404);
  });

  test('an unbound pod is removed at once; a bound one terminates gracefully', async () => {
    await ok('POST', P, pod('free'));
    const gone = await ok('DELETE', `${P}/free`);
    assert.equal(gone.kind, 'Pod');
    assert.equal(gone.metadata.name, 'free');
    await fail('GET', `${P}/free`, undefined, 404);

    await ok('POST', P, pod('bound', {}, 'n1'));
    const terminating = await ok('DELETE', `${P}/bound`);
    assert.equal(terminating.kind, 'Pod');
    assert.ok(terminating.metadata.deletionTimestamp);
    assert.equal(terminating.metadata.deletionGracePeriodSeconds, 30);
    const still = await ok('GET', `${P}/bound`);
    assert.ok(still.metadata.deletionTimestamp);
    // the kubelet (or --grace-period=0 --force) finishes it
    await ok('DELETE', `${P}/bound`, { gracePeriodSeconds: 0 });
    await fail('GET', `${P}/bound`, undefined, 404);
  });

  test('preconditions on DELETE', async () => {
    await ok('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'pre' } });
    await fail('DELETE', `${CM}/pre`, { preconditions: { uid: 'not-the-uid' } }, 409);
    await fail('DELETE', `${CM}/pre`, { propagationPolicy: 'Sometimes' }, 422);
    await ok('GET', `${CM}/pre`);
  });

  test('deletecollection by label', async () => {
    await ok('POST', '/api/v1/namespaces', ns('dc'));
    for (const n of ['x1', 'x2', 'keep']) await ok('POST', '/api/v1/namespaces/dc/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: n, labels: { del: String(n !== 'keep') } } });
    await ok('DELETE', '/api/v1/namespaces/dc/configmaps?labelSelector=del%3Dtrue');
    assert.deepEqual(names(await ok('GET', '/api/v1/namespaces/dc/configmaps')), ['keep']);
  });
});

describe('namespace lifecycle', () => {
  test('delete → Terminating, no new content (403), /finalize with no finalizers removes it', async () => {
    await ok('POST', '/api/v1/namespaces', ns('doomed'));
    await ok('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'inside' } });
    const created = await ok('GET', '/api/v1/namespaces/doomed');
    assert.deepEqual(created.spec.finalizers, ['kubernetes']);
    assert.equal(created.status.phase, 'Active');
    assert.equal(created.metadata.labels['kubernetes.io/metadata.name'], 'doomed');
    const del = await ok('DELETE', '/api/v1/namespaces/doomed');
    assert.equal(del.kind, 'Namespace');
    assert.equal(del.status.phase, 'Terminating');
    assert.ok(del.metadata.deletionTimestamp);
    const s = await fail('POST', '/api/v1/namespaces/doomed/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'late' } }, 403);
    assert.equal(s.reason, 'Forbidden');
    assert.match(s.message, /because it is being terminated/);
    // what the namespace controller does once the content is gone
    await ok('DELETE', '/api/v1/namespaces/doomed/configmaps/inside');
    const cur = await ok('GET', '/api/v1/namespaces/doomed');
    await ok('PUT', '/api/v1/namespaces/doomed/finalize', { ...cur, spec: { finalizers: [] } });
    await fail('GET', '/api/v1/namespaces/doomed', undefined, 404);
  });
});

describe('dryRun=All', () => {
  test('writes nothing', async () => {
    const created = await ok('POST', `${CM}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } });
    assert.equal(created.metadata.name, 'dry');
    await fail('GET', `${CM}/dry`, undefined, 404);
    // still validated
    await fail('POST', `${CM}?dryRun=All`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'Bad_Dry' } }, 422);
    const real = await ok('POST', CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'dry' }, data: { a: '1' } });
    const upd = await ok('PUT', `${CM}/dry?dryRun=All`, { ...real, data: { a: '2' } });
    assert.equal(upd.data.a, '2');
    await ok('PATCH', `${CM}/dry?dryRun=All`, { data: { a: '3' } }, MERGE);
    await ok('DELETE', `${CM}/dry?dryRun=All`);
    const got = await ok('GET', `${CM}/dry`);
    assert.equal(got.data.a, '1');
    assert.equal(got.metadata.resourceVersion, real.metadata.resourceVersion);
    // a NodePort reserved in a dry run is not taken
    await ok('POST', `${SVC}?dryRun=All`, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'dry-np' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 32700 }] } });
    const np = await ok('POST', SVC, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'real-np' }, spec: { type: 'NodePort', ports: [{ port: 80, nodePort: 32700 }] } });
    assert.equal(np.spec.ports[0].nodePort, 32700);
  });
});

describe('discovery, version, OpenAPI, health', () => {
  test('/api and /apis', async () => {
    const a = await ok('GET', '/api');
    assert.equal(a.kind, 'APIVersions');
    assert.deepEqual(a.versions, ['v1']);
    assert.equal(a.serverAddressByClientCIDRs[0].clientCIDR, '0.0.0.0/0');
    const g = await ok('GET', '/apis');
    assert.equal(g.kind, 'APIGroupList');
    const groups = g.groups.map((x: any) => x.name);
    for (const want of ['apps', 'coordination.k8s.io']) assert.ok(groups.includes(want), groups.join(','));
    const apps = g.groups.find((x: any) => x.name === 'apps');
    assert.deepEqual(apps.preferredVersion, { groupVersion: 'apps/v1', version: 'v1' });
    const one = await ok('GET', '/apis/apps');
    assert.equal(one.kind, 'APIGroup');
    // aggregated discovery is answered with plain JSON (kubectl falls back)
    const r = await req('GET', '/apis', undefined, { accept: 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json' });
    assert.equal(r.statusCode, 200);
    assert.match(String(r.headers['content-type']), /^application\/json/);
    assert.doesNotMatch(String(r.headers['content-type']), /apidiscovery/);
    // unknown query parameters are ignored
    await ok('GET', '/api?timeout=32s');
  });

  test('/api/v1 resources', async () => {
    const l = await ok('GET', '/api/v1');
    assert.equal(l.kind, 'APIResourceList');
    assert.equal(l.groupVersion, 'v1');
    const by = new Map(l.resources.map((r: any) => [r.name, r]));
    const pods: any = by.get('pods');
    assert.equal(pods.kind, 'Pod');
    assert.equal(pods.namespaced, true);
    assert.equal(pods.singularName, 'pod');
    assert.deepEqual(pods.shortNames, ['po']);
    assert.deepEqual(pods.categories, ['all']);
    for (const v of ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch']) assert.ok(pods.verbs.includes(v), v);
    for (const sub of ['pods/status', 'pods/binding', 'pods/log', 'pods/exec', 'pods/portforward']) assert.ok(by.has(sub), sub);
    for (const r of ['namespaces', 'nodes', 'services', 'services/status', 'endpoints', 'configmaps', 'secrets', 'events', 'resourcequotas', 'replicationcontrollers', 'replicationcontrollers/scale']) assert.ok(by.has(r), r);
    assert.equal((by.get('namespaces') as any).namespaced, false);
    assert.deepEqual((by.get('services') as any).shortNames, ['svc']);
    assert.deepEqual((by.get('configmaps') as any).shortNames, ['cm']);
  });

  test('/apis/apps/v1 with deployments/scale in group autoscaling', async () => {
    const l = await ok('GET', '/apis/apps/v1');
    assert.equal(l.groupVersion, 'apps/v1');
    const by = new Map(l.resources.map((r: any) => [r.name, r]));
    const d: any = by.get('deployments');
    assert.deepEqual(d.shortNames, ['deploy']);
    assert.deepEqual(d.categories, ['all']);
    const scale: any = by.get('deployments/scale');
    assert.deepEqual({ group: scale.group, version: scale.version, kind: scale.kind }, { group: 'autoscaling', version: 'v1', kind: 'Scale' });
    assert.ok(scale.verbs.includes('patch'));
    assert.ok(by.has('deployments/status'));
    assert.ok(by.has('replicasets/scale'));
    const coord = await ok('GET', '/apis/coordination.k8s.io/v1');
    assert.ok(coord.resources.some((r: any) => r.name === 'leases'));
  });

  test('/version', async () => {
    const v = await ok('GET', '/version');
    for (const k of ['major', 'minor', 'gitVersion', 'gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) assert.ok(k in v, k);
    assert.match(v.gitVersion, /^v1\.3\d\.\d+$/);
    assert.equal(v.major, '1');
  });

  test('/openapi/v3 index and a group-version document', async () => {
    const idx = await ok('GET', '/openapi/v3');
    assert.match(idx.paths['api/v1'].serverRelativeURL, /^\/openapi\/v3\/api\/v1\?hash=\w+/);
    assert.match(idx.paths['apis/apps/v1'].serverRelativeURL, /^\/openapi\/v3\/apis\/apps\/v1\?hash=\w+/);
    const doc = await ok('GET', idx.paths['apis/apps/v1'].serverRelativeURL);
    assert.ok(doc.openapi.startsWith('3.'));
    const item = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}'];
    assert.ok(item, Object.keys(doc.paths).slice(0, 5).join(' '));
    assert.deepEqual(item.patch['x-kubernetes-group-version-kind'], { group: 'apps', version: 'v1', kind: 'Deployment' });
    const params = [...(item.parameters ?? []), ...(item.patch.parameters ?? [])].map((p: any) => (p.$ref ? doc.components?.parameters?.[p.$ref.split('/').pop()] : p));
    assert.ok(params.some((p: any) => p?.name === 'fieldValidation' && p?.in === 'query'), 'fieldValidation parameter');
    assert.ok(doc.components.schemas['io.k8s.api.apps.v1.Deployment']);
    await fail('GET', '/openapi/v3/apis/nope/v1', undefined, 404);
  });

  test('/healthz /readyz /livez', async () => {
    for (const p of ['/healthz', '/readyz', '/livez', '/readyz?verbose']) {
      const r = await req('GET', p);
      assert.equal(r.statusCode, 200, p);
      assert.match(r.body, /ok/);
    }
  });
});
