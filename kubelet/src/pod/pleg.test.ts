// The PLEG's change detection, and what it holds back while a pod's sync runs: a sync's own final
// listing is not reported back as a change, anything that differs from it afterwards still is,
// and a held-back change is reported when the sync ends without a listing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LABEL_POD_UID } from '../runtime/labels.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import type { ContainerConfig, PodSandboxConfig } from '../runtime/types.js';
import { Pleg } from './pleg.js';

const UID = 'uid-1';
const sandboxConfig: PodSandboxConfig = {
  uid: UID, name: 'p', namespace: 'default', attempt: 0, hostname: 'p', hostNetwork: false, portMappings: [],
  labels: { [LABEL_POD_UID]: UID }, annotations: {}, logDirectory: '/tmp/pleg-test',
};
const containerConfig = (name: string): ContainerConfig => ({
  name, attempt: 0, image: 'busybox', command: ['sleep', '1'], args: [], env: [], mounts: [], logPath: `${name}/0.log`,
  tty: false, stdin: false, labels: { [LABEL_POD_UID]: UID }, annotations: {},
});

test('Pleg: reports changes; holds them back during a sync; the sync\'s own listing is not a change', async () => {
  const runtime = new FakeRuntime({ images: ['busybox'] });
  const changes: string[] = [];
  const syncing = new Set<string>();
  const pleg = new Pleg({
    runtime, periodMs: 3_600_000, onChange: (uid) => changes.push(uid), onError: (e) => { throw e; },
    inSync: (uid) => syncing.has(uid),
  });
  const listing = async () => ({ sandboxes: await runtime.listPodSandboxes({ uid: UID }), containers: await runtime.listContainers() });
  try {
    const sb = await runtime.runPodSandbox(sandboxConfig);
    await pleg.relist();
    assert.deepEqual(changes, [UID], 'the first relist reports every pod');
    await pleg.relist();
    assert.deepEqual(changes, [UID], 'nothing changed');

    // a sync starts a container; a relist meanwhile sees it; the sync ends with its listing
    syncing.add(UID);
    const a = await runtime.createContainer(sb.id, containerConfig('a'), sandboxConfig);
    await pleg.relist();
    await runtime.startContainer(a);
    const seen = await listing();
    syncing.delete(UID);
    pleg.syncFinished(UID, seen);
    await pleg.relist();
    assert.deepEqual(changes, [UID], 'neither the relist during the sync nor the next one reports it');

    // a change after the sync's listing is reported
    runtime.exitContainer(a, 1);
    await pleg.relist();
    assert.deepEqual(changes, [UID, UID]);

    // a change held back during a sync that ends without a listing is reported at its end
    syncing.add(UID);
    const b = await runtime.createContainer(sb.id, containerConfig('b'), sandboxConfig);
    await pleg.relist();
    assert.deepEqual(changes, [UID, UID]);
    syncing.delete(UID);
    pleg.syncFinished(UID);
    assert.deepEqual(changes, [UID, UID, UID]);

    // outside a sync, a started container is reported as before
    await runtime.startContainer(b);
    await pleg.relist();
    assert.deepEqual(changes, [UID, UID, UID, UID]);
  } finally {
    pleg.stop();
    runtime.dispose();
  }
});
