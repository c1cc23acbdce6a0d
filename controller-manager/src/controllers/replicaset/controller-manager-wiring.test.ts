// The controllers as the controller-manager process runs them: start() with leader election
// and `--controllers=replicaset,replicationcontroller,garbagecollector` (the descriptors in
// controllers/index.ts), a ReplicaSet and a ReplicationController scaled and deleted.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, Resources } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { start, type ControllerManager } from '../../controller-manager.js';
import { eventually } from '../../testing/poll.js';
import { activePods, replicaSet } from '../../testing/fixtures.js';

let t: TestApiServer;
let cm: ControllerManager;
let client: ApiClient;

before(async () => {
  t = await startTestApiServer();
  client = new ApiClient({ server: t.api.url });
  cm = await start({
    connection: { server: t.api.url }, logger: createLogger('cm-wiring-test', process.env.TEST_LOG_LEVEL ?? 'silent'), port: null, identity: 'wiring',
    controllers: ['replicaset', 'replicationcontroller', 'garbagecollector'], leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 500,
  });
});
after(async () => {
  await cm?.close();
  await client?.close();
  await t?.stop();
});

describe('controller-manager wiring', () => {
  it('runs the replicaset, replicationcontroller and garbagecollector controllers', async () => {
    assert.deepEqual(cm.controllers, ['replicaset', 'replicationcontroller', 'garbagecollector']);
    await client.create(Resources.replicasets, replicaSet('default', 'web', 2));
    await client.create(Resources.replicationcontrollers, {
      metadata: { name: 'legacy', namespace: 'default' },
      spec: { replicas: 2, template: { metadata: { labels: { app: 'legacy' } }, spec: { containers: [{ name: 'c', image: 'nginx' }] } } },
    });
    await eventually(async () => (await activePods(client, 'default', 'app=web')).length === 2 && (await activePods(client, 'default', 'app=legacy')).length === 2, '2 + 2 pods');
    await client.delete(Resources.replicasets, 'default', 'web', { propagationPolicy: 'Background' });
    await client.delete(Resources.replicationcontrollers, 'default', 'legacy', { propagationPolicy: 'Background' });
    await eventually(async () => (await client.list(Resources.pods, { namespace: 'default' })).items.length === 0, 'pods collected');
  });
});
