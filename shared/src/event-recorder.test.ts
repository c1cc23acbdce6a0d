import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ApiClient } from './client/api-client.js';
import { Resources } from './client/resources.js';
import { EventRecorder } from './event-recorder.js';
import { FakeApiServer } from './testing/fake-api-server.js';

describe('EventRecorder', () => {
  let server: FakeApiServer;
  let client: ApiClient;
  afterEach(async () => { await client.close(); await server.close(); });

  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-1', namespace: 'dev', uid: 'u1', resourceVersion: '5' } };
  const events = () => server.requests.filter((r) => r.path.includes('/events'));

  it('creates an Event, then counts identical repeats on the same Event', async () => {
    server = await FakeApiServer.start();
    client = new ApiClient({ server: server.url });
    const rec = new EventRecorder({ client, source: { component: 'default-scheduler' } });
    rec.record(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available');
    rec.record(pod, 'Warning', 'FailedScheduling', '0/3 nodes are available');
    rec.recordf(pod, 'Normal', 'Scheduled', 'Successfully assigned %s/%s to %s', 'dev', 'web-1', 'n1');
    await rec.close();
    assert.deepEqual(events().map((r) => r.method), ['POST', 'PATCH', 'POST']);
    const list = await client.list(Resources.events, { namespace: 'dev' });
    const failed = list.items.find((e) => e.reason === 'FailedScheduling')!;
    assert.equal(failed.count, 2);
    assert.equal(failed.involvedObject.uid, 'u1');
    assert.equal(failed.source.component, 'default-scheduler');
    assert.match(failed.metadata.name!, /^web-1\.[0-9a-f]+$/);
    const ok = list.items.find((e) => e.reason === 'Scheduled')!;
    assert.equal(ok.message, 'Successfully assigned dev/web-1 to n1');
    assert.equal(ok.type, 'Normal');
  });

  it('never throws when the API fails, and drops events over the per-object burst', async () => {
    server = await FakeApiServer.start();
    client = new ApiClient({ server: server.url });
    server.intercept(() => ({ status: 500, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 500, metadata: {} } }), 1);
    const rec = new EventRecorder({ client, source: { component: 'x' }, burst: 2 });
    for (let i = 0; i < 5; i++) rec.record(pod, 'Normal', 'R', `m${i}`);
    await rec.close();
    assert.equal(events().length, 2);
    const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'n1', uid: 'n' } };
    const rec2 = new EventRecorder({ client, source: { component: 'node-controller' } });
    rec2.record(node, 'Normal', 'RegisteredNode', 'registered');
    await rec2.close();
    const list = await client.list(Resources.events, { namespace: 'default' });
    assert.equal(list.items.length, 1);
  });

  it('defers writes while deferWhile holds (at most maxDeferMs), stamped with the time of record()', async () => {
    server = await FakeApiServer.start();
    client = new ApiClient({ server: server.url });
    let busy = true;
    let clock = Date.parse('2026-01-02T03:04:05Z');
    const rec = new EventRecorder({ client, source: { component: 'kubelet', host: 'n1' }, deferWhile: () => busy, deferPollMs: 10, now: () => new Date(clock) });
    rec.record(pod, 'Normal', 'Started', 'Started container c');
    clock += 60_000;
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(events().length, 0, 'nothing written while busy');
    busy = false;
    for (let i = 0; i < 100 && events().length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(events().length, 1, 'written once no longer busy');
    await rec.close();
    const [ev] = (await client.list(Resources.events, { namespace: 'dev' })).items;
    assert.equal(ev!.firstTimestamp, '2026-01-02T03:04:05Z');
    assert.equal(ev!.lastTimestamp, '2026-01-02T03:04:05Z');

    // bounded: a recorder that is always busy still writes after maxDeferMs; close() stops deferring
    const always = new EventRecorder({ client, source: { component: 'kubelet' }, deferWhile: () => true, maxDeferMs: 50, deferPollMs: 10 });
    always.record(pod, 'Normal', 'Pulled', 'image present');
    for (let i = 0; i < 100 && events().length === 1; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(events().length, 2);
    const closing = new EventRecorder({ client, source: { component: 'kubelet' }, deferWhile: () => true, maxDeferMs: 60_000, deferPollMs: 10 });
    closing.record(pod, 'Normal', 'Killing', 'Stopping container c');
    await closing.close();
    assert.equal(events().length, 3);
    await always.close();
  });
});
