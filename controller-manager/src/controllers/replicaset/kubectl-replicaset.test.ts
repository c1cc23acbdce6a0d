// The seed notes' ReplicaSet / ReplicationController workflow driven by the real `kubectl`
// against the real apiserver (plain HTTP, a throwaway kubeconfig and discovery cache), with
// the replicaset, replicationcontroller and garbagecollector controllers running in-process:
// create -f, scale (by name and by file), delete --cascade=orphan|foreground|background.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { seedManifests } from '@k8ts/apiserver/kinds/testing/seed-manifests';
import { eventually } from '../../testing/poll.js';
import { runControllersForTest, type ControllerHarness } from '../../testing/controller-harness.js';
import { activePods } from '../../testing/fixtures.js';
import { GarbageCollector } from '../garbagecollector/garbage-collector.js';
import { ReplicaSetController } from './replica-set-controller.js';
import { REPLICA_SET, REPLICATION_CONTROLLER } from './replica-kind.js';

let t: TestApiServer;
let h: ControllerHarness;
let dir: string;

before(async () => {
  t = await startTestApiServer();
  h = runControllersForTest(t.api.url, (ctx) => [
    ...[REPLICA_SET, REPLICATION_CONTROLLER].map((kind) => new ReplicaSetController({
      kind, client: ctx.client, informers: ctx.informers, logger: ctx.logger, recorder: ctx.recorder(kind.component),
    })),
    new GarbageCollector({ client: ctx.client, informers: ctx.informers, logger: ctx.logger, workers: 4 }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-rs-'));
  await writeFile(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config',
    `clusters: [{name: t, cluster: {server: "${t.api.url}"}}]`,
    'users: [{name: u, user: {}}]',
    'contexts: [{name: t, context: {cluster: t, user: u, namespace: default}}]',
    'current-context: t', '',
  ].join('\n'));
  for (const m of seedManifests) {
    if (m.source === '001 replicaset-definition.yml') await writeFile(join(dir, 'replicaset-definition.yml'), m.yaml);
    if (m.source === '001 rc-definition.yml') await writeFile(join(dir, 'rc-definition.yml'), m.yaml);
  }
});
after(async () => {
  await h?.stop();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function kubectl(...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('kubectl', [`--kubeconfig=${join(dir, 'kubeconfig')}`, `--cache-dir=${join(dir, 'cache')}`, ...args],
      { cwd: dir, timeout: 90_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`kubectl ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
  });
}

const podCount = async (selector: string): Promise<number> => (await activePods(h.client, 'default', selector)).length;

describe('kubectl with the replicaset controller and the garbage collector', () => {
  it('create -f, scale by name and by file, delete --cascade=orphan keeps the pods', async () => {
    assert.match(await kubectl('create', '-f', 'replicaset-definition.yml'), /replicaset.apps\/myapp-replicaset created/);
    await eventually(async () => (await podCount('type=front-end')) === 3, '3 pods');
    assert.match(await kubectl('scale', '--replicas=6', 'replicaset', 'myapp-replicaset'), /replicaset.apps\/myapp-replicaset scaled/);
    await eventually(async () => (await podCount('type=front-end')) === 6, '6 pods');
    await kubectl('scale', '--replicas=2', '-f', 'replicaset-definition.yml');
    await eventually(async () => (await podCount('type=front-end')) === 2, '2 pods');
    await eventually(async () => /myapp-replicaset\s+2\s+2\s+0\s/.test(await kubectl('get', 'rs')), 'kubectl get rs shows DESIRED 2 CURRENT 2');
    const described = await kubectl('describe', 'replicaset', 'myapp-replicaset');
    assert.match(described, /Replicas:\s+2 current \/ 2 desired/);
    assert.match(described, /SuccessfulCreate\s+.*Created pod: myapp-replicaset-[a-z0-9]{5}/);
    assert.match(described, /SuccessfulDelete\s+.*Deleted pod: myapp-replicaset-[a-z0-9]{5}/);
    const before = (await activePods(h.client, 'default', 'type=front-end')).map((p) => p.metadata.name).sort();

    assert.match(await kubectl('delete', 'rs', 'myapp-replicaset', '--cascade=orphan'), /replicaset.apps "myapp-replicaset" deleted/);
    const rsLeft = await h.client.list(Resources.replicasets, { namespace: 'default' });
    assert.equal(rsLeft.items.length, 0, 'kubectl waited until the ReplicaSet was gone');
    const pods = await activePods(h.client, 'default', 'type=front-end');
    assert.deepEqual(pods.map((p) => p.metadata.name).sort(), before);
    for (const p of pods) assert.deepEqual(p.metadata.ownerReferences ?? [], []);
    await kubectl('delete', 'pods', '-l', 'type=front-end');
  });

  it('scale rc, delete rc --cascade=foreground and rs (background) remove the pods', async () => {
    await kubectl('create', '-f', 'rc-definition.yml');
    await eventually(async () => (await podCount('app=myapp')) === 3, '3 rc pods');
    assert.match(await kubectl('scale', '--replicas=5', 'replicationcontroller', 'myapp-rc'), /replicationcontroller\/myapp-rc scaled/);
    await eventually(async () => (await podCount('app=myapp')) === 5, '5 rc pods');
    assert.match(await kubectl('delete', 'rc', 'myapp-rc', '--cascade=foreground'), /replicationcontroller "myapp-rc" deleted/);
    assert.equal((await h.client.list(Resources.replicationcontrollers, { namespace: 'default' })).items.length, 0);
    assert.equal((await h.client.list(Resources.pods, { namespace: 'default', labelSelector: 'app=myapp' })).items.length, 0,
      'foreground: the pods were gone before the owner');

    await kubectl('create', '-f', 'replicaset-definition.yml');
    await eventually(async () => (await podCount('type=front-end')) === 3, '3 pods');
    await kubectl('delete', 'replicaset', 'myapp-replicaset');
    await eventually(async () => (await h.client.list(Resources.pods, { namespace: 'default', labelSelector: 'type=front-end' })).items.length === 0, 'pods collected');
  });
});
