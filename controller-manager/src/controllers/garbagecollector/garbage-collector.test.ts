// The garbage collector with the ReplicaSet controller, against the real apiserver and etcd:
// background, foreground and orphan deletion of a ReplicaSet's pods, dependents with several
// owners, cluster-scoped owners, and owners of kinds the apiserver does not serve.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound, Resources, type ApiClient, type KubeObject, type OwnerReference, type ResourceRef } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { runControllersForTest, type ControllerHarness } from '../../testing/controller-harness.js';
import { activePods, createNamespace, replicaSet } from '../../testing/fixtures.js';
import { ReplicaSetController } from '../replicaset/replica-set-controller.js';
import { REPLICA_SET } from '../replicaset/replica-kind.js';
import { GarbageCollector } from './garbage-collector.js';

let t: TestApiServer;
let h: ControllerHarness;

before(async () => {
  t = await startTestApiServer();
  h = runControllersForTest(t.api.url, (ctx) => [
    new ReplicaSetController({ kind: REPLICA_SET, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('replicaset-controller') }),
    new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger, workers: 4 }),
  ]);
});
after(async () => {
  await h?.stop();
  await t?.stop();
});

async function gone(c: ApiClient, ref: ResourceRef, ns: string | undefined, name: string): Promise<boolean> {
  try {
    await c.get(ref, ns, name);
    return false;
  } catch (e) {
    if (isNotFound(e)) return true;
    throw e;
  }
}

async function rsWithPods(ns: string, name: string, n: number): Promise<{ rs: KubeObject; pods: KubeObject[] }> {
  const c = h.client;
  await createNamespace(c, ns);
  const rs = await c.create(Resources.replicasets, replicaSet(ns, name, n));
  const pods = await eventually(async () => {
    const p = await activePods(c, ns, `app=${name}`);
    return p.length === n ? p : undefined;
  }, `${n} pods`);
  return { rs, pods };
}

const ownerRef = (o: KubeObject, kind: string, apiVersion = 'v1', block = false): OwnerReference =>
  ({ apiVersion, kind, name: o.metadata.name!, uid: o.metadata.uid!, ...(block ? { blockOwnerDeletion: true } : {}) });

describe('garbage collector', () => {
  it('background: deleting a ReplicaSet deletes its pods', async () => {
    const c = h.client;
    const { pods } = await rsWithPods('gc-bg', 'web', 3);
    await c.delete(Resources.replicasets, 'gc-bg', 'web', { propagationPolicy: 'Background' });
    await eventually(async () => (await c.list(Resources.pods, { namespace: 'gc-bg' })).items.length === 0, 'pods deleted');
    for (const p of pods) assert.ok(await gone(c, Resources.pods, 'gc-bg', p.metadata.name!));
  });

  it('orphan: the pods stay, without their ownerReference; the ReplicaSet goes', async () => {
    const c = h.client;
    const { pods } = await rsWithPods('gc-orphan', 'web', 2);
    const res = await c.delete(Resources.replicasets, 'gc-orphan', 'web', { propagationPolicy: 'Orphan' }) as KubeObject;
    assert.deepEqual(res.metadata.finalizers, ['orphan']);
    await eventually(() => gone(c, Resources.replicasets, 'gc-orphan', 'web'), 'ReplicaSet removed');
    const left = await c.list(Resources.pods, { namespace: 'gc-orphan' });
    assert.deepEqual(left.items.map((p) => p.metadata.name).sort(), pods.map((p) => p.metadata.name).sort());
    for (const p of left.items) {
      assert.equal(p.metadata.deletionTimestamp, undefined);
      assert.deepEqual(p.metadata.ownerReferences ?? [], []);
    }
  });

  it('foreground: the ReplicaSet waits (foregroundDeletion) until its pods are gone, then goes', async () => {
    const c = h.client;
    await rsWithPods('gc-fg', 'web', 3);
    // a pod with a finalizer holds the owner's deletion until the finalizer is removed
    const pods = await activePods(c, 'gc-fg', 'app=web');
    const held = pods[0]!.metadata.name!;
    await c.patch(Resources.pods, 'gc-fg', held, { metadata: { finalizers: ['example.com/hold'] } }, 'merge');
    const res = await c.delete(Resources.replicasets, 'gc-fg', 'web', { propagationPolicy: 'Foreground' }) as KubeObject;
    assert.deepEqual(res.metadata.finalizers, ['foregroundDeletion']);
    await eventually(async () => {
      const left = (await c.list(Resources.pods, { namespace: 'gc-fg' })).items;
      return left.length === 1 && left[0]!.metadata.name === held && !!left[0]!.metadata.deletionTimestamp;
    }, 'other pods deleted, the held one terminating');
    const rs = await c.get(Resources.replicasets, 'gc-fg', 'web');
    assert.ok(rs.metadata.deletionTimestamp, 'the ReplicaSet is still there, being deleted');
    assert.deepEqual(rs.metadata.finalizers, ['foregroundDeletion']);
    await c.patch(Resources.pods, 'gc-fg', held, { metadata: { finalizers: null } }, 'merge');
    await eventually(() => gone(c, Resources.replicasets, 'gc-fg', 'web'), 'ReplicaSet removed after its pods');
    assert.equal((await c.list(Resources.pods, { namespace: 'gc-fg' })).items.length, 0);
  });

  it('foreground through two levels: Deployment → ReplicaSet (deleted in Foreground itself) → pods', async () => {
    const c = h.client;
    await createNamespace(c, 'gc-chain');
    // no deployment controller runs here: the Deployment is only an owner
    const d: KubeObject = await c.create(Resources.deployments, {
      metadata: { name: 'app', namespace: 'gc-chain' },
      spec: { replicas: 2, selector: { matchLabels: { app: 'app' } }, template: { metadata: { labels: { app: 'app' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    const rs = replicaSet('gc-chain', 'app-1', 2, { app: 'app' });
    rs.metadata.ownerReferences = [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'app', uid: d.metadata.uid!, controller: true, blockOwnerDeletion: true }];
    await c.create(Resources.replicasets, rs);
    await eventually(async () => (await activePods(c, 'gc-chain', 'app=app')).length === 2, '2 pods');
    await c.delete(Resources.deployments, 'gc-chain', 'app', { propagationPolicy: 'Foreground' });
    await eventually(() => gone(c, Resources.deployments, 'gc-chain', 'app'), 'Deployment removed');
    assert.equal((await c.list(Resources.replicasets, { namespace: 'gc-chain' })).items.length, 0, 'the ReplicaSet went before its owner');
    assert.equal((await c.list(Resources.pods, { namespace: 'gc-chain' })).items.length, 0, 'the pods went before the ReplicaSet');
  });

  it('a dependent with two owners is kept while one remains, and deleted when both are gone', async () => {
    const c = h.client;
    await createNamespace(c, 'gc-multi');
    const a: KubeObject = await c.create(Resources.configmaps, { metadata: { name: 'owner-a', namespace: 'gc-multi' } });
    const b: KubeObject = await c.create(Resources.configmaps, { metadata: { name: 'owner-b', namespace: 'gc-multi' } });
    await c.create(Resources.configmaps, { metadata: { name: 'dep', namespace: 'gc-multi', ownerReferences: [ownerRef(a, 'ConfigMap'), ownerRef(b, 'ConfigMap')] } });
    await c.delete(Resources.configmaps, 'gc-multi', 'owner-a');
    const dep = await eventually(async () => {
      const d = await c.get(Resources.configmaps, 'gc-multi', 'dep');
      return d.metadata.ownerReferences?.length === 1 ? d : undefined;
    }, 'the reference to the absent owner removed');
    assert.equal(dep.metadata.ownerReferences![0]!.uid, b.metadata.uid);
    await c.delete(Resources.configmaps, 'gc-multi', 'owner-b');
    await eventually(() => gone(c, Resources.configmaps, 'gc-multi', 'dep'), 'dependent deleted');
  });

  it('deletes dependents of an absent owner (stale uid), keeps those of a live one and of kinds it cannot resolve', async () => {
    const c = h.client;
    await createNamespace(c, 'gc-stale');
    const live = await c.create(Resources.configmaps, { metadata: { name: 'live', namespace: 'gc-stale' } });
    await c.create(Resources.configmaps, { metadata: { name: 'of-live', namespace: 'gc-stale', ownerReferences: [ownerRef(live, 'ConfigMap')] } });
    await c.create(Resources.configmaps, {
      metadata: { name: 'of-unknown-kind', namespace: 'gc-stale', ownerReferences: [{ apiVersion: 'example.com/v1', kind: 'Widget', name: 'w', uid: '7d5e0a3c-0000-4000-8000-000000000001' }] },
    });
    // same name as the live owner, another uid: that owner is gone
    await c.create(Resources.configmaps, {
      metadata: { name: 'of-stale', namespace: 'gc-stale', ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'live', uid: '7d5e0a3c-0000-4000-8000-000000000002' }] },
    });
    await eventually(() => gone(c, Resources.configmaps, 'gc-stale', 'of-stale'), 'dependent of the stale uid deleted');
    await c.get(Resources.configmaps, 'gc-stale', 'of-live');
    await c.get(Resources.configmaps, 'gc-stale', 'of-unknown-kind');
  });

  it('a cluster-scoped owner: deleting a Node deletes a ConfigMap it owns', async () => {
    const c = h.client;
    await createNamespace(c, 'gc-node');
    const node = await c.create(Resources.nodes, { metadata: { name: 'gc-node-1' } });
    await c.create(Resources.configmaps, { metadata: { name: 'node-data', namespace: 'gc-node', ownerReferences: [ownerRef(node, 'Node')] } });
    await c.delete(Resources.nodes, undefined, 'gc-node-1');
    await eventually(() => gone(c, Resources.configmaps, 'gc-node', 'node-data'), 'dependent of the node deleted');
  });
});
