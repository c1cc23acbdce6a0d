// The same engine for core/v1 ReplicationControllers: the seed notes' rc-definition.yml
// (no selector: the apiserver defaults it to the template labels, a plain map), pods owned
// with kind ReplicationController, events from `replication-controller`, scale through /scale.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parse } from 'yaml';
import { Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { seedManifests } from '@k8ts/apiserver/kinds/testing/seed-manifests';
import { eventually } from '../../testing/poll.js';
import { runControllersForTest, type ControllerHarness } from '../../testing/controller-harness.js';
import { activePods, eventsFor } from '../../testing/fixtures.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './replica-kind.js';

let t: TestApiServer;
let h: ControllerHarness;

before(async () => {
  t = await startTestApiServer();
  h = runControllersForTest(t.api.url, (ctx) => [REPLICA_SET, REPLICATION_CONTROLLER].map((kind) => new ReplicaSetController({
    kind, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(kind.component),
  })));
});
after(async () => {
  await h?.stop();
  await t?.stop();
});

const seed = (source: string): KubeObject => parse(seedManifests.find((m) => m.source === source)!.yaml) as KubeObject;

describe('replicationcontroller controller', () => {
  it('runs the seed rc-definition.yml: 3 pods myapp-rc-xxxxx with the template labels', async () => {
    const c = h.client;
    const rc = await c.create(Resources.replicationcontrollers, seed('001 rc-definition.yml'), { namespace: 'default' });
    assert.deepEqual(rc.spec.selector, { app: 'myapp', type: 'front-end' });
    const pods = await eventually(async () => {
      const p = (await activePods(c, 'default', 'type=front-end')).filter((x) => x.metadata.ownerReferences?.[0]?.kind === 'ReplicationController');
      return p.length === 3 ? p : undefined;
    }, '3 pods');
    for (const p of pods) {
      assert.match(p.metadata.name!, /^myapp-rc-[a-z0-9]{5}$/);
      assert.deepEqual(p.metadata.labels, { app: 'myapp', type: 'front-end' });
      assert.deepEqual(p.metadata.ownerReferences, [{ apiVersion: 'v1', kind: 'ReplicationController', name: 'myapp-rc', uid: rc.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    }
    await eventually(async () => (await c.get(Resources.replicationcontrollers, 'default', 'myapp-rc')).status?.replicas === 3, 'status 3');
    const ev = await eventually(async () => (await eventsFor(c, 'default', 'myapp-rc')).find((e) => e.reason === 'SuccessfulCreate'), 'event');
    assert.equal(ev.source.component, 'replication-controller');
    assert.equal(ev.involvedObject.kind, 'ReplicationController');

    // kubectl scale --replicas=5 replicationcontroller myapp-rc
    await c.patch(Resources.replicationcontrollers, 'default', 'myapp-rc', { spec: { replicas: 5 } }, 'merge', 'scale');
    await eventually(async () => (await activePods(c, 'default', 'app=myapp')).length === 5, '5 pods');
    await c.patch(Resources.replicationcontrollers, 'default', 'myapp-rc', { spec: { replicas: 1 } }, 'merge', 'scale');
    await eventually(async () => (await activePods(c, 'default', 'app=myapp')).length === 1, '1 pod');
  });

  it('a ReplicaSet and a ReplicationController with different selectors in one namespace leave each other alone', async () => {
    const c = h.client;
    await c.create(Resources.replicasets, seed('001 replicaset-definition.yml'), { namespace: 'kube-public' });
    const rc = seed('001 rc-definition.yml');
    rc.spec.template.metadata.labels = { app: 'legacy' };
    rc.metadata.labels = { app: 'legacy' };
    await c.create(Resources.replicationcontrollers, rc, { namespace: 'kube-public' });
    await eventually(async () => (await activePods(c, 'kube-public', 'type=front-end')).length === 3 && (await activePods(c, 'kube-public', 'app=legacy')).length === 3, '3 + 3 pods');
    const kinds = (await activePods(c, 'kube-public', '')).map((p) => `${p.metadata.labels!.app}:${p.metadata.ownerReferences![0]!.kind}`).sort();
    assert.deepEqual(kinds, ['legacy:ReplicationController', 'legacy:ReplicationController', 'legacy:ReplicationController', 'myapp:ReplicaSet', 'myapp:ReplicaSet', 'myapp:ReplicaSet']);
  });
});
