// The start gate (pod-workers.ts): new pods are brought up at most `maxParallelPodStarts` at a
// time, in the order they arrived; later syncs of a running pod are not held by it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { PodSandboxConfig, PodSandboxStatus } from '../runtime/types.js';
import { createPod, eventually, FakeRuntime, podFor, startEnv, startKubelet, waitForStatus, type Env, type TestKubelet } from '../testing/harness.js';

/** A runtime whose sandboxes take a while, recording how many are being made at once. */
class SlowSandboxes extends FakeRuntime {
  inFlight = 0;
  maxInFlight = 0;
  order: string[] = [];
  override async runPodSandbox(config: PodSandboxConfig): Promise<PodSandboxStatus> {
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    this.order.push(config.name);
    try {
      await new Promise((r) => setTimeout(r, 150));
      return await super.runPodSandbox(config);
    } finally {
      this.inFlight--;
    }
  }
}

let env: Env;
let k: TestKubelet;
const runtime = new SlowSandboxes({ images: ['busybox'] });

before(async () => {
  env = await startEnv();
  k = await startKubelet(env, { runtime, maxParallelPodStarts: 1 });
});
after(async () => {
  await k?.stop();
  runtime.dispose();
  await env?.stop();
});

test('start gate: one pod brought up at a time, in arrival order, with a limit of 1', async () => {
  const pods = [];
  for (let i = 0; i < 4; i++) pods.push(await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox' }] }, `gated-${i}`)));
  for (const p of pods) await waitForStatus(env, p, 'Running');
  assert.equal(runtime.maxInFlight, 1);
  assert.deepEqual(runtime.order.slice(0, 4), ['gated-0', 'gated-1', 'gated-2', 'gated-3']);
});

test('start gate: a pod deleted while it waits is torn down, not started', async () => {
  const first = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox' }] }, 'gated-slow'));
  const second = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox' }] }, 'gated-gone'));
  await env.client.delete((await import('@k8ts/shared')).Resources.pods, 'default', 'gated-gone', { gracePeriodSeconds: 0 });
  await waitForStatus(env, first, 'Running');
  // whether or not its turn came before the deletion was seen, nothing of it is left running
  await eventually(async () => {
    assert.ok(runtime.allSandboxes().every((s) => s.uid !== second.metadata.uid || s.state !== 'ready'));
    assert.ok((await runtime.listContainers()).every((c) => c.labels['io.kubernetes.pod.uid'] !== second.metadata.uid || c.state !== 'running'));
    return true;
  }, 'nothing of the deleted pod running');
});
