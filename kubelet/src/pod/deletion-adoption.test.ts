// Graceful deletion (kubelet stops containers with the grace period, then deletes the pod
// object with gracePeriodSeconds=0 + uid precondition), teardown of pods deleted from the API,
// and restart adoption (a new kubelet keeps what is still bound, removes the rest). The
// FakeRuntime (test double) is shared between the two kubelets like a containerd would be.
import assert from 'node:assert/strict';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { isStatusError, Resources } from '@k8ts/shared';
import {
  createPod, eventually, FakeRuntime, getPod, podFor, startEnv, startKubelet, statusColumn, waitForEvent, waitForStatus, type Env,
} from '../testing/harness.js';
import { LABEL_POD_UID } from '../runtime/labels.js';

let env: Env;
before(async () => { env = await startEnv(); });
after(async () => { await env.stop(); });

const gone = async (env: Env, pod: any): Promise<boolean> => {
  try { await getPod(env, pod); return false; } catch (e) { if (isStatusError(e) && e.status.code === 404) return true; throw e; }
};

test('kubectl delete pod: Terminating, SIGTERM/SIGKILL after the grace period, Killing event, object gone, runtime clean', async () => {
  const k = await startKubelet(env);
  try {
    k.runtime.behaviourFor = (c) => (c.name === 'stubborn' ? { ignoreSigterm: true } : {});
    const hooks: string[] = [];
    k.runtime.execHandler = (name, cmd) => { hooks.push(`${name}:${cmd.join(' ')}:${k.runtime.calls.filter((x) => x.startsWith('stopContainer web')).length}`); return 0; };
    const pod = await createPod(env, podFor(k.nodeName, { terminationGracePeriodSeconds: 2, containers: [
      { name: 'web', image: 'nginx', lifecycle: { preStop: { exec: { command: ['nginx', '-s', 'quit'] } } } }, { name: 'stubborn', image: 'busybox' },
    ] }));
    const running = await waitForStatus(env, pod, 'Running');
    const uid = running.metadata.uid!;
    await env.client.delete(Resources.pods, 'default', pod.metadata.name!);
    const term = await eventually(async () => { const p = await getPod(env, pod).catch(() => undefined); return p && statusColumn(p) === 'Terminating' ? p : undefined; }, 'Terminating', { intervalMs: 20 });
    assert.ok(term.metadata.deletionTimestamp);
    await eventually(() => gone(env, pod), 'pod object deleted by the kubelet');
    assert.deepEqual(hooks, ['web:nginx -s quit:0']); // preStop ran before the stop
    assert.ok(k.runtime.calls.includes('stopContainer web 2'));
    assert.ok(k.runtime.calls.includes('stopContainer stubborn 2'));
    await waitForEvent(env, pod, 'Killing', /^Stopping container stubborn$/);
    await eventually(() => !k.runtime.allContainers().some((c) => c.labels[LABEL_POD_UID] === uid) && !k.runtime.allSandboxes().some((s) => s.uid === uid), 'runtime objects removed');
    await eventually(async () => !(await stat(join(k.rootDir, 'pods', uid)).catch(() => undefined)), 'pod dir removed');
  } finally {
    await k.stop();
  }
});

test('a pod deleted from the API at once (grace 0) is torn down (containers stopped, sandbox removed)', async () => {
  const k = await startKubelet(env);
  try {
    const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'web', image: 'nginx' }] }));
    const p = await waitForStatus(env, pod, 'Running');
    await env.client.delete(Resources.pods, 'default', pod.metadata.name!, { gracePeriodSeconds: 0 });
    await eventually(() => !k.runtime.allSandboxes().some((s) => s.uid === p.metadata.uid), 'sandbox removed');
    assert.equal(k.runtime.allContainers().some((c) => c.labels[LABEL_POD_UID] === p.metadata.uid), false);
  } finally {
    await k.stop();
  }
});

test('restart adoption: running pods are kept (same containers), pods deleted meanwhile and orphans are removed', async () => {
  const runtime = new FakeRuntime({ images: ['busybox', 'nginx'] });
  const rootDir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-adopt-'));
  const nodeName = `adopt-${process.pid}`;
  try {
    const k1 = await startKubelet(env, { runtime, rootDir, nodeName });
    const keep = await createPod(env, podFor(nodeName, { containers: [{ name: 'web', image: 'nginx' }] }, 'keep-me'));
    const drop = await createPod(env, podFor(nodeName, { containers: [{ name: 'web', image: 'nginx' }] }, 'drop-me'));
    const keepRunning = await waitForStatus(env, keep, 'Running');
    const dropRunning = await waitForStatus(env, drop, 'Running');
    await k1.stop();
    // containers survive the kubelet
    assert.equal(runtime.allContainers().filter((c) => c.state === 'running').length, 2);
    // while the kubelet is down: drop-me is force-deleted, and an orphan appears in the runtime
    await env.client.delete(Resources.pods, 'default', 'drop-me', { gracePeriodSeconds: 0 });
    await eventually(() => gone(env, drop), 'drop-me gone');
    await runtime.runPodSandbox({ uid: 'orphan-uid', name: 'ghost', namespace: 'default', attempt: 0, hostname: 'ghost', hostNetwork: false,
      portMappings: [], labels: { [LABEL_POD_UID]: 'orphan-uid' }, annotations: {}, logDirectory: '/tmp' });
    const createsBefore = runtime.calls.filter((c) => c.startsWith('createContainer')).length;

    const k2 = await startKubelet(env, { runtime, rootDir, nodeName });
    try {
      await eventually(() => !runtime.allSandboxes().some((s) => s.uid === 'orphan-uid' || s.uid === dropRunning.metadata.uid), 'orphan and deleted pod removed');
      const p = await waitForStatus(env, keep, 'Running');
      assert.equal(p.status.containerStatuses[0].containerID, keepRunning.status.containerStatuses[0].containerID);
      assert.equal(p.status.containerStatuses[0].restartCount, 0);
      assert.equal(runtime.allSandboxes().filter((s) => s.uid === keep.metadata.uid).length, 1);
      assert.equal(runtime.calls.filter((c) => c.startsWith('createContainer')).length, createsBefore); // nothing recreated
      assert.equal(runtime.allContainers().filter((c) => c.labels[LABEL_POD_UID] === keep.metadata.uid).length, 1);
    } finally {
      await k2.stop();
    }
  } finally {
    runtime.dispose();
    await rm(rootDir, { recursive: true, force: true });
  }
});
