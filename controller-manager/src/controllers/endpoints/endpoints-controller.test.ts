// The endpoints controller against the real apiserver: ready / not-ready pods, named and
// multiple ports, readiness and selector changes, pod and service deletion, no-op syncs.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound, Resources, type KubeObject, type WatchEvent } from '@k8ts/shared';
import { eventually } from '../../testing/poll.js';
import { createPodWithStatus, ensureNamespace, readyStatus, startTestCluster, type TestCluster } from '../../testing/cluster.js';

let c: TestCluster;
const NS = 'ep';

before(async () => {
  c = await startTestCluster(['endpoint']);
  await ensureNamespace(c.client, NS);
});
after(async () => { await c?.stop(); });

const getEp = async (name: string): Promise<KubeObject | undefined> => {
  try { return await c.client.get(Resources.endpoints, NS, name); } catch (e) { if (isNotFound(e)) return undefined; throw e; }
};
const ips = (ep: KubeObject | undefined, field: 'addresses' | 'notReadyAddresses'): string[] =>
  (ep?.subsets ?? []).flatMap((s: any) => (s[field] ?? []).map((a: any) => a.ip)).sort();

function podSpec(name: string, labels: Record<string, string>, ports: unknown[] = []): KubeObject {
  return { metadata: { name, namespace: NS, labels }, spec: { nodeName: 'node-a', containers: [{ name: 'c', image: 'nginx', ports }] } };
}

describe('endpoints controller', () => {
  it('lists ready and not-ready pods with resolved named and numeric ports', async () => {
    await c.client.create(Resources.services, {
      metadata: { name: 'web', namespace: NS, labels: { tier: 'front' } },
      spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }, { name: 'metrics', port: 9090, targetPort: 9100 }] },
    });
    const empty = await eventually(() => getEp('web'), 'empty endpoints created');
    assert.deepEqual(empty.subsets ?? [], []);
    assert.equal(empty.metadata.labels?.tier, 'front');

    await createPodWithStatus(c.client, podSpec('a', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]), readyStatus('10.244.0.10'));
    await createPodWithStatus(c.client, podSpec('b', { app: 'web' }, [{ name: 'http', containerPort: 8080 }]), readyStatus('10.244.0.11', false));
    await createPodWithStatus(c.client, podSpec('c', { app: 'web' }, [{ name: 'other', containerPort: 7000 }]), readyStatus('10.244.0.12'));
    await createPodWithStatus(c.client, podSpec('noip', { app: 'web' }));
    await createPodWithStatus(c.client, podSpec('unrelated', { app: 'db' }), readyStatus('10.244.0.13'));

    const ep = await eventually(async () => {
      const e = await getEp('web');
      return ips(e, 'addresses').length === 2 && ips(e, 'notReadyAddresses').length === 1 ? e : undefined;
    }, 'endpoints list a, c ready and b not ready');
    assert.deepEqual(ips(ep, 'addresses'), ['10.244.0.10', '10.244.0.12']);
    assert.deepEqual(ips(ep, 'notReadyAddresses'), ['10.244.0.11']);
    // a and b share {http:8080, metrics:9100}; c lacks the named port → only metrics
    assert.equal(ep.subsets.length, 2);
    const full = ep.subsets.find((s: any) => s.ports.length === 2);
    assert.deepEqual(full.ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9100, protocol: 'TCP' }]);
    assert.deepEqual(full.addresses.map((a: any) => a.ip), ['10.244.0.10']);
    assert.deepEqual(full.notReadyAddresses.map((a: any) => a.ip), ['10.244.0.11']);
    const a = full.addresses[0];
    assert.equal(a.nodeName, 'node-a');
    assert.equal(a.targetRef.kind, 'Pod');
    assert.equal(a.targetRef.name, 'a');
    assert.equal(a.targetRef.namespace, NS);
    assert.ok(a.targetRef.uid);
    const partial = ep.subsets.find((s: any) => s.ports.length === 1);
    assert.deepEqual(partial.ports, [{ name: 'metrics', port: 9100, protocol: 'TCP' }]);
    assert.deepEqual(partial.addresses.map((x: any) => x.ip), ['10.244.0.12']);
  });

  it('does not write when nothing changed, and follows readiness', async () => {
    const before = (await getEp('web'))!;
    const ac = new AbortController();
    const events: WatchEvent[] = [];
    const watching = (async () => {
      try {
        for await (const ev of c.client.watch(Resources.endpoints, { namespace: NS, fieldSelector: 'metadata.name=web', resourceVersion: before.metadata.resourceVersion }, ac.signal)) events.push(ev);
      } catch { /* aborted */ }
    })();
    // irrelevant change to a selected pod first, then a relevant one
    await c.client.patch(Resources.pods, NS, 'a', { metadata: { annotations: { note: 'irrelevant' } } }, 'merge');
    const b = await c.client.get(Resources.pods, NS, 'b');
    await c.client.updateStatus(Resources.pods, { ...b, status: { ...b.status, ...readyStatus('10.244.0.11') } });
    await eventually(async () => ips(await getEp('web'), 'addresses').includes('10.244.0.11'), 'b becomes a ready address');
    await eventually(() => events.filter((e) => e.type === 'MODIFIED').length >= 1, 'the watch saw the write');
    ac.abort();
    await watching;
    assert.equal(events.filter((e) => e.type === 'MODIFIED').length, 1, 'exactly one write for one relevant change');
    assert.deepEqual(ips(await getEp('web'), 'notReadyAddresses'), []);
  });

  it('drops deleted and terminating pods', async () => {
    await c.client.delete(Resources.pods, NS, 'a'); // bound: graceful → terminating (no kubelet here)
    await eventually(async () => !ips(await getEp('web'), 'addresses').includes('10.244.0.10'), 'a leaves the endpoints');
    await c.client.delete(Resources.pods, NS, 'c', { gracePeriodSeconds: 0 });
    await eventually(async () => !ips(await getEp('web'), 'addresses').includes('10.244.0.12'), 'c leaves the endpoints');
    assert.deepEqual(ips(await getEp('web'), 'addresses'), ['10.244.0.11']);
  });

  it('follows selector changes and publishNotReadyAddresses', async () => {
    const svc = await c.client.get(Resources.services, NS, 'web');
    await c.client.update(Resources.services, { ...svc, spec: { ...svc.spec, selector: { app: 'db' }, publishNotReadyAddresses: true } });
    await eventually(async () => {
      const e = await getEp('web');
      return ips(e, 'addresses').join() === '10.244.0.13';
    }, 'endpoints follow the new selector');
    await createPodWithStatus(c.client, podSpec('db2', { app: 'db' }), readyStatus('10.244.0.14', false));
    await eventually(async () => ips(await getEp('web'), 'addresses').includes('10.244.0.14'), 'not-ready pod published as ready address');
  });

  it('leaves Endpoints of selector-less services alone and deletes Endpoints with their service', async () => {
    await c.client.create(Resources.services, { metadata: { name: 'manual', namespace: NS }, spec: { ports: [{ port: 5432 }] } });
    await c.client.create(Resources.endpoints, {
      metadata: { name: 'manual', namespace: NS }, subsets: [{ addresses: [{ ip: '192.0.2.1' }], ports: [{ port: 5432 }] }],
    });
    await c.client.delete(Resources.services, NS, 'web');
    await eventually(async () => (await getEp('web')) === undefined, 'endpoints deleted with the service');
    const manual = await getEp('manual');
    assert.deepEqual(ips(manual, 'addresses'), ['192.0.2.1']);
  });

  it('deletes Endpoints left without a Service while it was not running (upstream checkLeftoverEndpoints)', async () => {
    await c.stopControllers();
    await c.client.create(Resources.endpoints, { metadata: { name: 'leftover', namespace: NS }, subsets: [] });
    await c.restartControllers();
    await eventually(async () => (await getEp('leftover')) === undefined, 'leftover endpoints deleted');
    assert.ok(await getEp('manual'), 'endpoints of a selector-less service stay');
  });
});
