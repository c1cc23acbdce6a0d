// The ReplicaSet controller against the real apiserver and etcd, run in-process: pod
// creation from the template, replacement, extras, scale through /scale, adoption and
// release, status, a terminating owner, and rate-limited retries after FailedCreate.
// There is no kubelet: tests write pods/status themselves to play it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Errors, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { runControllersForTest, type ControllerHarness } from '../../testing/controller-harness.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { REPLICA_SET } from './replica-kind.js';
import { activePods, createNamespace, eventsFor, markReady, replicaSet } from '../../testing/fixtures.js';

let t: TestApiServer;
let h: ControllerHarness;
/** When > 0, that many pod creates by the controller fail with a 403 quota refusal. */
let failCreates = 0;

before(async () => {
  t = await startTestApiServer();
  h = runControllersForTest(t.api.url, (ctx) => {
    // the controller's client refuses pod creates while failCreates > 0 (like a quota admission)
    const client = new Proxy(ctx.client, {
      get(target, prop, receiver) {
        if (prop === 'create') {
          return async (ref: typeof Resources.pods, obj: KubeObject, o?: unknown) => {
            if (ref.plural === 'pods' && failCreates > 0) {
              failCreates--;
              throw Errors.forbidden('pods "x" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2');
            }
            return target.create(ref, obj, o as never);
          };
        }
        const v = Reflect.get(target, prop, receiver);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
    return [new ReplicaSetController({ kind: REPLICA_SET, client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder('replicaset-controller') })];
  });
});
after(async () => {
  await h?.stop();
  await t?.stop();
});

describe('replicaset controller', () => {
  it('creates spec.replicas pods from the template, owned by the ReplicaSet, and reports status', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-create');
    const rs = await c.create(Resources.replicasets, replicaSet('rs-create', 'web', 3));
    const pods = await eventually(async () => {
      const p = await activePods(c, 'rs-create', 'app=web');
      return p.length === 3 ? p : undefined;
    }, '3 pods');
    for (const p of pods) {
      assert.match(p.metadata.name!, /^web-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.labels, { app: 'web', tier: 'fe' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web', uid: rs.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      assert.equal(p.spec.containers[0].image, 'nginx');
    }
    const st = await eventually(async () => {
      const o = await c.get(Resources.replicasets, 'rs-create', 'web');
      return o.status?.replicas === 3 && o.status?.fullyLabeledReplicas === 3 ? o.status : undefined;
    }, 'status replicas 3');
    assert.equal(st.observedGeneration, rs.metadata.generation);
    assert.equal(st.readyReplicas ?? 0, 0);
    const evs = await eventually(async () => {
      const e = (await eventsFor(c, 'rs-create', 'web')).filter((x) => x.reason === 'SuccessfulCreate');
      return e.length === 3 ? e : undefined;
    }, '3 SuccessfulCreate events');
    assert.deepEqual(evs.map((e) => e.message).sort(), pods.map((p) => `Created pod: ${p.metadata.name}`).sort());
    assert.equal(evs[0]!.source.component, 'replicaset-controller');
    assert.equal(evs[0]!.type, 'Normal');
  });

  it('replaces a deleted pod, and deletes a hand-made extra pod with matching labels', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-replace');
    await c.create(Resources.replicasets, replicaSet('rs-replace', 'web', 2));
    const first = await eventually(async () => {
      const p = await activePods(c, 'rs-replace', 'app=web');
      return p.length === 2 ? p : undefined;
    }, '2 pods');
    const victim = first[0]!.metadata.name!;
    await c.delete(Resources.pods, 'rs-replace', victim);
    const second = await eventually(async () => {
      const p = await activePods(c, 'rs-replace', 'app=web');
      return p.length === 2 && !p.some((x) => x.metadata.name === victim) ? p : undefined;
    }, 'a replacement pod');
    assert.ok(second.some((p) => p.metadata.name === first[1]!.metadata.name));

    // a hand-made pod with the same labels: adopted, then deleted as an extra (the running,
    // ready pods rank after a pending one; among equals upstream would pick by age and uid)
    for (const p of second) await markReady(c, 'rs-replace', p.metadata.name!);
    await c.create(Resources.pods, {
      metadata: { name: 'handmade', namespace: 'rs-replace', labels: { app: 'web', tier: 'fe' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await eventually(async () => {
      const p = await activePods(c, 'rs-replace', 'app=web');
      return p.length === 2 && !p.some((x) => x.metadata.name === 'handmade') ? p : undefined;
    }, 'the extra pod deleted');
    assert.deepEqual((await activePods(c, 'rs-replace', 'app=web')).map((p) => p.metadata.name).sort(), second.map((p) => p.metadata.name).sort());
    await eventually(async () => (await eventsFor(c, 'rs-replace', 'web')).some((e) => e.reason === 'SuccessfulDelete' && e.message === 'Deleted pod: handmade'), 'SuccessfulDelete event');
  });

  it('scales up and down through /scale, deleting not-ready pods before ready ones', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-scale');
    await c.create(Resources.replicasets, replicaSet('rs-scale', 'web', 2));
    await eventually(async () => (await activePods(c, 'rs-scale', 'app=web')).length === 2, '2 pods');
    await c.patch(Resources.replicasets, 'rs-scale', 'web', { spec: { replicas: 5 } }, 'merge', 'scale');
    const five = await eventually(async () => {
      const p = await activePods(c, 'rs-scale', 'app=web');
      return p.length === 5 ? p : undefined;
    }, '5 pods');
    // two pods become ready (the kubelet's job; no kubelet here)
    const keep = five.slice(0, 2).map((p) => p.metadata.name!);
    for (const name of keep) await markReady(c, 'rs-scale', name);
    await eventually(async () => (await c.get(Resources.replicasets, 'rs-scale', 'web')).status?.readyReplicas === 2, 'readyReplicas 2');
    await c.patch(Resources.replicasets, 'rs-scale', 'web', { spec: { replicas: 2 } }, 'merge', 'scale');
    const left = await eventually(async () => {
      const p = await activePods(c, 'rs-scale', 'app=web');
      return p.length === 2 ? p : undefined;
    }, 'scaled down to 2');
    assert.deepEqual(left.map((p) => p.metadata.name).sort(), [...keep].sort(), 'the ready pods are kept');
    const st = await eventually(async () => {
      const o = await c.get(Resources.replicasets, 'rs-scale', 'web');
      return o.status?.replicas === 2 && o.metadata.generation === o.status?.observedGeneration ? o.status : undefined;
    }, 'status follows');
    assert.equal(st.readyReplicas, 2);
    assert.equal(st.availableReplicas, 2);
  });

  it('adopts a matching orphan instead of creating, and releases a pod whose labels stop matching', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-adopt');
    await c.create(Resources.pods, {
      metadata: { name: 'orphan', namespace: 'rs-adopt', labels: { app: 'web', tier: 'fe' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    const rs = await c.create(Resources.replicasets, replicaSet('rs-adopt', 'web', 2));
    await eventually(async () => (await activePods(c, 'rs-adopt', 'app=web')).length === 2, '2 pods');
    const orphan = await eventually(async () => {
      const p = await c.get(Resources.pods, 'rs-adopt', 'orphan');
      return p.metadata.ownerReferences?.[0]?.uid === rs.metadata.uid ? p : undefined;
    }, 'orphan adopted');
    assert.equal(orphan.metadata.ownerReferences![0]!.controller, true);
    await eventually(async () => (await c.get(Resources.replicasets, 'rs-adopt', 'web')).status?.replicas === 2, 'status 2');
    assert.equal((await activePods(c, 'rs-adopt', 'app=web')).length, 2, 'no pod was created for the adopted one');

    // the label change releases it; a replacement is created
    await c.patch(Resources.pods, 'rs-adopt', 'orphan', { metadata: { labels: { app: 'debug' } } }, 'merge');
    const released = await eventually(async () => {
      const p = await c.get(Resources.pods, 'rs-adopt', 'orphan');
      return !(p.metadata.ownerReferences ?? []).length ? p : undefined;
    }, 'pod released');
    assert.equal(released.metadata.labels!.app, 'debug');
    await eventually(async () => (await activePods(c, 'rs-adopt', 'app=web')).length === 2, 'replacement created');
  });

  it('reports availableReplicas only after minReadySeconds', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-minready');
    await c.create(Resources.replicasets, { ...replicaSet('rs-minready', 'web', 1), spec: { ...replicaSet('rs-minready', 'web', 1).spec, minReadySeconds: 2 } });
    const [pod] = await eventually(async () => {
      const p = await activePods(c, 'rs-minready', 'app=web');
      return p.length === 1 ? p : undefined;
    }, '1 pod');
    await markReady(c, 'rs-minready', pod!.metadata.name!);
    const ready = await eventually(async () => {
      const o = await c.get(Resources.replicasets, 'rs-minready', 'web');
      return o.status?.readyReplicas === 1 ? o : undefined;
    }, 'ready 1');
    // ready just now: not yet available (unless this machine is very slow)
    if ((ready.status.availableReplicas ?? 0) === 0) {
      await eventually(async () => (await c.get(Resources.replicasets, 'rs-minready', 'web')).status?.availableReplicas === 1, 'available after minReadySeconds', { timeoutMs: 20_000 });
    }
  });

  it('does not recreate pods of a ReplicaSet being deleted', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-terminating');
    await c.create(Resources.replicasets, { ...replicaSet('rs-terminating', 'web', 2), metadata: { name: 'web', namespace: 'rs-terminating', finalizers: ['example.com/hold'] } });
    const pods = await eventually(async () => {
      const p = await activePods(c, 'rs-terminating', 'app=web');
      return p.length === 2 ? p : undefined;
    }, '2 pods');
    await c.delete(Resources.replicasets, 'rs-terminating', 'web');
    await c.delete(Resources.pods, 'rs-terminating', pods[0]!.metadata.name!);
    // the controller saw the deletion (status written) and created nothing
    await eventually(async () => (await c.get(Resources.replicasets, 'rs-terminating', 'web')).status?.replicas === 1, 'status replicas 1');
    assert.deepEqual((await activePods(c, 'rs-terminating', 'app=web')).map((p) => p.metadata.name), [pods[1]!.metadata.name]);
    await c.patch(Resources.replicasets, 'rs-terminating', 'web', { metadata: { finalizers: null } }, 'merge');
  });

  it('records FailedCreate and ReplicaFailure on refused creates (quota), retries with backoff, then recovers', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-quota');
    failCreates = 4;
    await c.create(Resources.replicasets, replicaSet('rs-quota', 'web', 2));
    await eventually(async () => (await eventsFor(c, 'rs-quota', 'web')).some((e) => e.reason === 'FailedCreate' && e.type === 'Warning' && /exceeded quota/.test(e.message)), 'FailedCreate event');
    await eventually(async () => (await activePods(c, 'rs-quota', 'app=web')).length === 2, 'pods created once creates succeed');
    const st = await eventually(async () => {
      const o = await c.get(Resources.replicasets, 'rs-quota', 'web');
      return o.status?.replicas === 2 && !(o.status.conditions ?? []).length ? o.status : undefined;
    }, 'ReplicaFailure cleared');
    assert.equal(st.replicas, 2);
    assert.equal(failCreates, 0);
  });

  it('sets the ReplicaFailure condition while creates keep failing', async () => {
    const c = h.client;
    await createNamespace(c, 'rs-failing');
    failCreates = 1_000_000;
    try {
      await c.create(Resources.replicasets, replicaSet('rs-failing', 'web', 1));
      const cond = await eventually(async () => {
        const o = await c.get(Resources.replicasets, 'rs-failing', 'web');
        return (o.status?.conditions ?? []).find((x: { type: string }) => x.type === 'ReplicaFailure');
      }, 'ReplicaFailure condition');
      assert.equal(cond.status, 'True');
      assert.equal(cond.reason, 'FailedCreate');
      assert.match(cond.message, /exceeded quota/);
    } finally {
      failCreates = 0;
    }
    await eventually(async () => (await activePods(c, 'rs-failing', 'app=web')).length === 1, 'recovers', { timeoutMs: 60_000 });
  });
});
