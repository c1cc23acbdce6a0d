// Node lifecycle + taint eviction against the real apiserver, with heartbeats from fake
// kubelets and short grace periods: a silent node goes Unknown and gets the unreachable
// taints, its pods are marked not ready and evicted per their tolerations, recovery removes
// the taints, and a cluster where no node is Ready evicts nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError, Resources, type KubeObject } from '@k8ts/shared';
import { eventually } from '../../testing/poll.js';
import { createPodWithStatus, ensureNamespace, readyStatus, startTestCluster, type TestCluster } from '../../testing/cluster.js';
import { FakeKubelet } from '../../testing/fake-kubelet.js';
import { TAINT_NOT_READY, TAINT_UNREACHABLE } from './taints.js';

let c: TestCluster;
let k1: FakeKubelet;
let k2: FakeKubelet;
const NS = 'ev';

before(async () => {
  c = await startTestCluster(['nodelifecycle', 'taint-eviction-controller'], {
    nodeMonitorPeriodMs: 200, nodeMonitorGracePeriodMs: 2_000, nodeStartupGracePeriodMs: 2_000, nodeEvictionRate: 100,
  });
  await ensureNamespace(c.client, NS);
  k1 = new FakeKubelet(c.client, 'n1');
  k2 = new FakeKubelet(c.client, 'n2');
  await k1.register();
  await k2.register();
});
after(async () => {
  k1?.pause();
  k2?.pause();
  await c?.stop();
});

const node = (name: string): Promise<KubeObject> => c.client.get(Resources.nodes, undefined, name);
const taintKeys = (n: KubeObject): string[] => (n.spec?.taints ?? []).map((t: any) => `${t.key}:${t.effect}`).sort();
const cond = (o: KubeObject, type: string): any => (o.status?.conditions ?? []).find((x: any) => x.type === type);
const pod = (name: string): Promise<KubeObject> => c.client.get(Resources.pods, NS, name);
/** Evicted = being deleted, or already gone (nothing else here deletes these pods). */
const evicted = async (name: string): Promise<boolean> =>
  c.client.get(Resources.pods, NS, name).then((p) => !!p.metadata.deletionTimestamp, (e) => {
    if (isStatusError(e) && e.status.code === 404) return true;
    throw e;
  });

function boundPod(name: string, tolerations: unknown[]): KubeObject {
  return { metadata: { name, namespace: NS }, spec: { nodeName: 'n1', tolerations, containers: [{ name: 'c', image: 'busybox' }] } };
}

describe('node lifecycle and taint-based eviction', () => {
  it('leaves healthy nodes alone', async () => {
    const n = await node('n1');
    assert.equal(cond(n, 'Ready').status, 'True');
    await eventually(async () => {
      const evs = await c.client.list(Resources.events, { namespace: 'default' });
      return evs.items.some((e) => e.reason === 'RegisteredNode' && e.involvedObject?.name === 'n1');
    }, 'RegisteredNode event');
    assert.deepEqual(taintKeys(await node('n1')), []);
  });

  it('a cordoned node gets the unschedulable taint, removed when uncordoned', async () => {
    await c.client.patch(Resources.nodes, undefined, 'n2', { spec: { unschedulable: true } }, 'merge');
    await eventually(async () => taintKeys(await node('n2')).includes('node.kubernetes.io/unschedulable:NoSchedule'), 'unschedulable taint added');
    await c.client.patch(Resources.nodes, undefined, 'n2', { spec: { unschedulable: null } }, 'merge');
    await eventually(async () => taintKeys(await node('n2')).length === 0 ? true : undefined, 'unschedulable taint removed');
  });

  it('a silent node goes Unknown, is tainted unreachable, and its pods are evicted per their tolerations', async () => {
    const unreachable = (extra: Record<string, unknown>) => ({ key: TAINT_UNREACHABLE, effect: 'NoExecute', ...extra });
    // a toleration for the key with another value: the admission adds no default, and it does not match → evicted at once
    await createPodWithStatus(c.client, boundPod('victim', [unreachable({ operator: 'Equal', value: 'other' })]), readyStatus('10.244.1.2'));
    await createPodWithStatus(c.client, boundPod('patient', [unreachable({ operator: 'Exists', tolerationSeconds: 2 })]), readyStatus('10.244.1.3'));
    await createPodWithStatus(c.client, boundPod('loyal', [unreachable({ operator: 'Exists' })]), readyStatus('10.244.1.4'));
    await createPodWithStatus(c.client, boundPod('defaulted', []), readyStatus('10.244.1.5')); // gets the 300 s admission defaults
    await createPodWithStatus(c.client, { metadata: { name: 'elsewhere', namespace: NS }, spec: { nodeName: 'n2', containers: [{ name: 'c', image: 'busybox' }] } }, readyStatus('10.244.2.2'));

    k1.pause();
    const n1 = await eventually(async () => {
      const n = await node('n1');
      return cond(n, 'Ready').status === 'Unknown' && taintKeys(n).includes(`${TAINT_UNREACHABLE}:NoExecute`) ? n : undefined;
    }, 'n1 Ready=Unknown and tainted unreachable:NoExecute', { timeoutMs: 30_000 });
    const ready = cond(n1, 'Ready');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    assert.equal(cond(n1, 'MemoryPressure').status, 'Unknown');
    const noExec = n1.spec.taints.find((t: any) => t.key === TAINT_UNREACHABLE && t.effect === 'NoExecute');
    assert.ok(noExec.timeAdded, 'NoExecute taint carries timeAdded');
    await eventually(async () => taintKeys(await node('n1')).includes(`${TAINT_UNREACHABLE}:NoSchedule`), 'n1 tainted unreachable:NoSchedule');

    await eventually(() => evicted('victim'), 'victim evicted at once');
    const evs = await c.client.list(Resources.events, { namespace: NS });
    assert.ok(evs.items.some((e) => e.reason === 'TaintManagerEviction' && e.message === `Marking for deletion Pod ${NS}/victim`), 'TaintManagerEviction event');
    await eventually(() => evicted('patient'), 'patient evicted after its tolerationSeconds', { timeoutMs: 30_000 });
    const loyal = await pod('loyal');
    assert.equal(loyal.metadata.deletionTimestamp, undefined, 'forever-tolerating pod stays');
    await eventually(async () => cond(await pod('loyal'), 'Ready').status === 'False', 'pods on the node marked not ready');
    const n2 = await node('n2');
    assert.equal(cond(n2, 'Ready').status, 'True');
    assert.deepEqual(taintKeys(n2), []);
    assert.equal((await pod('elsewhere')).metadata.deletionTimestamp, undefined);
    assert.equal(cond(await pod('elsewhere'), 'Ready').status, 'True');
  });

  it('recovery removes the taints', async () => {
    await k1.recover();
    await eventually(async () => taintKeys(await node('n1')).length === 0 ? true : undefined, 'n1 untainted after recovery');
    assert.equal(cond(await node('n1'), 'Ready').status, 'True');
    const defaulted = await pod('defaulted');
    assert.equal(defaulted.metadata.deletionTimestamp, undefined);
    assert.ok(defaulted.spec.tolerations.some((t: any) => t.key === TAINT_UNREACHABLE && t.tolerationSeconds === 300));
    await eventually(async () => (await c.client.list(Resources.events, { namespace: NS })).items
      .some((e) => e.reason === 'TaintManagerEviction' && e.message === `Cancelling deletion of Pod ${NS}/defaulted`), 'scheduled eviction cancelled');
  });

  it('Ready=False reported by the kubelet gives the not-ready taints', async () => {
    const n = await node('n1');
    const conditions = n.status.conditions.map((x: any) => (x.type === 'Ready' ? { ...x, status: 'False', reason: 'KubeletNotReady', message: 'runtime down' } : x));
    await c.client.updateStatus(Resources.nodes, { ...n, status: { ...n.status, conditions } });
    await eventually(async () => {
      const t = taintKeys(await node('n1'));
      return t.includes(`${TAINT_NOT_READY}:NoExecute`) && t.includes(`${TAINT_NOT_READY}:NoSchedule`);
    }, 'n1 tainted not-ready');
    await k1.recover();
    await eventually(async () => taintKeys(await node('n1')).length === 0 ? true : undefined, 'n1 untainted again');
  });

  it('when no node is Ready, no NoExecute taints are kept (master disruption mode)', async () => {
    k1.pause();
    k2.pause();
    await eventually(async () => {
      const [a, b] = [await node('n1'), await node('n2')];
      const silent = cond(a, 'Ready').status === 'Unknown' && cond(b, 'Ready').status === 'Unknown';
      const noExec = [...taintKeys(a), ...taintKeys(b)].some((t) => t.endsWith(':NoExecute'));
      const noSched = taintKeys(a).includes(`${TAINT_UNREACHABLE}:NoSchedule`) && taintKeys(b).includes(`${TAINT_UNREACHABLE}:NoSchedule`);
      return silent && noSched && !noExec;
    }, 'both nodes Unknown, NoSchedule-tainted but not NoExecute-tainted', { timeoutMs: 30_000 });
    // several monitor passes later, still no NoExecute taint
    await new Promise((r) => setTimeout(r, 1_000));
    assert.ok(![...taintKeys(await node('n1')), ...taintKeys(await node('n2'))].some((t) => t.endsWith(':NoExecute')));
    assert.equal((await pod('elsewhere')).metadata.deletionTimestamp, undefined);
    await k1.recover();
    await k2.recover();
    await eventually(async () => taintKeys(await node('n1')).length + taintKeys(await node('n2')).length === 0 ? true : undefined, 'all taints gone');
  });
});
