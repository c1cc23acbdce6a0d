// Pod GC against the real apiserver: pods bound to a node that does not exist are force-
// deleted, terminated pods beyond the threshold are deleted oldest first, terminating
// unscheduled pods are removed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isNotFound, Resources, type KubeObject } from '@k8ts/shared';
import { eventually } from '../../testing/poll.js';
import { createPodWithStatus, ensureNamespace, readyStatus, startTestCluster, type TestCluster } from '../../testing/cluster.js';

let c: TestCluster;
const NS = 'gc';

before(async () => {
  c = await startTestCluster(['podgc'], { podGCPeriodMs: 200, podGCQuarantineMs: 500, terminatedPodGCThreshold: 2 });
  await ensureNamespace(c.client, NS);
  await c.client.create(Resources.nodes, { metadata: { name: 'alive' } });
});
after(async () => { await c?.stop(); });

const exists = async (name: string): Promise<boolean> => {
  try { await c.client.get(Resources.pods, NS, name); return true; } catch (e) { if (isNotFound(e)) return false; throw e; }
};
const pod = (name: string, nodeName?: string): KubeObject =>
  ({ metadata: { name, namespace: NS }, spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] } });

describe('pod GC', () => {
  it('force-deletes pods bound to a node that no longer exists', async () => {
    await createPodWithStatus(c.client, pod('orphan', 'ghost'), readyStatus('10.244.9.9'));
    await createPodWithStatus(c.client, pod('fine', 'alive'), readyStatus('10.244.9.10'));
    await eventually(async () => !(await exists('orphan')), 'orphan force-deleted');
    assert.ok(await exists('fine'));
  });

  it('keeps at most --terminated-pod-gc-threshold terminated pods, deleting the oldest', async () => {
    for (const name of ['done-1', 'done-2', 'done-3', 'done-4']) {
      await createPodWithStatus(c.client, pod(name, 'alive'), { phase: 'Succeeded' });
      await new Promise((r) => setTimeout(r, 1_100)); // distinct creationTimestamps (second precision)
    }
    await eventually(async () => !(await exists('done-1')) && !(await exists('done-2')), 'two oldest terminated pods deleted');
    assert.ok(await exists('done-3'));
    assert.ok(await exists('done-4'));
    assert.ok(await exists('fine'));
  });
});
