// etcd goes away under a running apiserver: requests answer 503/504 Status promptly (no
// hang, no crash), health reflects it, and everything works again once etcd is back —
// without restarting the apiserver — with the data written before intact.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
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

interface Res { statusCode: number; body: string; json(): any }

/** A real HTTP request with a client-side deadline: a hang fails the test instead of blocking it. */
function request(method: string, path: string, body?: unknown, limitMs = 10_000, contentType = 'application/json'): Promise<Res> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const r = http.request(`${api.url}${path}`, { method, agent: false, headers: payload ? { 'content-type': contentType, 'content-length': Buffer.byteLength(payload) } : {} }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { data += c; });
      res.on('end', () => { clearTimeout(t); resolve({ statusCode: res.statusCode ?? 0, body: data, json: () => JSON.parse(data) }); });
    });
    const t = setTimeout(() => { r.destroy(); reject(new Error(`${method} ${path} did not answer within ${limitMs} ms`)); }, limitMs);
    r.on('error', (e) => { clearTimeout(t); reject(e); });
    if (payload) r.write(payload);
    r.end();
  });
}

const CM = '/api/v1/namespaces/default/configmaps';
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });

function assertUnavailable(r: Res, what: string): void {
  assert.ok(r.statusCode === 503 || r.statusCode === 504, `${what}: HTTP ${r.statusCode} ${r.body}`);
  const s = r.json();
  assert.equal(s.kind, 'Status');
  assert.equal(s.apiVersion, 'v1');
  assert.equal(s.status, 'Failure');
  assert.equal(s.code, r.statusCode);
  assert.ok(s.reason === 'ServiceUnavailable' || s.reason === 'Timeout', s.reason);
}

test('etcd outage: 503/504 quickly, recovery without a restart, data intact', async () => {
  // data written before the outage
  const before = await request('POST', CM, cm('before'));
  assert.equal(before.statusCode, 201, before.body);
  const dep = await request('POST', '/apis/apps/v1/namespaces/default/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' },
    spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
  });
  assert.equal(dep.statusCode, 201, dep.body);

  // a watch open across the outage
  const rv0 = (await request('GET', CM)).json().metadata.resourceVersion;
  let acrossBody = '';
  let acrossEnded = false;
  const across = http.get(`${api.url}${CM}?watch=true&resourceVersion=${rv0}`, { agent: false }, (res) => {
    res.setEncoding('utf8');
    res.on('data', (c: string) => { acrossBody += c; });
    res.on('close', () => { acrossEnded = true; });
  });
  across.on('error', () => { acrossEnded = true; });
  await new Promise((r) => setTimeout(r, 200));

  await etcd.kill();

  // every kind of request fails fast with a Status; repeat to be sure nothing piles up
  for (let round = 0; round < 2; round++) {
    assertUnavailable(await request('GET', `${CM}/before`), 'get');
    assertUnavailable(await request('GET', CM), 'list');
    assertUnavailable(await request('GET', '/api/v1/pods'), 'cluster-wide list');
    assertUnavailable(await request('POST', CM, cm(`during-${round}`)), 'create');
    assertUnavailable(await request('PATCH', `${CM}/before`, { data: { k: 'x' } }, 10_000, 'application/merge-patch+json'), 'patch');
    assertUnavailable(await request('DELETE', `${CM}/before`), 'delete');
    assertUnavailable(await request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 5 } }, 10_000, 'application/merge-patch+json'), 'scale');
  }
  // a watch from the current state needs etcd too
  const w = await request('GET', `${CM}?watch=true&timeoutSeconds=2`);
  assert.ok(w.statusCode === 503 || w.statusCode === 504 || (w.statusCode === 200 && /"ERROR"/.test(w.body)), `watch: ${w.statusCode} ${w.body}`);

  // the process is up: endpoints that do not need etcd answer, readiness says not ready
  assert.equal((await request('GET', '/healthz')).statusCode, 200);
  assert.equal((await request('GET', '/version')).statusCode, 200);
  assert.equal((await request('GET', '/api/v1')).statusCode, 200);
  // /readyz caches its etcd probe for 1 s
  await new Promise((r) => setTimeout(r, 1100));
  const ready = await request('GET', '/readyz');
  assert.equal(ready.statusCode, 500, ready.body);

  await etcd.restart();

  // the same server recovers (allow the gRPC channel a moment to reconnect)
  let got: Res | undefined;
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    got = await request('GET', `${CM}/before`);
    if (got.statusCode === 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(got?.statusCode, 200, got?.body);
  assert.equal(got!.json().data.k, 'before');
  assert.equal(got!.json().metadata.resourceVersion, before.json().metadata.resourceVersion);

  const list = await request('GET', CM);
  assert.equal(list.statusCode, 200);
  assert.deepEqual(list.json().items.map((i: any) => i.metadata.name), ['before'], 'nothing from the outage was written');
  const d = await request('GET', '/apis/apps/v1/namespaces/default/deployments/web');
  assert.equal(d.json().spec.replicas, 2);

  const after = await request('POST', CM, cm('after'));
  assert.equal(after.statusCode, 201, after.body);
  assert.equal((await request('PATCH', '/apis/apps/v1/namespaces/default/deployments/web/scale', { spec: { replicas: 3 } }, 10_000, 'application/merge-patch+json')).statusCode, 200);

  // watches work again, with live events
  const rv = (await request('GET', CM)).json().metadata.resourceVersion;
  const watched = new Promise<string>((resolve, reject) => {
    const r = http.get(`${api.url}${CM}?watch=true&resourceVersion=${rv}&timeoutSeconds=10`, { agent: false }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => {
        buf += c;
        if (buf.includes('\n')) { r.destroy(); resolve(buf.split('\n')[0]!); }
      });
      res.on('end', () => resolve(buf));
    });
    r.on('error', reject);
  });
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request('POST', CM, cm('watched'))).statusCode, 201);
  const line = JSON.parse(await watched);
  assert.equal(line.type, 'ADDED');
  assert.equal(line.object.metadata.name, 'watched');

  // the watch opened before the outage either carried on (and saw every later change, in
  // order, without duplicates) or ended so that its client re-watches; it never goes silent
  const deadlineAcross = Date.now() + 10_000;
  while (!acrossEnded && !acrossBody.includes('"watched"') && Date.now() < deadlineAcross) await new Promise((r) => setTimeout(r, 50));
  if (!acrossEnded) {
    const evs = acrossBody.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.deepEqual(evs.map((e) => `${e.type} ${e.object.metadata?.name}`), ['ADDED after', 'ADDED watched']);
  }
  across.destroy();

  let readyAgain = 0;
  for (let i = 0; i < 30 && readyAgain !== 200; i++) {
    readyAgain = (await request('GET', '/readyz')).statusCode;
    if (readyAgain !== 200) await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(readyAgain, 200);
});
