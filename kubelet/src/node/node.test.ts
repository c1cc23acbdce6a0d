// Node registration, lease renewal, pod CIDR wait, runtime outage → Ready=False.
// FakeRuntime is a test double: this proves the kubelet's node logic, not containerd.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Resources, type KubeObject } from '@k8ts/shared';
import { eventually, startEnv, startKubelet, type Env } from '../testing/harness.js';
import { KUBELET_VERSION } from './node-status.js';

let env: Env;
before(async () => { env = await startEnv(); });
after(async () => { await env.stop(); });

const readyCond = (n: KubeObject): Record<string, any> | undefined => (n.status?.conditions ?? []).find((c: any) => c.type === 'Ready');

test('registers the Node with addresses, capacity, nodeInfo, conditions, and renews its Lease', async () => {
  const k = await startKubelet(env, { port: 10250, nodeLabels: { 'tier': 'test' }, registerWithTaints: [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }] });
  try {
    const node = await eventually(async () => {
      const n = await env.client.get(Resources.nodes, undefined, k.nodeName);
      return readyCond(n)?.status === 'True' && n.status.images?.length ? n : undefined;
    }, 'node Ready with images');
    assert.equal(node.metadata.labels!['kubernetes.io/hostname'], k.nodeName);
    assert.equal(node.metadata.labels!['kubernetes.io/os'], 'linux');
    assert.equal(node.metadata.labels!.tier, 'test');
    assert.deepEqual(node.spec.taints, [{ key: 'dedicated', value: 'x', effect: 'NoSchedule' }]);
    assert.equal(node.spec.podCIDR, '10.244.1.0/24');
    assert.deepEqual(node.status.addresses, [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: k.nodeName }]);
    assert.match(node.status.capacity.cpu, /^\d+$/);
    assert.match(node.status.capacity.memory, /^\d+Ki$/);
    assert.equal(node.status.capacity.pods, '110');
    assert.ok(node.status.allocatable.memory);
    assert.equal(node.status.nodeInfo.kubeletVersion, KUBELET_VERSION);
    assert.equal(node.status.nodeInfo.containerRuntimeVersion, 'fake://0.0.0-test');
    assert.equal(node.status.nodeInfo.operatingSystem, 'linux');
    assert.ok(node.status.nodeInfo.kernelVersion);
    assert.equal(node.status.daemonEndpoints.kubeletEndpoint.Port, 10250);
    const types = node.status.conditions.map((c: any) => c.type).sort();
    assert.deepEqual(types, ['DiskPressure', 'MemoryPressure', 'PIDPressure', 'Ready']);
    for (const c of node.status.conditions) { assert.ok(c.lastHeartbeatTime); assert.ok(c.lastTransitionTime); }
    assert.ok(node.status.images.some((i: any) => i.names.includes('docker.io/library/nginx:latest')));

    const lease1 = await eventually(() => env.client.get(Resources.leases, 'kube-node-lease', k.nodeName), 'lease');
    assert.equal(lease1.spec.holderIdentity, k.nodeName);
    assert.equal(lease1.spec.leaseDurationSeconds, 40);
    assert.deepEqual(lease1.metadata.ownerReferences?.map((o: any) => [o.kind, o.name, o.uid]), [['Node', k.nodeName, node.metadata.uid]]);
    await eventually(async () => {
      const l = await env.client.get(Resources.leases, 'kube-node-lease', k.nodeName);
      return l.spec.renewTime !== lease1.spec.renewTime;
    }, 'lease renewed');

    // heartbeat moves, transition time stays
    const hb = readyCond(node)!;
    const later = await eventually(async () => {
      const n = await env.client.get(Resources.nodes, undefined, k.nodeName);
      return readyCond(n)!.lastHeartbeatTime !== hb.lastHeartbeatTime ? n : undefined;
    }, 'heartbeat advances');
    assert.equal(readyCond(later)!.lastTransitionTime, hb.lastTransitionTime);
  } finally {
    await k.stop();
  }
});

test('runtime down → Ready=False with a reason; back up → Ready=True', async () => {
  const k = await startKubelet(env);
  try {
    await eventually(async () => readyCond(await env.client.get(Resources.nodes, undefined, k.nodeName))?.status === 'True', 'Ready');
    k.runtime.setDown(true);
    const down = await eventually(async () => {
      const c = readyCond(await env.client.get(Resources.nodes, undefined, k.nodeName));
      return c?.status === 'False' ? c : undefined;
    }, 'Ready=False');
    assert.equal(down.reason, 'KubeletNotReady');
    assert.match(down.message, /container runtime is down/);
    k.runtime.setDown(false);
    await eventually(async () => readyCond(await env.client.get(Resources.nodes, undefined, k.nodeName))?.status === 'True', 'Ready again');
  } finally {
    k.runtime.setDown(false);
    await k.stop();
  }
});

test('without --pod-cidr the kubelet waits for spec.podCIDR (nodeipam), then starts the runtime with it', async () => {
  let gotCIDR: string | undefined;
  const nodeName = `cidr-wait-${process.pid}`;
  const { FakeRuntime } = await import('../runtime/fake-runtime.js');
  const rt = new FakeRuntime();
  const starting = startKubelet(env, { nodeName, podCIDR: undefined, runtime: rt });
  // while waiting: Node registered, Ready=False
  const n = await eventually(async () => {
    const x = await env.client.get(Resources.nodes, undefined, nodeName).catch(() => undefined);
    return x && readyCond(x)?.status === 'False' ? x : undefined;
  }, 'node registered, not ready');
  assert.equal(n.spec?.podCIDR, undefined);
  await env.client.patch(Resources.nodes, undefined, nodeName, { spec: { podCIDR: '10.244.7.0/24', podCIDRs: ['10.244.7.0/24'] } }, 'merge');
  const k = await starting;
  try {
    gotCIDR = k.kubelet.podCIDR;
    assert.equal(gotCIDR, '10.244.7.0/24');
    await eventually(async () => readyCond(await env.client.get(Resources.nodes, undefined, nodeName))?.status === 'True', 'Ready');
  } finally {
    await k.stop();
  }
});

test('restarting kubelet adopts the existing Node object', async () => {
  const k1 = await startKubelet(env);
  const uid = (await env.client.get(Resources.nodes, undefined, k1.nodeName)).metadata.uid;
  await k1.stop();
  const k2 = await startKubelet(env, { nodeName: k1.nodeName });
  try {
    const n = await env.client.get(Resources.nodes, undefined, k1.nodeName);
    assert.equal(n.metadata.uid, uid);
    await eventually(async () => readyCond(await env.client.get(Resources.nodes, undefined, k1.nodeName))?.status === 'True', 'Ready');
  } finally {
    await k2.stop();
  }
});

test('node events (Starting, NodeReady) and re-registration after the Node object is deleted', async () => {
  const k = await startKubelet(env);
  try {
    const evs = async () => (await env.client.list(Resources.events, { namespace: 'default' })).items.filter((e) => e.involvedObject?.kind === 'Node' && e.involvedObject?.name === k.nodeName);
    await eventually(async () => (await evs()).some((e) => e.reason === 'Starting' && e.message === 'Starting kubelet.'), 'Starting event');
    const ready = await eventually(async () => (await evs()).find((e) => e.reason === 'NodeReady'), 'NodeReady event');
    assert.equal(ready.source.component, 'kubelet');
    assert.equal(ready.source.host, k.nodeName);
    const uid = (await env.client.get(Resources.nodes, undefined, k.nodeName)).metadata.uid;
    await env.client.delete(Resources.nodes, undefined, k.nodeName);
    const again = await eventually(async () => {
      const n = await env.client.get(Resources.nodes, undefined, k.nodeName).catch(() => undefined);
      return n && n.metadata.uid !== uid ? n : undefined;
    }, 're-registered');
    assert.equal(again.spec.podCIDR, '10.244.1.0/24');
  } finally {
    await k.stop();
  }
});
