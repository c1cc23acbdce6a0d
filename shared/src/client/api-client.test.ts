import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import type { KubeObject, WatchEvent } from '../api/meta.js';
import { StatusError, isStatusError } from '../errors.js';
import { FakeApiServer } from '../testing/fake-api-server.js';
import { ApiClient } from './api-client.js';
import { isAlreadyExists, isConflict, isNotFound } from './error-predicates.js';
import { Resources } from './resources.js';

const pod = (name: string, labels: Record<string, string> = {}): KubeObject => ({
  apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec: { containers: [{ name: 'c', image: 'busybox' }] },
});

function expectStatus(code: number, reason: string, k8tsCode?: string) {
  return (e: unknown): boolean => {
    assert.ok(isStatusError(e), `expected StatusError, got ${String(e)}`);
    assert.equal(e.status.code, code);
    assert.equal(e.status.reason, reason);
    if (k8tsCode) assert.equal(e.code, k8tsCode);
    return true;
  };
}

describe('ApiClient', () => {
  let server: FakeApiServer;
  let client: ApiClient;

  before(async () => {
    server = await FakeApiServer.start();
    client = new ApiClient({ server: server.url, token: 's3cret' }, { userAgent: 'k8ts-test' });
  });
  after(async () => {
    await client.close();
    await server.close();
  });

  it('creates, gets, lists with selectors and paging, updates, patches and deletes', async () => {
    const created = await client.create(Resources.pods, pod('a', { app: 'web' }), { fieldManager: 'test' });
    assert.equal(created.metadata.name, 'a');
    assert.ok(created.metadata.uid);
    await client.create(Resources.pods, pod('b', { app: 'db' }));
    await client.create(Resources.pods, pod('c', { app: 'web' }));

    const createReq = server.requests.find((r) => r.method === 'POST')!;
    assert.equal(createReq.path, '/api/v1/namespaces/default/pods');
    assert.equal(createReq.query.fieldManager, 'test');
    assert.equal(createReq.headers.authorization, 'Bearer s3cret');
    assert.equal(createReq.headers['user-agent'], 'k8ts-test');
    assert.equal(createReq.headers['content-type'], 'application/json');

    const got = await client.get(Resources.pods, 'default', 'a');
    assert.equal(got.metadata.uid, created.metadata.uid);

    const web = await client.list(Resources.pods, { namespace: 'default', labelSelector: 'app=web' });
    assert.deepEqual(web.items.map((p) => p.metadata.name), ['a', 'c']);

    const page1 = await client.list(Resources.pods, { limit: 2 });
    assert.equal(page1.items.length, 2);
    assert.ok(page1.metadata.continue);
    const page2 = await client.list(Resources.pods, { limit: 2, continue: page1.metadata.continue });
    assert.deepEqual(page2.items.map((p) => p.metadata.name), ['c']);
    assert.equal(page2.metadata.continue, undefined);

    const updated = await client.update(Resources.pods, { ...got, spec: { ...got.spec, nodeName: 'n1' } });
    assert.equal(updated.spec.nodeName, 'n1');
    assert.notEqual(updated.metadata.resourceVersion, got.metadata.resourceVersion);

    const withStatus = await client.updateStatus(Resources.pods, { ...updated, status: { phase: 'Running' } });
    assert.equal(withStatus.status.phase, 'Running');
    assert.equal(server.requests.at(-1)!.path, '/api/v1/namespaces/default/pods/a/status');

    const patched = await client.patch(Resources.pods, 'default', 'a', { metadata: { labels: { app: null, x: 'y' } } }, 'merge');
    assert.deepEqual(patched.metadata.labels, { x: 'y' });
    assert.equal(server.requests.at(-1)!.headers['content-type'], 'application/merge-patch+json');
    await client.patch(Resources.pods, 'default', 'a', { metadata: { labels: { z: '1' } } }, 'strategic');
    assert.equal(server.requests.at(-1)!.headers['content-type'], 'application/strategic-merge-patch+json');

    const deleted = await client.delete(Resources.pods, 'default', 'b', { propagationPolicy: 'Background' });
    assert.equal((deleted as KubeObject).metadata.name, 'b');
    const delReq = server.requests.at(-1)!;
    assert.equal(delReq.method, 'DELETE');
    await assert.rejects(client.get(Resources.pods, 'default', 'b'), (e) => isNotFound(e));
  });

  it('turns Status error bodies into StatusError with the server reason and code', async () => {
    await assert.rejects(client.get(Resources.pods, 'default', 'missing'), (e: unknown) => {
      expectStatus(404, 'NotFound', 'K8TS_ERR_NOT_FOUND')(e);
      assert.equal((e as StatusError).message, 'pods "missing" not found');
      assert.equal((e as StatusError).status.details?.name, 'missing');
      return true;
    });
    await client.create(Resources.configmaps, { metadata: { name: 'cm', namespace: 'default' }, data: { a: '1' } });
    await assert.rejects(client.create(Resources.configmaps, { metadata: { name: 'cm', namespace: 'default' } }),
      (e) => expectStatus(409, 'AlreadyExists', 'K8TS_ERR_ALREADY_EXISTS')(e) && isAlreadyExists(e));
    await assert.rejects(
      client.update(Resources.configmaps, { metadata: { name: 'cm', namespace: 'default', resourceVersion: '1' }, data: {} }),
      (e) => expectStatus(409, 'Conflict', 'K8TS_ERR_CONFLICT')(e) && isConflict(e));
    await assert.rejects(client.patch(Resources.configmaps, 'default', 'cm', [{ op: 'remove', path: '/data' }], 'json'),
      expectStatus(415, 'UnsupportedMediaType'));
  });

  it('keeps a custom Status (details, causes) verbatim', async () => {
    const status = {
      kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Invalid', code: 422,
      message: 'Pod "x" is invalid: spec.containers: Required value',
      details: { name: 'x', kind: 'Pod', causes: [{ reason: 'FieldValueRequired', field: 'spec.containers', message: 'Required value' }] },
    };
    const off = server.intercept((r) => (r.method === 'POST' ? { status: 422, body: status } : undefined), 1);
    await assert.rejects(client.create(Resources.pods, pod('x')), (e: unknown) => {
      expectStatus(422, 'Invalid', 'K8TS_ERR_INVALID')(e);
      assert.deepEqual((e as StatusError).status, status);
      return true;
    });
    off();
  });

  it('synthesizes a Status when the error body is not one', async () => {
    server.intercept((r) => (r.path.endsWith('/teapot') ? { status: 503, body: 'upstream down', contentType: 'text/plain' } : undefined), 1);
    await assert.rejects(client.get(Resources.pods, 'default', 'teapot'), (e: unknown) => {
      expectStatus(503, 'ServiceUnavailable', 'K8TS_ERR_UNAVAILABLE')(e);
      assert.match((e as StatusError).message, /status code 503: upstream down/);
      return true;
    });
    server.intercept((r) => (r.path.endsWith('/weird') ? { status: 418, body: '' } : undefined), 1);
    await assert.rejects(client.get(Resources.pods, 'default', 'weird'), (e: unknown) => {
      assert.ok(isStatusError(e));
      assert.equal(e.status.code, 418);
      assert.equal(e.code, 'K8TS_ERR_HTTP_418');
      return true;
    });
  });

  it('rejects namespaced writes without a namespace before sending anything', async () => {
    const before = server.requests.length;
    await assert.rejects(client.create(Resources.pods, { metadata: { name: 'no-ns' } }), expectStatus(400, 'BadRequest'));
    assert.equal(server.requests.length, before);
  });

  it('maps connection failures to 503 ServiceUnavailable', async () => {
    const port = await new Promise<number>((resolve) => {
      const s = createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as { port: number }).port;
        s.close(() => resolve(p));
      });
    });
    const dead = new ApiClient({ server: `http://127.0.0.1:${port}` });
    try {
      await assert.rejects(dead.list(Resources.pods), expectStatus(503, 'ServiceUnavailable', 'K8TS_ERR_UNAVAILABLE'));
      const it = dead.watch(Resources.pods)[Symbol.asyncIterator]();
      await assert.rejects(it.next(), expectStatus(503, 'ServiceUnavailable'));
    } finally {
      await dead.close();
    }
  });

  it('watches: initial ADDED, live events, a normal end, and a 410 as HTTP error', async () => {
    const ns = 'watch-ns';
    await client.create(Resources.pods, { metadata: { name: 'w1', namespace: ns } });
    const seen: WatchEvent[] = [];
    const startCount = server.watchCount;
    const consume = (async () => {
      for await (const ev of client.watch(Resources.pods, { namespace: ns, allowWatchBookmarks: true, timeoutSeconds: 30 })) {
        seen.push(ev);
        if (seen.length === 3) server.closeWatches();
      }
    })();
    await server.waitForWatches(startCount + 1);
    await client.create(Resources.pods, { metadata: { name: 'w2', namespace: ns } });
    server.bookmark();
    await consume;
    assert.deepEqual(seen.map((e) => `${e.type}:${e.object.metadata.name ?? ''}`), ['ADDED:w1', 'ADDED:w2', 'BOOKMARK:']);
    const req = server.requests.filter((r) => r.query.watch === 'true').at(-1)!;
    assert.equal(req.path, `/api/v1/namespaces/${ns}/pods`);
    assert.equal(req.query.allowWatchBookmarks, 'true');
    assert.equal(req.query.timeoutSeconds, '30');

    server.compact();
    server.expiredAs = 'http';
    try {
      const iter = client.watch(Resources.pods, { namespace: ns, resourceVersion: '1' })[Symbol.asyncIterator]();
      await assert.rejects(iter.next(), expectStatus(410, 'Expired', 'K8TS_ERR_EXPIRED'));
    } finally {
      server.expiredAs = 'event';
    }
    const events: WatchEvent[] = [];
    for await (const ev of client.watch(Resources.pods, { namespace: ns, resourceVersion: '1' })) events.push(ev);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.type, 'ERROR');
    assert.equal(events[0]!.object.code, 410);
  });

  it('ends a watch quietly when its signal aborts, and closes the stream on break', async () => {
    const ac = new AbortController();
    const startCount = server.watchCount;
    const done = (async () => {
      const got: string[] = [];
      for await (const ev of client.watch(Resources.pods, { namespace: 'abort-ns' }, ac.signal)) got.push(ev.type);
      return got;
    })();
    await server.waitForWatches(startCount + 1);
    ac.abort();
    assert.deepEqual(await done, []);

    await client.create(Resources.pods, { metadata: { name: 'b1', namespace: 'break-ns' } });
    for await (const ev of client.watch(Resources.pods, { namespace: 'break-ns' })) {
      assert.equal(ev.type, 'ADDED');
      break;
    }
    // Both streams are gone from the server once their sockets close.
    for (let i = 0; i < 200 && server.openWatchCount() > 0; i++) await new Promise((r) => setTimeout(r, 5));
    assert.equal(server.openWatchCount(), 0);
  });

  it('posts to subresources (binding)', async () => {
    server.intercept((r) => (r.method === 'POST' && r.path.endsWith('/binding') ? { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } } : undefined), 1);
    const res = await client.createSubresource<{ status: string }>(Resources.pods, 'default', 'a', 'binding',
      { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'a' }, target: { kind: 'Node', name: 'n1' } });
    assert.equal(res.status, 'Success');
    assert.equal(server.requests.at(-1)!.path, '/api/v1/namespaces/default/pods/a/binding');
  });

  it('raw request returns parsed JSON or text', async () => {
    server.intercept((r) => (r.path === '/version' ? { status: 200, body: { gitVersion: 'v1.31.0' } } : undefined), 1);
    assert.deepEqual(await client.request('GET', '/version'), { gitVersion: 'v1.31.0' });
    server.intercept((r) => (r.path === '/logs' ? { status: 200, body: 'line1\n', contentType: 'text/plain' } : undefined), 1);
    assert.equal(await client.request('GET', '/logs', undefined, { query: { follow: false } }), 'line1\n');
    assert.equal(server.requests.at(-1)!.query.follow, 'false');
  });

  it('sends a burst of requests over at most maxConnections connections; watches do not take them', async () => {
    const { createServer: createHttpServer } = await import('node:http');
    let connections = 0;
    const http = createHttpServer((req, res) => {
      if (req.url!.includes('watch=true')) { res.writeHead(200, { 'content-type': 'application/json' }); res.write(''); return; } // held open
      setTimeout(() => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"kind":"Status"}'); }, 20);
    });
    http.on('connection', () => { connections++; });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const port = (http.address() as { port: number }).port;
    const c = new ApiClient({ server: `http://127.0.0.1:${port}` }, { maxConnections: 3 });
    const abort = new AbortController();
    try {
      const watches = Array.from({ length: 4 }, () => c.watch(Resources.pods, {}, abort.signal)[Symbol.asyncIterator]().next());
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(connections, 4, 'one connection per watch');
      const answers = await Promise.all(Array.from({ length: 12 }, () => c.request('GET', '/api/v1/namespaces')));
      assert.equal(answers.length, 12);
      assert.equal(connections, 4 + 3, 'twelve requests over three connections');
      abort.abort();
      await Promise.all(watches);
    } finally {
      await c.close();
      await new Promise<void>((r) => { http.closeAllConnections(); http.close(() => r()); });
    }
  });
});
