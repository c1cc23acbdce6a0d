import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from './api/meta.js';
import { ApiClient } from './client/api-client.js';
import { Resources } from './client/resources.js';
import { Informer, type InformerOptions } from './informer.js';
import { createLogger } from './logger.js';
import { FakeApiServer } from './testing/fake-api-server.js';
import { FakeClock } from './testing/fake-clock.js';

const logger = createLogger('informer-test', 'silent');
const pods = Resources.pods;

const pod = (name: string, ns = 'default', extra: Record<string, unknown> = {}): KubeObject =>
  ({ metadata: { name, namespace: ns, labels: { app: 'web' } }, spec: { containers: [] }, ...extra });

/** Polls until `pred` holds (bounded); the bound only turns a hang into a readable failure. */
async function until(pred: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    if (pred()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.fail(`timed out waiting for: ${what}`);
}

/** Records handler calls as strings, and checks the "no duplicate add" contract as it goes. */
function recorder(inf: Informer) {
  const calls: string[] = [];
  const live = new Set<string>();
  const violations: string[] = [];
  const key = (o: KubeObject): string => `${o.metadata.namespace}/${o.metadata.name}`;
  inf.addEventHandler({
    onAdd: (o) => {
      if (live.has(key(o))) violations.push(`duplicate add ${key(o)}`);
      live.add(key(o));
      calls.push(`add ${key(o)}`);
    },
    onUpdate: (a, b) => {
      if (!live.has(key(b))) violations.push(`update before add ${key(b)}`);
      calls.push(`update ${key(b)} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`);
    },
    onDelete: (o) => {
      if (!live.delete(key(o))) violations.push(`delete before add ${key(o)}`);
      calls.push(`delete ${key(o)}`);
    },
  });
  return { calls, violations };
}

describe('Informer against a fake API server', () => {
  let server: FakeApiServer;
  let client: ApiClient;
  const informers: Informer[] = [];

  const make = (opts: Partial<InformerOptions> = {}): Informer => {
    const inf = new Informer({ client, ref: pods, logger, pageSize: 2, backoff: { initialMs: 1, maxMs: 4 }, ...opts });
    informers.push(inf);
    return inf;
  };
  const lists = (): typeof server.requests => server.requests.filter((r) => r.method === 'GET' && !r.query.watch && r.path.endsWith('/pods'));
  const watches = (): typeof server.requests => server.requests.filter((r) => r.query.watch === 'true');

  afterEach(async () => {
    await Promise.all(informers.splice(0).map((i) => i.stop()));
    await client.close();
    await server.close();
  });

  const boot = async (opts: { expiredAs?: 'event' | 'http' } = {}): Promise<void> => {
    server = await FakeApiServer.start(opts);
    client = new ApiClient({ server: server.url });
  };

  it('pages the list, watches from its RV, applies live events, and re-watches from the last RV after a normal close', async () => {
    await boot();
    for (const n of ['a', 'b', 'c']) server.put(pods, pod(n));
    server.put(pods, pod('z', 'other'));
    const listRv = server.resourceVersion;

    const inf = make();
    const { calls, violations } = recorder(inf);
    inf.start();
    assert.equal(await inf.waitForSync(), true);
    assert.equal(inf.hasSynced(), true);
    assert.deepEqual(calls, ['add default/a', 'add default/b', 'add default/c', 'add other/z']);

    const l = lists();
    assert.equal(l.length, 2, 'four objects in pages of two');
    assert.equal(l[0]!.query.limit, '2');
    assert.equal(l[0]!.query.continue, undefined);
    assert.ok(l[1]!.query.continue);
    assert.equal(l[0]!.query.resourceVersion, undefined);

    await server.waitForWatches(1);
    const w = watches()[0]!;
    assert.equal(w.query.resourceVersion, listRv);
    assert.equal(w.query.allowWatchBookmarks, 'true');
    const t = Number(w.query.timeoutSeconds);
    assert.ok(t >= 300 && t <= 600, `timeoutSeconds ${t}`);

    calls.length = 0;
    const aRv = inf.get('default/a')!.metadata.resourceVersion;
    server.put(pods, pod('d'));
    const a2 = server.put(pods, pod('a', 'default', { spec: { nodeName: 'n1' } }));
    const bUid = inf.get('default/b')!.metadata.uid;
    let deleted: KubeObject | undefined;
    inf.on('delete', (o) => { deleted = o; });
    server.remove(pods, 'default', 'b');
    await until(() => calls.length === 3, 'three live events');
    assert.deepEqual(calls, ['add default/d', `update default/a ${aRv}->${a2.metadata.resourceVersion}`, 'delete default/b']);
    assert.equal(deleted?.metadata.uid, bUid, 'delete carries the last known object');
    assert.equal(inf.get('default/a')!.spec.nodeName, 'n1');
    assert.equal(inf.get('default/b'), undefined);

    // A BOOKMARK moves the resume point without any handler call.
    server.put(Resources.configmaps, { metadata: { name: 'unrelated', namespace: 'default' } });
    server.bookmark();
    await until(() => inf.lastSyncResourceVersion() === server.resourceVersion, 'bookmark RV applied');
    const bookmarkRv = server.resourceVersion;

    // Normal close: re-watch from the last seen RV, no relist, no duplicate adds.
    server.closeWatches();
    await server.waitForWatches(2);
    assert.equal(watches()[1]!.query.resourceVersion, bookmarkRv);
    assert.equal(lists().length, 2, 'no relist after a normal close');
    server.put(pods, pod('e'));
    await until(() => calls.length === 4, 'event on the new watch');
    assert.equal(calls[3], 'add default/e');

    assert.deepEqual(inf.keys().sort(), ['default/a', 'default/c', 'default/d', 'default/e', 'other/z']);
    assert.equal(inf.list().length, 5);
    assert.equal(inf.get('default/e')!.kind, undefined, 'watch objects are passed through unchanged');
    assert.equal(inf.get('default/c')!.kind, 'Pod', 'list items get kind from the ref');
    assert.equal(inf.get('default/c')!.apiVersion, 'v1');
    assert.deepEqual(violations, []);
  });

  for (const expiredAs of ['event', 'http'] as const) {
    it(`relists on 410 (${expiredAs === 'event' ? 'ERROR event' : 'HTTP 410'}) and emits only the differences`, async () => {
      await boot({ expiredAs });
      for (const n of ['a', 'b', 'c']) server.put(pods, pod(n));
      const inf = make({ namespace: 'default' });
      const { calls, violations } = recorder(inf);
      inf.start();
      await inf.waitForSync();
      await server.waitForWatches(1);
      calls.length = 0;
      const aOld = inf.get('default/a')!.metadata.resourceVersion;

      // Changes the informer cannot see (no history), then history is compacted and the
      // watch ends: the re-watch from the old RV gets 410 and must relist.
      const a2 = server.put(pods, pod('a', 'default', { spec: { nodeName: 'n2' } }), { silent: true });
      server.remove(pods, 'default', 'b', { silent: true });
      server.put(pods, pod('d'), { silent: true });
      const bUidBefore = inf.get('default/b')!.metadata.uid;
      let deletedB: KubeObject | undefined;
      inf.on('delete', (o) => { deletedB = o; });
      server.compact();
      const relistRv = server.resourceVersion;
      server.closeWatches();

      await server.waitForWatches(3);
      assert.equal(watches()[1]!.query.resourceVersion, watches()[0]!.query.resourceVersion, 're-watch from the last seen RV');
      assert.equal(watches()[2]!.query.resourceVersion, relistRv, 'watch resumes from the relist RV');
      assert.equal(lists().length, 2 + 2, 'initial list (2 pages) + relist (2 pages)');
      assert.equal(lists()[2]!.query.continue, undefined, 'relist starts from scratch');
      assert.deepEqual(calls, ['delete default/b', `update default/a ${aOld}->${a2.metadata.resourceVersion}`, 'add default/d']);
      assert.equal(deletedB?.metadata.uid, bUidBefore, 'relist delete carries the cached object');
      assert.deepEqual(inf.keys().sort(), ['default/a', 'default/c', 'default/d']);
      assert.deepEqual(violations, []);

      // Still live after the relist.
      server.put(pods, pod('f'));
      await until(() => calls.includes('add default/f'), 'live event after relist');
    });
  }

  it('reports an object recreated with a new uid during a gap as delete + add', async () => {
    await boot();
    server.put(pods, pod('a'));
    const inf = make();
    const { calls, violations } = recorder(inf);
    inf.start();
    await inf.waitForSync();
    await server.waitForWatches(1);
    const oldUid = inf.get('default/a')!.metadata.uid;
    server.remove(pods, 'default', 'a', { silent: true });
    server.put(pods, pod('a'), { silent: true });
    server.compact();
    server.closeWatches();
    await until(() => calls.length === 3, 'delete + add');
    assert.deepEqual(calls, ['add default/a', 'delete default/a', 'add default/a']);
    assert.notEqual(inf.get('default/a')!.metadata.uid, oldUid);
    assert.deepEqual(violations, []);
  });

  it('backs off and retries failed lists and watches; throwing handlers do not stop it', async () => {
    await boot();
    server.put(pods, pod('a'));
    server.intercept((r) => (r.method === 'GET' && !r.query.watch ? { status: 500, body: { kind: 'Status', code: 500, reason: 'InternalError', message: 'etcd down' } } : undefined), 2);
    server.intercept((r) => (r.query.watch ? { status: 503, body: 'no' } : undefined), 1);
    const inf = make();
    inf.on('add', () => { throw new Error('handler bug'); });
    inf.on('add', () => Promise.reject(new Error('async handler bug')));
    const { calls } = recorder(inf);
    inf.start();
    assert.equal(await inf.waitForSync(), true);
    assert.equal(lists().length, 3, 'two failed lists, then success');
    await server.waitForWatches(2);
    server.put(pods, pod('b'));
    await until(() => calls.includes('add default/b'), 'event after watch retry');
    assert.equal(watches()[1]!.query.resourceVersion, watches()[0]!.query.resourceVersion, 'failed watch retried from the same RV');
    assert.deepEqual(calls, ['add default/a', 'add default/b']);
  });

  it('a watch ERROR event other than 410 is retried without relisting', async () => {
    await boot();
    server.put(pods, pod('a'));
    server.intercept((r) => (r.query.watch ? {
      status: 200, body: JSON.stringify({ type: 'ERROR', object: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code: 500, reason: 'InternalError', message: 'x' } }) + '\n',
    } : undefined), 1);
    const inf = make();
    inf.start();
    await inf.waitForSync();
    await server.waitForWatches(2);
    assert.equal(lists().length, 1);
  });

  it('replays the cache to late handlers, resyncs on the injected clock, and stops cleanly', async () => {
    await boot();
    server.put(pods, pod('a'));
    server.put(pods, pod('b'));
    const clock = new FakeClock();
    const inf = make({ clock, resyncMs: 60_000 });
    inf.start();
    await inf.waitForSync();
    const { calls } = recorder(inf);
    assert.deepEqual(calls, ['add default/a', 'add default/b'], 'late handler receives existing objects');
    calls.length = 0;
    clock.advance(59_999);
    assert.deepEqual(calls, []);
    clock.advance(1);
    const rvA = inf.get('default/a')!.metadata.resourceVersion;
    const rvB = inf.get('default/b')!.metadata.resourceVersion;
    assert.deepEqual(calls, [`update default/a ${rvA}->${rvA}`, `update default/b ${rvB}->${rvB}`]);
    clock.advance(60_000);
    assert.equal(calls.length, 4, 'resync repeats');
    await inf.stop();
    clock.advance(60_000);
    assert.equal(calls.length, 4, 'no resync after stop');
    await until(() => server.openWatchCount() === 0, 'stop() closed the watch');
    assert.equal(await inf.waitForSync(), true, 'already synced stays true');
  });

  it('waitForSync resolves false when its signal aborts or the informer stops first', async () => {
    await boot();
    server.intercept((r) => (r.query.watch ? undefined : { status: 503, body: 'down' }));
    const inf = make({ backoff: { initialMs: 1, maxMs: 2 } });
    inf.start();
    const ac = new AbortController();
    const waiting = inf.waitForSync(ac.signal);
    const waiting2 = inf.waitForSync();
    await until(() => lists().length >= 2, 'retrying lists');
    ac.abort();
    assert.equal(await waiting, false);
    await inf.stop();
    assert.equal(await waiting2, false);
    assert.equal(inf.hasSynced(), false);
  });
});
