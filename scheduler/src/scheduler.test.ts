// The scheduler against the real apiserver and etcd: Nodes created through the API (status
// via nodes/status), pods bound through pods/binding, resource fit, taints, nodeSelector,
// the FailedScheduling event and PodScheduled condition of a pod no node fits (and its
// scheduling once a fitting node appears), /metrics, and leader election between two
// scheduler instances. Every wait is a bounded poll.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiClient, createLogger, parsePrometheusText, Resources, type KubeObject } from '@k8ts/shared';
import { eventually } from '@k8ts/shared/testing/poll';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { start, type Scheduler } from './scheduler.js';
import { createNode, createPod } from './testing/objects.js';

const logger = createLogger('scheduler-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const TIMINGS = { leaseDurationMs: 3_000, renewDeadlineMs: 2_000, retryPeriodMs: 300 };

let t: TestApiServer;
let client: ApiClient;

before(async () => {
  t = await startTestApiServer();
  client = new ApiClient({ server: t.api.url });
});
after(async () => {
  await client?.close();
  await t?.stop();
});

async function ns(name: string): Promise<string> {
  await client.create(Resources.namespaces, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

const getPod = (namespace: string, name: string): Promise<KubeObject> => client.get(Resources.pods, namespace, name);
const boundTo = async (namespace: string, name: string): Promise<string | undefined> => (await getPod(namespace, name)).spec?.nodeName || undefined;
const eventsFor = async (namespace: string, name: string, reason: string): Promise<KubeObject[]> =>
  (await client.list(Resources.events, { namespace })).items.filter((e: any) => e.involvedObject?.name === name && e.reason === reason);

async function deleteNodes(): Promise<void> {
  for (const n of (await client.list(Resources.nodes)).items) await client.delete(Resources.nodes, undefined, n.metadata.name!);
}

describe('scheduler against the real apiserver', () => {
  let s: Scheduler;
  before(async () => {
    s = await start({ connection: { server: t.api.url }, logger, port: 0, leaderElect: false, queue: { initialBackoffMs: 200, maxBackoffMs: 1000 } });
  });
  after(async () => { await s?.close(); });

  it('binds pods by resource fit and records Scheduled events', async () => {
    await deleteNodes();
    const n = await ns('fit');
    await createNode(client, 'small', { cpu: '1', memory: '1Gi' });
    await createNode(client, 'big', { cpu: '8', memory: '16Gi' });
    await createPod(client, 'needs-2cpu', { cpu: '2', memory: '128Mi' }, n);
    const node = await eventually(() => boundTo(n, 'needs-2cpu'), 'pod bound');
    assert.equal(node, 'big');
    const pod = await getPod(n, 'needs-2cpu');
    assert.equal(pod.status?.conditions?.find((c: any) => c.type === 'PodScheduled')?.status, 'True');
    const [ev] = await eventually(async () => { const e = await eventsFor(n, 'needs-2cpu', 'Scheduled'); return e.length ? e : undefined; }, 'Scheduled event');
    assert.equal(ev!.type, 'Normal');
    assert.equal(ev!.message, `Successfully assigned ${n}/needs-2cpu to big`);
    assert.equal((ev as any).source.component, 'default-scheduler');

    // the second 1.5-cpu pod cannot go to `small` (1 cpu) and still fits on big (8 − 2)
    for (let i = 0; i < 3; i++) await createPod(client, `p${i}`, { cpu: '1500m' }, n);
    for (let i = 0; i < 3; i++) assert.equal(await eventually(() => boundTo(n, `p${i}`), `p${i} bound`), 'big');
    // big has 8 − 2 − 4.5 = 1.5 cpu left; a 1.6 cpu pod fits nowhere
    await createPod(client, 'too-big', { cpu: '1600m' }, n);
    const msg = await eventually(async () => (await eventsFor(n, 'too-big', 'FailedScheduling'))[0]?.message, 'FailedScheduling');
    assert.equal(msg, '0/2 nodes are available: 2 Insufficient cpu.');
  });

  it('respects taints, tolerations and nodeSelector', async () => {
    await deleteNodes();
    const n = await ns('taints');
    await createNode(client, 'tainted', { taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }], labels: { disk: 'ssd' } });
    await createNode(client, 'plain', { labels: { disk: 'hdd' } });
    await createPod(client, 'ssd', { nodeSelector: { disk: 'ssd' } }, n);
    await createPod(client, 'ssd-tolerating', { nodeSelector: { disk: 'ssd' }, tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }] }, n);
    for (let i = 0; i < 4; i++) await createPod(client, `any${i}`, {}, n);
    assert.equal(await eventually(() => boundTo(n, 'ssd-tolerating'), 'tolerating pod bound'), 'tainted');
    for (let i = 0; i < 4; i++) assert.equal(await eventually(() => boundTo(n, `any${i}`), `any${i} bound`), 'plain');
    const msg = await eventually(async () => (await eventsFor(n, 'ssd', 'FailedScheduling'))[0]?.message, 'FailedScheduling for ssd');
    assert.equal(msg, "0/2 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, 1 node(s) had untolerated taint {dedicated: gpu}.");
    assert.equal(await boundTo(n, 'ssd'), undefined);
    // a node update that removes the taint is a relevant event: the pod is retried and placed
    await client.patch(Resources.nodes, undefined, 'tainted', { spec: { taints: null } }, 'merge');
    assert.equal(await eventually(() => boundTo(n, 'ssd'), 'bound after the taint is removed'), 'tainted');
  });

  it('an unschedulable pod gets PodScheduled=False and the upstream FailedScheduling message, then is scheduled when a fitting node appears', async () => {
    await deleteNodes();
    const n = await ns('unsched');
    await createNode(client, 'u1', { cpu: '1' });
    await createNode(client, 'u2', { cpu: '1' });
    await createNode(client, 'u3', { cpu: '8', taints: [{ key: 'key', value: 'value', effect: 'NoSchedule' }] });
    await createNode(client, 'u4', { cpu: '8', ready: 'False' });
    await createNode(client, 'u5', { cpu: '8', unschedulable: true });
    await createPod(client, 'waiting', { cpu: '2' }, n);
    const expected = '0/5 nodes are available: 1 node(s) had untolerated taint {key: value}, 1 node(s) had untolerated taint {node.kubernetes.io/not-ready: }, 1 node(s) were unschedulable, 2 Insufficient cpu.';
    const cond = await eventually(async () => (await getPod(n, 'waiting')).status?.conditions?.find((c: any) => c.type === 'PodScheduled'), 'PodScheduled condition');
    assert.equal(cond.status, 'False');
    assert.equal(cond.reason, 'Unschedulable');
    assert.equal(cond.message, expected);
    const [ev] = await eventually(async () => { const e = await eventsFor(n, 'waiting', 'FailedScheduling'); return e.length ? e : undefined; }, 'FailedScheduling event');
    assert.equal(ev!.type, 'Warning');
    assert.equal(ev!.message, expected);
    assert.equal((await getPod(n, 'waiting')).status?.phase, 'Pending');
    const metrics = parsePrometheusText(await (await fetch(`http://127.0.0.1:${s.healthPort}/metrics`)).text());
    assert.ok((metrics.get('scheduler_schedule_attempts_total{result="unschedulable",profile="default-scheduler"}') ?? 0) >= 1);
    await eventually(() => metrics.has('scheduler_pending_pods{queue="unschedulable"}'), 'pending gauge');

    await createNode(client, 'u6', { cpu: '4' });
    assert.equal(await eventually(() => boundTo(n, 'waiting'), 'bound after node add'), 'u6');
    const c2 = (await getPod(n, 'waiting')).status?.conditions?.filter((c: any) => c.type === 'PodScheduled');
    assert.equal(c2.length, 1);
    assert.equal(c2[0].status, 'True');
  });

  it('host ports conflict; pods of one owner spread across nodes', async () => {
    await deleteNodes();
    const n = await ns('spread');
    await createNode(client, 's1');
    await createNode(client, 's2');
    await createNode(client, 's3');
    for (let i = 0; i < 3; i++) await createPod(client, `hp${i}`, { hostPort: 8080 }, n);
    await createPod(client, 'hp3', { hostPort: 8080 }, n);
    const nodes = new Set<string>();
    // hp0..hp2 take the three nodes; hp3 finds no free port
    const msg = await eventually(async () => (await eventsFor(n, 'hp3', 'FailedScheduling'))[0]?.message, 'hp3 FailedScheduling');
    for (let i = 0; i < 4; i++) { const b = await boundTo(n, `hp${i}`); if (b) nodes.add(b); }
    assert.equal(nodes.size, 3);
    assert.equal(msg, "0/3 nodes are available: 3 node(s) didn't have free ports for the requested pod ports.");

    for (let i = 0; i < 6; i++) await createPod(client, `rs${i}`, { ownerUid: 'owner-1' }, n);
    const placed = new Map<string, number>();
    for (let i = 0; i < 6; i++) {
      const b = await eventually(() => boundTo(n, `rs${i}`), `rs${i} bound`);
      placed.set(b, (placed.get(b) ?? 0) + 1);
    }
    assert.deepEqual([...placed.values()].sort(), [2, 2, 2]);
  });
});

describe('two schedulers with leader election', () => {
  it('only the leader binds; the standby takes over when it closes', async () => {
    const n = await ns('ha');
    await deleteNodes();
    await createNode(client, 'ha-node');
    const one = await start({ connection: { server: t.api.url }, logger, port: null, identity: 'sched-one', ...TIMINGS });
    const two = await start({ connection: { server: t.api.url }, logger, port: null, identity: 'sched-two', ...TIMINGS });
    const all = [one, two];
    try {
      const onlyOne = (): Scheduler | undefined => {
        const leaders = all.filter((c) => c.isLeader());
        assert.ok(leaders.length <= 1, 'two leaders at once');
        return leaders[0];
      };
      const first = await eventually(onlyOne, 'a leader is elected');
      const lease = await client.get(Resources.leases, 'kube-system', 'kube-scheduler');
      assert.equal((lease.spec as any).holderIdentity, first.identity);
      await createPod(client, 'before', {}, n);
      assert.equal(await eventually(() => boundTo(n, 'before'), 'bound by the first leader'), 'ha-node');
      const standby = first === one ? two : one;
      await first.close();
      assert.equal(await eventually(onlyOne, 'the standby takes over'), standby);
      await createPod(client, 'after', {}, n);
      assert.equal(await eventually(() => boundTo(n, 'after'), 'bound by the new leader'), 'ha-node');
      assert.ok((standby.metrics.attempts.get({ result: 'scheduled', profile: 'default-scheduler' })) >= 1);
    } finally {
      await Promise.all(all.map((c) => c.close()));
    }
  });
});
