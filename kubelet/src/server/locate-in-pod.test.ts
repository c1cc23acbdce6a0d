import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { locateInPod } from './locate-in-pod.js';

const pod = {
  apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'ns' },
  spec: { containers: [{ name: 'a' }, { name: 'b' }] },
  status: {
    containerStatuses: [
      { name: 'a', containerID: 'containerd://a2', state: { running: {} }, lastState: { terminated: { containerID: 'containerd://a1' } } },
      { name: 'b', state: { waiting: { reason: 'ImagePullBackOff' } } },
    ],
  },
} as unknown as KubeObject;

const locate = locateInPod((ns, name) => (ns === 'ns' && name === 'p' ? pod : undefined));
const err = async (p: ReturnType<typeof locate>) => { const r = await p; return 'error' in r ? r.error.status : undefined; };

describe('locateInPod', () => {
  it('maps containers to runtime ids, current and previous', async () => {
    assert.deepEqual(await locate('ns', 'p', 'a', { previous: false }), { containerId: 'a2' });
    assert.deepEqual(await locate('ns', 'p', 'a', { previous: true }), { containerId: 'a1' });
  });
  it('answers upstream errors', async () => {
    assert.equal((await err(locate('ns', 'gone', 'a', { previous: false })))?.code, 404);
    assert.equal((await err(locate('ns', 'p', undefined, { previous: false })))?.message, 'a container name must be specified for pod p, choose one of: [a b]');
    assert.equal((await err(locate('ns', 'p', 'c', { previous: false })))?.message, 'container c is not valid for pod p');
    assert.equal((await err(locate('ns', 'p', 'b', { previous: false })))?.message, 'container "b" in pod "p" is waiting to start: trying and failing to pull image');
  });
});
