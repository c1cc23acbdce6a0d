// Watch over real HTTP (node:http streaming) against a real apiserver and etcd: initial
// ADDED events, live events flushed one JSON per line, resume from a list's
// resourceVersion, single-object watches, selector enter/leave translation, bookmarks,
// 410 Expired after compaction, stream lifetime (open until timeoutSeconds), Table events.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Etcd3 } from 'etcd3';
import { createLogger } from '@k8ts/shared';
import { startTestEtcd, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { start, type ApiServer } from '../server.js';

let etcd: TestEtcd;
let api: ApiServer;
const open = new Set<Watch>();

before(async () => {
  etcd = await startTestEtcd();
  api = await start({ etcdServers: [etcd.endpoint], insecure: true, securePort: 0, bindAddress: '127.0.0.1', waitForBootstrap: true, logger: createLogger('test', 'silent') });
});
after(async () => {
  for (const w of open) w.close();
  await api?.close();
  await etcd?.stop();
});

interface WatchEvent { type: string; object: any }

/** A streaming watch request: events parsed line by line as they arrive. */
class Watch {
  events: WatchEvent[] = [];
  /** raw chunks as received (to check line framing) */
  chunks: string[] = [];
  statusCode = 0;
  headers: http.IncomingHttpHeaders = {};
  body = '';
  ended = false;
  readonly done: Promise<void>;
  readonly responded: Promise<void>;
  private req: http.ClientRequest;
  private waiters: Array<() => void> = [];

  constructor(path: string, headers: Record<string, string> = {}) {
    open.add(this);
    let onResponse!: () => void;
    let onDone!: () => void;
    this.responded = new Promise((r) => { onResponse = r; });
    this.done = new Promise((r) => { onDone = r; });
    const finish = () => { if (!this.ended) { this.ended = true; open.delete(this); onResponse(); onDone(); this.wake(); } };
    this.req = http.get(`${api.url}${path}`, { headers, agent: false }, (res) => {
      this.statusCode = res.statusCode ?? 0;
      this.headers = res.headers;
      onResponse();
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        this.chunks.push(chunk);
        this.body += chunk;
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, i);
          buf = buf.slice(i + 1);
          if (line.trim()) this.events.push(JSON.parse(line));
        }
        this.wake();
      });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    this.req.on('error', finish);
  }

  private wake(): void { for (const w of this.waiters.splice(0)) w(); }

  /** Resolves with the events once pred holds (fails after ms). */
  async waitFor(pred: (evs: WatchEvent[]) => boolean, what: string, ms = 10_000): Promise<WatchEvent[]> {
    const deadline = Date.now() + ms;
    while (!pred(this.events)) {
      if (this.ended) assert.fail(`watch ended before ${what}; got ${JSON.stringify(this.events.map((e) => [e.type, e.object?.metadata?.name]))} ${this.body.slice(0, 500)}`);
      const left = deadline - Date.now();
      if (left <= 0) assert.fail(`timed out waiting for ${what}; got ${JSON.stringify(this.events.map((e) => [e.type, e.object?.metadata?.name]))}`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, left);
        this.waiters.push(() => { clearTimeout(t); r(); });
      });
    }
    return this.events;
  }

  /** true if the stream is still open after ms */
  async staysOpen(ms: number): Promise<boolean> {
    let t: NodeJS.Timeout | undefined;
    await Promise.race([this.done, new Promise((r) => { t = setTimeout(r, ms); })]);
    clearTimeout(t);
    return !this.ended;
  }

  close(): void { this.req.destroy(); open.delete(this); }
}

async function req(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  const r = await api.app.inject({ method: method as 'GET', url: path, payload: body === undefined ? undefined : JSON.stringify(body), headers: body === undefined ? {} : { 'content-type': contentType } });
  assert.ok(r.statusCode < 300, `${method} ${path} → ${r.statusCode}: ${r.body}`);
  return JSON.parse(r.body);
}

const NS = '/api/v1/namespaces/default/configmaps';
const cm = (name: string, labels: Record<string, string> = {}, data: Record<string, string> = { a: '1' }) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
const summary = (evs: WatchEvent[]) => evs.map((e) => `${e.type} ${e.object?.metadata?.name ?? ''}`);

describe('watch', () => {
  test('no resourceVersion: ADDED for existing objects, then live events one per line', async () => {
    await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w1' } });
    const P = '/api/v1/namespaces/w1/configmaps';
    await req('POST', P, cm('pre-a'));
    await req('POST', P, cm('pre-b'));
    const w = new Watch('/api/v1/namespaces/w1/configmaps?watch=true');
    await w.responded;
    assert.equal(w.statusCode, 200);
    assert.match(String(w.headers['content-type']), /^application\/json/);
    assert.equal(w.headers['transfer-encoding'], 'chunked');
    await w.waitFor((e) => e.length >= 2, 'initial ADDED events');
    assert.deepEqual(summary(w.events).sort(), ['ADDED pre-a', 'ADDED pre-b']);
    for (const e of w.events) {
      assert.equal(e.object.kind, 'ConfigMap');
      assert.equal(e.object.apiVersion, 'v1');
    }
    // live: each event arrives on its own, before the next write happens (flushed per event)
    await req('POST', P, cm('live'));
    await w.waitFor((e) => e.length >= 3, 'ADDED live');
    assert.deepEqual(summary(w.events.slice(2)), ['ADDED live']);
    const mod = await req('PATCH', `${P}/live`, { data: { a: '2' } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 4, 'MODIFIED live');
    assert.equal(w.events[3]!.type, 'MODIFIED');
    assert.equal(w.events[3]!.object.data.a, '2');
    assert.equal(w.events[3]!.object.metadata.resourceVersion, mod.metadata.resourceVersion);
    await req('DELETE', `${P}/live`);
    await w.waitFor((e) => e.length >= 5, 'DELETED live');
    assert.equal(w.events[4]!.type, 'DELETED');
    assert.equal(w.events[4]!.object.metadata.name, 'live');
    // other namespaces do not leak in
    await req('POST', NS, cm('elsewhere'));
    await req('POST', P, cm('marker'));
    await w.waitFor((e) => e.some((x) => x.object.metadata.name === 'marker'), 'marker');
    assert.ok(!w.events.some((x) => x.object.metadata.name === 'elsewhere'));
    // framing: every line is one complete JSON event
    for (const line of w.body.split('\n').filter(Boolean)) assert.doesNotThrow(() => JSON.parse(line));
    w.close();
  });

  test('resourceVersion=0 also starts with the current state', async () => {
    const w = new Watch('/api/v1/namespaces/w1/configmaps?watch=1&resourceVersion=0');
    await w.waitFor((e) => e.length >= 3, 'initial state');
    assert.ok(w.events.every((e) => e.type === 'ADDED'));
    w.close();
  });

  test('resume from a list resourceVersion: only later changes, none missed', async () => {
    await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w2' } });
    const P = '/api/v1/namespaces/w2/configmaps';
    await req('POST', P, cm('old'));
    const list = await req('GET', P);
    const rv = list.metadata.resourceVersion;
    // changes between the list and the watch must be delivered
    await req('POST', P, cm('between'));
    await req('PATCH', `${P}/old`, { data: { a: 'changed' } }, 'application/merge-patch+json');
    const w = new Watch(`${P}?watch=true&resourceVersion=${rv}`);
    await w.waitFor((e) => e.length >= 2, 'events after the list');
    assert.deepEqual(summary(w.events), ['ADDED between', 'MODIFIED old']);
    await req('DELETE', `${P}/between`);
    await w.waitFor((e) => e.length >= 3, 'DELETED between');
    assert.deepEqual(summary(w.events), ['ADDED between', 'MODIFIED old', 'DELETED between']);
    // resourceVersions are increasing
    const rvs = w.events.map((e) => Number(e.object.metadata.resourceVersion));
    assert.deepEqual([...rvs].sort((a, b) => a - b), rvs);
    assert.ok(rvs[0]! > Number(rv));
    w.close();
  });

  test('the deprecated /watch/ path works as well', async () => {
    const list = await req('GET', '/api/v1/namespaces/w2/configmaps');
    const w = new Watch(`/api/v1/watch/namespaces/w2/configmaps?resourceVersion=${list.metadata.resourceVersion}`);
    await w.responded;
    await req('POST', '/api/v1/namespaces/w2/configmaps', cm('via-path'));
    await w.waitFor((e) => e.length >= 1, 'ADDED via-path');
    assert.deepEqual(summary(w.events), ['ADDED via-path']);
    w.close();
  });

  test('fieldSelector=metadata.name=X: one object, synthetic ADDED first', async () => {
    await req('POST', NS, cm('single'));
    await req('POST', NS, cm('single-other'));
    const w = new Watch(`${NS}?fieldSelector=${encodeURIComponent('metadata.name=single')}&resourceVersion=0&watch=true`);
    await w.waitFor((e) => e.length >= 1, 'ADDED single');
    assert.deepEqual(summary(w.events), ['ADDED single']);
    await req('PATCH', `${NS}/single-other`, { data: { a: 'x' } }, 'application/merge-patch+json');
    await req('PATCH', `${NS}/single`, { data: { a: 'y' } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 2, 'MODIFIED single');
    await req('DELETE', `${NS}/single`);
    await w.waitFor((e) => e.length >= 3, 'DELETED single');
    assert.deepEqual(summary(w.events), ['ADDED single', 'MODIFIED single', 'DELETED single']);
    w.close();
  });

  test('GET on an object with ?watch=true (and the /watch/ item path) watches that object', async () => {
    await req('POST', NS, cm('item-watch'));
    await req('POST', NS, cm('item-other'));
    const a = new Watch(`${NS}/item-watch?watch=true`);
    const b = new Watch('/api/v1/watch/namespaces/default/configmaps/item-watch');
    await a.waitFor((e) => e.length >= 1, 'ADDED item-watch');
    await b.waitFor((e) => e.length >= 1, 'ADDED item-watch (watch path)');
    await req('PATCH', `${NS}/item-other`, { data: { a: 'o' } }, 'application/merge-patch+json');
    await req('PATCH', `${NS}/item-watch`, { data: { a: 'w' } }, 'application/merge-patch+json');
    await a.waitFor((e) => e.length >= 2, 'MODIFIED item-watch');
    await b.waitFor((e) => e.length >= 2, 'MODIFIED item-watch (watch path)');
    for (const w of [a, b]) {
      assert.deepEqual(summary(w.events), ['ADDED item-watch', 'MODIFIED item-watch']);
      w.close();
    }
  });

  test('pods by spec.nodeName (the kubelet\'s watch): a binding makes the pod enter', async () => {
    const P = '/api/v1/namespaces/default/pods';
    const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { containers: [{ name: 'c', image: 'busybox' }] } });
    const w = new Watch(`/api/v1/pods?watch=true&fieldSelector=${encodeURIComponent('spec.nodeName=node-a')}`);
    await w.responded;
    await req('POST', P, pod('to-node-a'));
    await req('POST', P, pod('to-node-b'));
    const bind = (name: string, node: string) => req('POST', `${P}/${name}/binding`, { apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: node } });
    await bind('to-node-b', 'node-b');
    await bind('to-node-a', 'node-a');
    await w.waitFor((e) => e.length >= 1, 'ADDED to-node-a');
    await req('PATCH', `${P}/to-node-a/status`, { status: { phase: 'Running' } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 2, 'MODIFIED to-node-a');
    assert.deepEqual(summary(w.events), ['ADDED to-node-a', 'MODIFIED to-node-a']);
    assert.equal(w.events[0]!.object.spec.nodeName, 'node-a');
    assert.equal(w.events[1]!.object.status.phase, 'Running');
    w.close();
  });

  test('labelSelector: objects entering the selection are ADDED, leaving DELETED', async () => {
    const list = await req('GET', NS);
    const w = new Watch(`${NS}?watch=true&labelSelector=${encodeURIComponent('tier=front')}&resourceVersion=${list.metadata.resourceVersion}`);
    await w.responded;
    await req('POST', NS, cm('sel-x', { tier: 'back' }));
    await req('PATCH', `${NS}/sel-x`, { metadata: { labels: { tier: 'front' } } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 1, 'enter');
    await req('PATCH', `${NS}/sel-x`, { data: { a: 'still-front' } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 2, 'modify inside');
    await req('PATCH', `${NS}/sel-x`, { metadata: { labels: { tier: 'back' } } }, 'application/merge-patch+json');
    await w.waitFor((e) => e.length >= 3, 'leave');
    await req('DELETE', `${NS}/sel-x`);
    await req('POST', NS, cm('sel-end', { tier: 'front' }));
    await w.waitFor((e) => e.length >= 4, 'sel-end');
    assert.deepEqual(summary(w.events), ['ADDED sel-x', 'MODIFIED sel-x', 'DELETED sel-x', 'ADDED sel-end']);
    w.close();
  });

  test('allowWatchBookmarks is accepted; bookmarks (if any) are well-formed', async () => {
    const list = await req('GET', NS);
    const w = new Watch(`${NS}?watch=true&allowWatchBookmarks=true&timeoutSeconds=300&resourceVersion=${list.metadata.resourceVersion}`);
    await w.responded;
    assert.equal(w.statusCode, 200);
    await req('POST', NS, cm('bm'));
    await w.waitFor((e) => e.some((x) => x.type === 'ADDED'), 'ADDED bm');
    for (const e of w.events.filter((x) => x.type === 'BOOKMARK')) {
      assert.equal(e.object.kind, 'ConfigMap');
      assert.match(e.object.metadata.resourceVersion, /^\d+$/);
    }
    w.close();
    // the streaming-list short path: initial events, then a BOOKMARK marking their end
    const s = new Watch(`${NS}?watch=true&sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan`);
    await s.waitFor((e) => e.some((x) => x.type === 'BOOKMARK'), 'initial-events-end BOOKMARK');
    const bm = s.events.find((x) => x.type === 'BOOKMARK')!;
    assert.equal(bm.object.metadata.annotations['k8s.io/initial-events-end'], 'true');
    assert.match(bm.object.metadata.resourceVersion, /^\d+$/);
    const before = s.events.slice(0, s.events.indexOf(bm));
    assert.ok(before.length >= 2 && before.every((x) => x.type === 'ADDED'), summary(before).join(','));
    assert.ok(Number(bm.object.metadata.resourceVersion) >= Math.max(...before.map((x) => Number(x.object.metadata.resourceVersion))));
    s.close();
  });

  test('410 Expired when watching from a compacted revision', async () => {
    const client = new Etcd3({ hosts: etcd.endpoint });
    try {
      // make some history, then compact everything before now
      for (let i = 0; i < 3; i++) await req('POST', NS, cm(`hist-${i}`));
      const rv = (await req('GET', NS)).metadata.resourceVersion;
      await client.kv.compact({ revision: rv, physical: true });
      const w = new Watch(`${NS}?watch=true&resourceVersion=2`);
      await w.done.then(() => undefined);
      await w.responded;
      if (w.statusCode === 410) {
        const s = JSON.parse(w.body);
        assert.equal(s.kind, 'Status');
        assert.equal(s.code, 410);
        assert.equal(s.reason, 'Expired');
      } else {
        assert.equal(w.statusCode, 200, w.body);
        assert.equal(w.events.length, 1, w.body);
        const e = w.events[0]!;
        assert.equal(e.type, 'ERROR');
        assert.equal(e.object.kind, 'Status');
        assert.equal(e.object.code, 410);
        assert.equal(e.object.reason, 'Expired');
        assert.match(e.object.message, /too old resource version/);
      }
      // a list with a compacted continue token is 410 too
      const page = await req('GET', `${NS}?limit=1`);
      assert.ok(page.metadata.continue);
      await req('POST', NS, cm('after-compact'));
      const now = (await req('GET', NS)).metadata.resourceVersion;
      await client.kv.compact({ revision: now, physical: true });
      const r = await api.app.inject({ method: 'GET', url: `${NS}?limit=1&continue=${encodeURIComponent(page.metadata.continue)}` });
      assert.equal(r.statusCode, 410, r.body);
      assert.equal(JSON.parse(r.body).reason, 'Expired');
      // and the server still serves watches from the current state
      const fresh = new Watch(`${NS}?watch=true&resourceVersion=${now}`);
      await fresh.responded;
      await req('POST', NS, cm('post-compact'));
      await fresh.waitFor((e) => e.some((x) => x.object.metadata.name === 'post-compact'), 'ADDED post-compact');
      fresh.close();
    } finally {
      client.close();
    }
  });

  test('an invalid resourceVersion is a 400 Status, not a stream', async () => {
    const w = new Watch(`${NS}?watch=true&resourceVersion=abc`);
    await w.done;
    assert.equal(w.statusCode, 400);
    assert.equal(JSON.parse(w.body).kind, 'Status');
  });

  test('streams stay open without events and end at timeoutSeconds', async () => {
    const rv = (await req('GET', NS)).metadata.resourceVersion;
    const idle = new Watch(`${NS}?watch=true&resourceVersion=${rv}`);
    await idle.responded;
    assert.equal(await idle.staysOpen(2000), true, 'an idle watch stays open');
    const timed = new Watch(`${NS}?watch=true&timeoutSeconds=1&resourceVersion=${rv}`);
    await timed.responded;
    assert.equal(timed.statusCode, 200);
    await timed.done; // would hang (and the test time out) if timeoutSeconds were ignored
    assert.equal(timed.ended, true);
    assert.equal(idle.ended, false);
    idle.close();
  });

  test('Table watch: each event carries a one-row Table', async () => {
    const accept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json';
    const list = await api.app.inject({ method: 'GET', url: NS, headers: { accept } });
    const table = JSON.parse(list.body);
    assert.equal(table.kind, 'Table');
    const w = new Watch(`${NS}?watch=true&resourceVersion=${table.metadata.resourceVersion}`, { accept });
    await w.responded;
    assert.match(String(w.headers['content-type']), /as=Table/);
    await req('POST', NS, cm('tbl-1'));
    await req('POST', NS, cm('tbl-2'));
    await w.waitFor((e) => e.length >= 2, 'two Table events');
    const [first, second] = w.events as [WatchEvent, WatchEvent];
    for (const e of [first, second]) {
      assert.equal(e.type, 'ADDED');
      assert.equal(e.object.kind, 'Table');
      assert.equal(e.object.apiVersion, 'meta.k8s.io/v1');
      assert.equal(e.object.rows.length, 1);
      assert.equal(e.object.rows[0].object.kind, 'PartialObjectMetadata');
    }
    assert.deepEqual(first.object.columnDefinitions.map((c: any) => c.name), ['Name', 'Data', 'Age']);
    assert.equal(first.object.rows[0].cells[0], 'tbl-1');
    assert.equal(second.object.rows[0].cells[0], 'tbl-2');
    assert.ok(!second.object.columnDefinitions?.length, 'column definitions on the first event only');
    w.close();
  });

  test('watch of a single object by name on a cluster-scoped kind', async () => {
    const w = new Watch(`/api/v1/namespaces?fieldSelector=${encodeURIComponent('metadata.name=w-scoped')}&watch=true`);
    await w.responded;
    await req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'w-scoped' } });
    await w.waitFor((e) => e.length >= 1, 'ADDED w-scoped');
    assert.deepEqual(summary(w.events), ['ADDED w-scoped']);
    w.close();
  });

  test('server close ends open watches', async () => {
    // last: a second server on the same etcd, closed while a watch is open
    const other = await start({ etcdServers: [etcd.endpoint], insecure: true, securePort: 0, bindAddress: '127.0.0.1', waitForBootstrap: true, logger: createLogger('test', 'silent') });
    const done = new Promise<number>((resolve) => {
      http.get(`${other.url}${NS}?watch=true`, { agent: false }, (res) => {
        res.resume();
        res.on('close', () => resolve(res.statusCode ?? 0));
      }).on('error', () => resolve(-1));
    });
    await new Promise((r) => setTimeout(r, 200));
    await other.close();
    assert.ok([200, -1].includes(await done));
  });
});
