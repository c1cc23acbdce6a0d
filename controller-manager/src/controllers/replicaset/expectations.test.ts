// ControllerExpectations alone (pure), then the ReplicaSet controller with a pod informer
// that lags behind the API: expectations must keep it from creating the same pods twice.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, EventRecorder, InformerFactory, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { GatedListerWatcher } from '../../testing/gated-lister-watcher.js';
import { createNamespace, replicaSet } from '../../testing/fixtures.js';
import { ControllerExpectations, EXPECTATIONS_TIMEOUT_MS } from './expectations.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { REPLICA_SET } from './replica-kind.js';

describe('ControllerExpectations', () => {
  it('is satisfied without a record, and once every create and delete was observed', () => {
    let now = 1_000;
    const e = new ControllerExpectations(() => now);
    assert.equal(e.satisfied('ns/a'), true);
    e.expectCreations('ns/a', 2);
    assert.equal(e.satisfied('ns/a'), false);
    e.creationObserved('ns/a');
    assert.equal(e.satisfied('ns/a'), false);
    e.creationObserved('ns/a');
    assert.equal(e.satisfied('ns/a'), true);

    e.expectDeletions('ns/a', ['ns/p1', 'ns/p2']);
    e.deletionObserved('ns/a', 'ns/p1');
    e.deletionObserved('ns/a', 'ns/p1'); // terminating, then gone: counted once
    e.deletionObserved('ns/a', 'ns/other');
    assert.deepEqual(e.pending('ns/a'), { add: 0, del: 1 });
    assert.equal(e.satisfied('ns/a'), false);
    e.deletionObserved('ns/a', 'ns/p2');
    assert.equal(e.satisfied('ns/a'), true);
  });

  it('expires after 5 minutes, and delete() forgets the owner', () => {
    let now = 0;
    const e = new ControllerExpectations(() => now);
    e.expectCreations('ns/a', 3);
    now += EXPECTATIONS_TIMEOUT_MS;
    assert.equal(e.satisfied('ns/a'), false);
    now += 1;
    assert.equal(e.satisfied('ns/a'), true);
    e.expectCreations('ns/b', 1);
    e.delete('ns/b');
    assert.equal(e.satisfied('ns/b'), true);
    assert.equal(e.pending('ns/b'), undefined);
  });
});

describe('replicaset controller with a lagging pod informer', () => {
  let t: TestApiServer;
  before(async () => { t = await startTestApiServer(); });
  after(async () => { await t?.stop(); });

  async function scenario(ns: string, expectations?: ControllerExpectations): Promise<{ created: number; observed: number }> {
    const logger = createLogger('rs-lag-test', process.env.TEST_LOG_LEVEL ?? 'silent');
    const client = new ApiClient({ server: t.api.url });
    const lagging = new GatedListerWatcher(client, ['pods']);
    const informers = new InformerFactory({ client: lagging, logger });
    const recorder = new EventRecorder({ client, source: { component: 'replicaset-controller' } });
    const rsc = new ReplicaSetController({ kind: REPLICA_SET, client, informers, logger, recorder, ...(expectations ? { expectations } : {}) });
    const abort = new AbortController();
    const running = rsc.run(abort.signal);
    informers.start();
    try {
      await createNamespace(client, ns);
      await informers.waitForSync();
      lagging.close();
      await client.create(Resources.replicasets, replicaSet(ns, 'web', 3));
      await eventually(async () => (await client.list(Resources.pods, { namespace: ns })).items.length >= 3, '3 pods created');
      // the owner changes (generation 2) while the cache still shows no pods: a sync must not create more
      await client.patch(Resources.replicasets, ns, 'web', { spec: { minReadySeconds: 1 } }, 'merge');
      await eventually(async () => (await client.get(Resources.replicasets, ns, 'web')).status?.observedGeneration === 2, 'the change was synced');
      const created = (await client.list(Resources.pods, { namespace: ns })).items.length;
      lagging.release();
      const rs = await eventually(async () => {
        const o: KubeObject = await client.get(Resources.replicasets, ns, 'web');
        return o.status?.replicas >= 3 ? o : undefined;
      }, 'the cache catches up');
      return { created, observed: rs.status.replicas };
    } finally {
      lagging.release();
      abort.abort();
      await running;
      await informers.stop();
      await recorder.close();
      await client.close();
    }
  }

  it('creates each pod once while the informer has not observed its creates', async () => {
    const { created } = await scenario('lag-expect');
    assert.equal(created, 3);
  });

  it('(control) without expectations the same lag causes double creation', async () => {
    class Never extends ControllerExpectations { override satisfied(): boolean { return true; } }
    const { created } = await scenario('lag-control', new Never());
    assert.ok(created > 3, `created ${created}`);
  });
});
