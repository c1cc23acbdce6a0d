// locateContainer (for the logs/exec server) over FakeRuntime (test double) records.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '@k8ts/shared';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import { LABEL_CONTAINER_NAME, LABEL_POD_NAME, LABEL_POD_NAMESPACE, LABEL_POD_UID } from '../runtime/labels.js';
import { makeLocateContainer } from './locate-container.js';

test('locate: default container, previous attempt, upstream error messages', async () => {
  const rt = new FakeRuntime({ images: ['busybox'] });
  const pod: KubeObject = { metadata: { name: 'p', namespace: 'ns', uid: 'u1' }, spec: { containers: [{ name: 'app' }] },
    status: { containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] } };
  const two: KubeObject = { metadata: { name: 'two', namespace: 'ns', uid: 'u2' }, spec: { initContainers: [{ name: 'i' }], containers: [{ name: 'a' }, { name: 'b' }] } };
  const locate = makeLocateContainer({ knownPods: () => [pod, two] }, rt);
  const msg = async (...a: Parameters<typeof locate>) => { const r = await locate(...a); return 'error' in r ? r.error.message : r.containerId; };
  assert.equal(await msg('ns', 'nope', undefined, { previous: false }), 'pods "nope" not found');
  assert.equal(await msg('ns', 'p', undefined, { previous: false }), 'container "app" in pod "p" is waiting to start: ContainerCreating');
  assert.equal(await msg('ns', 'two', undefined, { previous: false }), 'a container name must be specified for pod two, choose one of: [a b] or one of the init containers: [i]');
  assert.equal(await msg('ns', 'p', 'zzz', { previous: false }), 'container zzz is not valid for pod p');
  const sb = await rt.runPodSandbox({ uid: 'u1', name: 'p', namespace: 'ns', attempt: 0, hostname: 'p', hostNetwork: false, portMappings: [], labels: {}, annotations: {}, logDirectory: '/tmp' });
  const labels = { [LABEL_POD_UID]: 'u1', [LABEL_POD_NAME]: 'p', [LABEL_POD_NAMESPACE]: 'ns', [LABEL_CONTAINER_NAME]: 'app' };
  const mk = (attempt: number) => rt.createContainer(sb.id, { name: 'app', attempt, image: 'busybox', command: [], args: [], env: [], mounts: [], logPath: 'x', tty: false, stdin: false, labels, annotations: {} },
    { uid: 'u1', name: 'p', namespace: 'ns', attempt: 0, hostname: 'p', hostNetwork: false, portMappings: [], labels: {}, annotations: {}, logDirectory: '/tmp' });
  const c0 = await mk(0);
  assert.equal(await msg('ns', 'p', undefined, { previous: true }), 'previous terminated container "app" in pod "p" not found');
  const c1 = await mk(1);
  assert.equal(await msg('ns', 'p', 'app', { previous: false }), c1);
  assert.equal(await msg('ns', 'p', 'app', { previous: true }), c0);
});
