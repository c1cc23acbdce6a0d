// The garbage collector when its cache lags: an owner the informers have not seen yet must
// be confirmed by a live GET (and its dependents kept), and an owner deleted while the
// informer still lags must be found gone by the same live GET (and its dependents deleted).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, InformerFactory, isNotFound, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { createNamespace } from '../../testing/fixtures.js';
import { GatedListerWatcher } from '../../testing/gated-lister-watcher.js';
import { GarbageCollector } from './garbage-collector.js';

let t: TestApiServer;
let client: ApiClient;
let gated: GatedListerWatcher;
let informers: InformerFactory;
let gc: GarbageCollector;
let abort: AbortController;
let running: Promise<void>;

before(async () => {
  t = await startTestApiServer();
  const logger = createLogger('gc-lag-test', process.env.TEST_LOG_LEVEL ?? 'silent');
  client = new ApiClient({ server: t.api.url });
  gated = new GatedListerWatcher(client, ['secrets']);
  informers = new InformerFactory({ client: gated, logger });
  gc = new GarbageCollector({ client, informers, logger, workers: 2 });
  abort = new AbortController();
  running = gc.run(abort.signal);
  informers.start();
});
after(async () => {
  gated?.release();
  abort?.abort();
  await running;
  await informers?.stop();
  await client?.close();
  await t?.stop();
});

describe('garbage collector with a lagging cache', () => {
  it('keeps a dependent whose owner it has not observed, and deletes it once a live GET finds the owner gone', async () => {
    await createNamespace(client, 'gc-lag');
    // wait until the collector watches secrets (discovery + informers started)
    await eventually(() => informers.forResource(Resources.secrets).hasSynced(), 'secrets informer synced');
    gated.close();
    const owner: KubeObject = await client.create(Resources.secrets, { metadata: { name: 'owner', namespace: 'gc-lag' } });
    await client.create(Resources.configmaps, {
      metadata: { name: 'dep', namespace: 'gc-lag', ownerReferences: [{ apiVersion: 'v1', kind: 'Secret', name: 'owner', uid: owner.metadata.uid! }] },
    });
    // the collector sees the dependent, but the owner only as a virtual node it checks live
    await eventually(() => gc.graph.get(owner.metadata.uid!)?.virtual === true, 'virtual owner node');
    await eventually(() => (gc as unknown as { virtualChecks: Map<string, number> }).virtualChecks.get(owner.metadata.uid!)! >= 1, 'owner checked live');
    assert.equal((await client.get(Resources.configmaps, 'gc-lag', 'dep')).metadata.name, 'dep', 'the dependent of a live owner is kept');

    // the owner goes while the informer still lags: the next live check finds it gone
    await client.delete(Resources.secrets, 'gc-lag', 'owner');
    await eventually(async () => {
      try {
        await client.get(Resources.configmaps, 'gc-lag', 'dep');
        return false;
      } catch (e) {
        return isNotFound(e);
      }
    }, 'dependent deleted', { timeoutMs: 60_000 });
    gated.release();
  });
});
