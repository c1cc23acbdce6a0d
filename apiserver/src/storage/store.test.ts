import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger, StatusError, type KubeObject } from '@k8ts/shared';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import type { Etcd3 } from 'etcd3';
import { connectEtcd, getKey } from './etcd.js';
import { GenericStore, type StoreRegistry } from './store.js';
import { testNamespaces, testWidgets, testPorts } from '../testing/test-kinds.js';
import type { ResourceDef } from '../registry/types.js';

let etcd: TestEtcd;
let client: Etcd3;
const stores = new Map<ResourceDef, GenericStore>();
const reg: StoreRegistry = { storeFor: (d) => stores.get(d)!, get namespaces() { return stores.get(testNamespaces)!; } };
const ns = () => stores.get(testNamespaces)!;
const widgets = () => stores.get(testWidgets)!;
const code = (e: unknown) => (e instanceof StatusError ? `${e.httpCode} ${e.reason}` : String(e));

before(async () => {
  etcd = await startTestEtcd();
  client = connectEtcd({ endpoints: [etcd.endpoint] });
  const log = createLogger('test', 'silent');
  for (const d of [testNamespaces, testWidgets, testPorts]) stores.set(d, new GenericStore(d, { etcd: client, log, options: { serviceCIDR: '10.96.0.0/16', nodePortRange: [30000, 32767] }, registry: reg }));
  await ns().create(undefined, { metadata: { name: 'default' } });
});
after(async () => { for (const s of stores.values()) await s.stop(); client.close(); await etcd.stop(); });

test('create sets server fields; duplicate is AlreadyExists; missing namespace is NotFound', async () => {
  const w = await widgets().create('default', { metadata: { name: 'a', labels: { app: 'x' } }, spec: { size: 1 }, status: { bogus: true } });
  assert.equal(w.kind, 'Widget');
  assert.equal(w.apiVersion, 'example.com/v1');
  assert.match(w.metadata.uid!, /^[0-9a-f-]{36}$/);
  assert.equal(w.metadata.generation, 1);
  assert.ok(w.metadata.creationTimestamp);
  assert.equal(w.status, undefined);
  assert.equal((await widgets().get('default', 'a')).metadata.resourceVersion, w.metadata.resourceVersion);
  await assert.rejects(widgets().create('default', { metadata: { name: 'a' } }), (e) => code(e) === '409 AlreadyExists');
  await assert.rejects(widgets().create('nope', { metadata: { name: 'a' } }), (e) => code(e) === '404 NotFound');
  await assert.rejects(widgets().create('default', { metadata: { name: 'bad' }, spec: { size: -1 } }), (e) => code(e) === '422 Invalid');
  const g = await widgets().create('default', { metadata: { generateName: 'gen-' } });
  assert.match(g.metadata.name!, /^gen-[a-z0-9]{5}$/);
});

test('update: stale resourceVersion is a Conflict; generation bumps on spec change only; no-op writes nothing', async () => {
  const w = await widgets().create('default', { metadata: { name: 'u' }, spec: { size: 1 } });
  const { obj: u1 } = await widgets().update('default', 'u', { ...w, spec: { size: 2 } });
  assert.equal(u1.metadata.generation, 2);
  await assert.rejects(widgets().update('default', 'u', { ...w, spec: { size: 3 } }), (e) => code(e) === '409 Conflict');
  const { obj: u2 } = await widgets().update('default', 'u', { ...u1, metadata: { ...u1.metadata, labels: { a: 'b' } } });
  assert.equal(u2.metadata.generation, 2);
  const { obj: u3 } = await widgets().update('default', 'u', u2);
  assert.equal(u3.metadata.resourceVersion, u2.metadata.resourceVersion);
  // status subresource keeps spec; main update keeps status
  const s = await widgets().guaranteedUpdate('default', 'u', (c) => ({ ...c, spec: { size: 99 }, status: { ok: true } }), { subresource: 'status' });
  assert.deepEqual(s.spec, { size: 2 });
  assert.deepEqual(s.status, { ok: true });
  const { obj: m } = await widgets().update('default', 'u', { metadata: { name: 'u' }, spec: { size: 5 }, status: { ok: false } });
  assert.deepEqual(m.status, { ok: true });
  assert.equal(m.metadata.uid, w.metadata.uid);
});

test('list: selectors, paging with continue, exact-name field selector', async () => {
  for (let i = 0; i < 25; i++) await widgets().create('default', { metadata: { name: `p-${String(i).padStart(2, '0')}`, labels: { page: 'yes', odd: String(i % 2) } }, spec: { color: i % 2 ? 'red' : 'blue' } });
  const all = await widgets().list('default', { labelSelector: 'page=yes' });
  assert.equal(all.items.length, 25);
  assert.equal(all.kind, 'WidgetList');
  const names: string[] = [];
  let cont: string | undefined;
  do {
    const page = await widgets().list('default', { labelSelector: 'page=yes', limit: 7, continue: cont });
    names.push(...page.items.map((o) => o.metadata.name!));
    cont = page.metadata.continue;
  } while (cont);
  assert.deepEqual(names, all.items.map((o) => o.metadata.name));
  assert.equal((await widgets().list('default', { fieldSelector: 'spec.color=red', labelSelector: 'page' })).items.length, 12);
  assert.equal((await widgets().list(undefined, { fieldSelector: 'metadata.name=p-03' })).items.length, 1);
  assert.equal((await widgets().list('default', { fieldSelector: 'metadata.name=p-03' })).items.length, 1);
  await assert.rejects(widgets().list('default', { fieldSelector: 'spec.nope=1' }), (e) => code(e) === '400 BadRequest');
  await assert.rejects(widgets().list('default', { continue: 'garbage' }), (e) => code(e) === '400 BadRequest');
});

test('delete: finalizers keep the object until removed; preconditions; reservations released atomically', async () => {
  await widgets().create('default', { metadata: { name: 'f', finalizers: ['example.com/hold'] } });
  const d1 = await widgets().delete('default', 'f');
  assert.equal(d1.gone, false);
  assert.ok(d1.obj.metadata.deletionTimestamp);
  const cur = await widgets().get('default', 'f');
  await widgets().update('default', 'f', { ...cur, metadata: { ...cur.metadata, finalizers: [] } });
  await assert.rejects(widgets().get('default', 'f'), (e) => code(e) === '404 NotFound');
  const w = await widgets().create('default', { metadata: { name: 'pre' } });
  await assert.rejects(widgets().delete('default', 'pre', { preconditions: { uid: 'other' } }), (e) => code(e) === '409 Conflict');
  assert.equal((await widgets().delete('default', 'pre', { preconditions: { uid: w.metadata.uid } })).gone, true);
  const ports = stores.get(testPorts)!;
  await ports.create('default', { metadata: { name: 'p1' }, spec: { port: 80 } });
  assert.ok((await getKey(client, '/registry/allocations/test-ports/80')).kv);
  await assert.rejects(ports.create('default', { metadata: { name: 'p2' }, spec: { port: 80 } }));
  await ports.delete('default', 'p1');
  assert.equal((await getKey(client, '/registry/allocations/test-ports/80')).kv, undefined);
  await ports.create('default', { metadata: { name: 'p2' }, spec: { port: 80 } });
});

test('namespaces: delete marks Terminating while spec.finalizers remain; creating inside is Forbidden', async () => {
  await ns().create(undefined, { metadata: { name: 'doomed' } });
  const d = await ns().delete(undefined, 'doomed');
  assert.equal(d.gone, false);
  assert.equal(d.obj.status.phase, 'Terminating');
  await assert.rejects(widgets().create('doomed', { metadata: { name: 'x' } }), (e) => code(e) === '403 Forbidden');
  await ns().guaranteedUpdate(undefined, 'doomed', (c) => ({ ...c, spec: { finalizers: [] } }), { subresource: 'finalize' });
  await assert.rejects(ns().get(undefined, 'doomed'), (e) => code(e) === '404 NotFound');
});

test('concurrent unconditional updates all land (CAS retry)', async () => {
  await widgets().create('default', { metadata: { name: 'cc' }, spec: { n: 0 } });
  await Promise.all(Array.from({ length: 20 }, (_, i) => widgets().guaranteedUpdate('default', 'cc', (c) => { c.metadata.labels = { ...c.metadata.labels, [`l${i}`]: 'x' }; return c; })));
  assert.equal(Object.keys((await widgets().get('default', 'cc')).metadata.labels!).length, 20);
});

function collect() {
  const events: Array<{ type: string; name: string; rv: string }> = [];
  const errors: number[] = [];
  return {
    events, errors,
    sink: {
      event: (type: string, o: KubeObject) => events.push({ type, name: o.metadata.name!, rv: o.metadata.resourceVersion! }),
      error: (s: { code: number }) => errors.push(s.code),
    },
  };
}
const until = async (f: () => boolean) => { for (let i = 0; i < 200 && !f(); i++) await new Promise((r) => setTimeout(r, 10)); assert.ok(f()); };

test('watch: initial ADDED, live events, selector enter/leave, resume from a revision', async () => {
  await ns().create(undefined, { metadata: { name: 'w' } });
  const a = await widgets().create('w', { metadata: { name: 'w1', labels: { sel: 'y' } } });
  const c = collect();
  const stop = await widgets().watch('w', { labelSelector: 'sel=y' }, c.sink as never);
  assert.deepEqual(c.events.map((e) => `${e.type} ${e.name}`), ['ADDED w1']);
  await widgets().create('w', { metadata: { name: 'w2' } }); // not selected
  const mod = await widgets().guaranteedUpdate('w', 'w2', (o) => { o.metadata.labels = { sel: 'y' }; return o; }); // enters
  await widgets().guaranteedUpdate('w', 'w1', (o) => { o.metadata.labels = { sel: 'n' }; return o; }); // leaves
  await widgets().delete('w', 'w2');
  await until(() => c.events.length >= 4);
  assert.deepEqual(c.events.map((e) => `${e.type} ${e.name}`), ['ADDED w1', 'ADDED w2', 'DELETED w1', 'DELETED w2']);
  stop();
  // resume from the revision of a's creation: everything after it, in order
  const r = collect();
  const stop2 = await widgets().watch('w', { resourceVersion: a.metadata.resourceVersion }, r.sink as never);
  await until(() => r.events.length >= 4);
  assert.deepEqual(r.events.map((e) => `${e.type} ${e.name}`), ['ADDED w2', 'MODIFIED w2', 'MODIFIED w1', 'DELETED w2']);
  assert.equal(r.events[1]!.rv, mod.metadata.resourceVersion);
  stop2();
});

test('watch from a compacted revision is 410 Expired', async () => {
  const w = await widgets().create('default', { metadata: { name: 'old' } });
  for (let i = 0; i < 3; i++) await widgets().guaranteedUpdate('default', 'old', (o) => { o.spec = { i }; return o; });
  const rev = (await getKey(client, '/registry/widgets.example.com/default/old')).revision;
  await client.kv.compact({ revision: rev, physical: true });
  // force the direct path: a revision older than the cache window
  const c = collect();
  const stop = await widgets().watch('default', { resourceVersion: String(Number(w.metadata.resourceVersion) - 50 > 0 ? 1 : 1) }, c.sink as never);
  await until(() => c.errors.length > 0);
  assert.equal(c.errors[0], 410);
  stop();
});
