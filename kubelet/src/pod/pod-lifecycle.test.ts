// Pod lifecycle through the kubelet's workers against the real apiserver, with FakeRuntime (a
// test double — these prove pod logic, not containerd): Running/Ready, init ordering,
// restart policies, CrashLoopBackOff, image errors, the STATUS column kubectl shows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  cond, createPod, eventually, getPod, podFor, startEnv, startKubelet, statusColumn, waitForEvent, waitForStatus,
  type Env, type TestKubelet,
} from '../testing/harness.js';

let env: Env;
let k: TestKubelet;
before(async () => { env = await startEnv(); k = await startKubelet(env); });
after(async () => { await k.stop(); await env.stop(); });

test('a pod goes ContainerCreating → Running with Ready, IPs, containerID and events', async () => {
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'web', image: 'nginx', ports: [{ containerPort: 80 }] }] }));
  const p = await waitForStatus(env, pod, (s, x) => s === 'Running' && cond(x, 'Ready') === 'True');
  assert.equal(p.status.phase, 'Running');
  assert.equal(p.status.hostIP, '127.0.0.1');
  assert.deepEqual(p.status.hostIPs, [{ ip: '127.0.0.1' }]);
  assert.match(p.status.podIP, /^10\.244\.0\.\d+$/);
  assert.deepEqual(p.status.podIPs, [{ ip: p.status.podIP }]);
  assert.ok(p.status.startTime);
  for (const t of ['PodReadyToStartContainers', 'Initialized', 'ContainersReady', 'Ready']) assert.equal(cond(p, t), 'True', t);
  const cs = p.status.containerStatuses[0];
  assert.equal(cs.name, 'web');
  assert.equal(cs.ready, true);
  assert.equal(cs.started, true);
  assert.equal(cs.restartCount, 0);
  assert.equal(cs.image, 'nginx');
  assert.match(cs.imageID, /^docker\.io\/library\/nginx@sha256:/);
  assert.match(cs.containerID, /^containerd:\/\/[0-9a-f]{64}$/);
  assert.ok(cs.state.running.startedAt);
  await waitForEvent(env, pod, 'Pulled', /^Container image "nginx" already present on machine$/);
  await waitForEvent(env, pod, 'Created', /^Created container web$/);
  const started = await waitForEvent(env, pod, 'Started', /^Started container web$/);
  assert.equal(started.source.component, 'kubelet');
  assert.equal(started.source.host, k.nodeName);
  assert.equal(started.involvedObject.fieldPath, 'spec.containers{web}');
  // the container got /etc/hosts and /etc/resolv.conf mounts with ClusterFirst DNS
  const id = cs.containerID.slice('containerd://'.length);
  const cfg = k.runtime.lastConfigs.get(id)!;
  const { readFile } = await import('node:fs/promises');
  const resolv = cfg.mounts.find((m) => m.containerPath === '/etc/resolv.conf')!;
  assert.equal(await readFile(resolv.hostPath, 'utf8'), 'search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n');
  const hosts = cfg.mounts.find((m) => m.containerPath === '/etc/hosts')!;
  assert.match(await readFile(hosts.hostPath, 'utf8'), new RegExp(`${p.status.podIP.replace(/\./g, '\\.')}\\t${pod.metadata.name}\\n`));
  assert.equal(cfg.labels['io.kubernetes.pod.uid'], pod.metadata.uid);
});

test('init containers run one at a time, in order, before app containers (Init:0/2 → Init:1/2 → Running)', async () => {
  k.runtime.behaviourFor = (c) => (c.name.startsWith('init') ? { runMs: 400, exitCode: 0 } : {});
  const pod = await createPod(env, podFor(k.nodeName, {
    initContainers: [{ name: 'init-a', image: 'busybox' }, { name: 'init-b', image: 'busybox' }],
    containers: [{ name: 'app', image: 'busybox' }],
  }));
  const seen = new Set<string>();
  await eventually(async () => {
    const s = statusColumn(await getPod(env, pod));
    seen.add(s);
    return s === 'Running';
  }, 'Running', { intervalMs: 20 });
  assert.ok(seen.has('Init:0/2') || seen.has('Init:1/2'), [...seen].join(','));
  const order = k.runtime.calls.filter((c) => c.startsWith('startContainer') && /init-a|init-b|app/.test(c) && !c.includes('web'));
  const names = order.map((c) => c.split(' ')[1]);
  assert.deepEqual(names.slice(-3), ['init-a', 'init-b', 'app']);
  const p = await getPod(env, pod);
  assert.equal(cond(p, 'Initialized'), 'True');
  assert.deepEqual(p.status.initContainerStatuses.map((s: any) => [s.name, s.state.terminated?.reason, s.state.terminated?.exitCode]), [['init-a', 'Completed', 0], ['init-b', 'Completed', 0]]);
  k.runtime.behaviourFor = () => ({});
});

test('a failing init container with restartPolicy Never fails the pod (Init:Error, phase Failed)', async () => {
  k.runtime.behaviourFor = (c) => (c.name === 'setup' ? { runMs: 50, exitCode: 3 } : {});
  const pod = await createPod(env, podFor(k.nodeName, {
    restartPolicy: 'Never',
    initContainers: [{ name: 'setup', image: 'busybox' }],
    containers: [{ name: 'app', image: 'busybox' }],
  }));
  const p = await waitForStatus(env, pod, (s, x) => x.status.phase === 'Failed');
  assert.equal(statusColumn(p), 'Init:Error');
  assert.equal(p.status.initContainerStatuses[0].state.terminated.exitCode, 3);
  assert.ok(!k.runtime.calls.some((c) => c.startsWith('createContainer') && c.includes(`${pod.metadata.name}/app`)));
  k.runtime.behaviourFor = () => ({});
});

test('restartPolicy Never: exit 0 → Succeeded (Completed), exit 1 → Failed (Error); never restarted', async () => {
  k.runtime.behaviourFor = (c) => (c.name === 'ok' ? { runMs: 100, exitCode: 0 } : c.name === 'bad' ? { runMs: 100, exitCode: 1 } : {});
  const good = await createPod(env, podFor(k.nodeName, { restartPolicy: 'Never', containers: [{ name: 'ok', image: 'busybox' }] }));
  const bad = await createPod(env, podFor(k.nodeName, { restartPolicy: 'Never', containers: [{ name: 'bad', image: 'busybox' }] }));
  const g = await waitForStatus(env, good, (s, x) => x.status.phase === 'Succeeded');
  assert.equal(statusColumn(g), 'Completed');
  assert.equal(cond(g, 'Ready'), 'False');
  const b = await waitForStatus(env, bad, (s, x) => x.status.phase === 'Failed');
  assert.equal(statusColumn(b), 'Error');
  assert.equal(b.status.containerStatuses[0].state.terminated.exitCode, 1);
  assert.equal(b.status.containerStatuses[0].restartCount, 0);
  k.runtime.behaviourFor = () => ({});
});

test('restartPolicy OnFailure: a failed container restarts, then Succeeded once it exits 0', async () => {
  let runs = 0;
  k.runtime.behaviourFor = (c) => (c.name === 'job' ? { runMs: 50, exitCode: runs++ < 1 ? 2 : 0 } : {});
  const pod = await createPod(env, podFor(k.nodeName, { restartPolicy: 'OnFailure', containers: [{ name: 'job', image: 'busybox' }] }));
  const p = await waitForStatus(env, pod, (s, x) => x.status.phase === 'Succeeded');
  assert.equal(p.status.containerStatuses[0].restartCount, 1);
  assert.equal(p.status.containerStatuses[0].lastState.terminated.exitCode, 2);
  k.runtime.behaviourFor = () => ({});
});

test('a crashing container goes into CrashLoopBackOff with growing back-off and BackOff events', async () => {
  k.runtime.behaviourFor = (c) => (c.name === 'crash' ? { runMs: 30, exitCode: 1 } : {});
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'crash', image: 'busybox' }] }));
  const p = await waitForStatus(env, pod, (s, x) => s === 'CrashLoopBackOff' && x.status.containerStatuses[0].restartCount >= 1);
  const cs = p.status.containerStatuses[0];
  assert.match(cs.state.waiting.message, /^back-off \d+(ms|s) restarting failed container=crash pod=/);
  assert.equal(cs.lastState.terminated.exitCode, 1);
  assert.equal(cs.lastState.terminated.reason, 'Error');
  assert.equal(p.status.phase, 'Running');
  await waitForEvent(env, pod, 'BackOff', /^Back-off restarting failed container crash in pod /);
  // restarts keep happening, further and further apart (the delays double up to the cap)
  const p3 = await waitForStatus(env, pod, (_s, x) => x.status.containerStatuses[0].restartCount >= 3);
  assert.ok(p3.status.containerStatuses[0].restartCount >= 3);
  const starts = k.runtime.calls.filter((c) => c === `startContainer crash ${0}` || c.startsWith('startContainer crash'));
  assert.ok(starts.length >= 4);
  k.runtime.behaviourFor = () => ({});
});

test('missing image: ErrImagePull then ImagePullBackOff; pullPolicy Never → ErrImageNeverPull', async () => {
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'x', image: 'nosuch/image:1.0' }] }));
  await waitForStatus(env, pod, 'ErrImagePull');
  await waitForStatus(env, pod, 'ImagePullBackOff');
  await waitForEvent(env, pod, 'Failed', /^Failed to pull image "nosuch\/image:1.0"/);
  await waitForEvent(env, pod, 'BackOff', /^Back-off pulling image "nosuch\/image:1.0"$/);
  const never = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'x', image: 'nosuch/other:2', imagePullPolicy: 'Never' }] }));
  const p = await waitForStatus(env, never, 'ErrImageNeverPull');
  assert.equal(p.status.containerStatuses[0].state.waiting.message, 'Container image "nosuch/other:2" is not present with pull policy of Never');
  // a pullable image is pulled (Pulling / Pulled events)
  k.runtime.addRegistryImage('registry.local/app:v1');
  const pulled = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'x', image: 'registry.local/app:v1' }] }));
  await waitForStatus(env, pulled, 'Running');
  await waitForEvent(env, pulled, 'Pulling', /^Pulling image "registry.local\/app:v1"$/);
  await waitForEvent(env, pulled, 'Pulled', /^Successfully pulled image/);
});

test('resources.limits reach the runtime; command/args follow the image Entrypoint/Cmd rules with $(VAR) expansion', async () => {
  k.runtime.addImage('tool:1', { entrypoint: ['/bin/tool'], cmd: ['--default'] });
  const pod = await createPod(env, podFor(k.nodeName, { containers: [
    { name: 'a', image: 'tool:1', resources: { limits: { cpu: '500m', memory: '64Mi' } } },
    { name: 'b', image: 'tool:1', args: ['--name=$(POD)', '$$(POD)'], env: [{ name: 'POD', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
    { name: 'c', image: 'tool:1', command: ['/bin/sh'] },
  ] }));
  const p = await waitForStatus(env, pod, 'Running');
  const cfg = (n: string) => k.runtime.lastConfigs.get(p.status.containerStatuses.find((s: any) => s.name === n).containerID.slice(13))!;
  assert.deepEqual(cfg('a').limits, { cpuMillis: 500, memoryBytes: 64 * 1024 * 1024 });
  assert.deepEqual([cfg('a').command, cfg('a').args], [['/bin/tool'], ['--default']]);
  assert.deepEqual([cfg('b').command, cfg('b').args], [['/bin/tool'], [`--name=${pod.metadata.name}`, '$(POD)']]);
  assert.deepEqual([cfg('c').command, cfg('c').args], [['/bin/sh'], []]);
});

test('changing a bare pod\'s image restarts that container with the new image', async () => {
  k.runtime.addImage('busybox:1.36');
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox' }] }));
  const p = await waitForStatus(env, pod, 'Running');
  const { Resources } = await import('@k8ts/shared');
  await env.client.patch(Resources.pods, 'default', pod.metadata.name!, { spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } }, 'strategic');
  const q = await waitForStatus(env, pod, (s, x) => s === 'Running' && x.status.containerStatuses[0].restartCount === 1);
  assert.notEqual(q.status.containerStatuses[0].containerID, p.status.containerStatuses[0].containerID);
  assert.match(q.status.containerStatuses[0].imageID, /busybox@sha256/);
});

test('a failing init container is retried with back-off (Init:Error / Init:CrashLoopBackOff) until it succeeds', async () => {
  let runs = 0;
  k.runtime.behaviourFor = (c) => (c.name === 'flaky' ? { runMs: 30, exitCode: runs++ < 2 ? 1 : 0 } : {});
  const pod = await createPod(env, podFor(k.nodeName, { initContainers: [{ name: 'flaky', image: 'busybox' }], containers: [{ name: 'app', image: 'busybox' }] }));
  const seen = new Set<string>();
  const p = await eventually(async () => {
    const x = await getPod(env, pod);
    seen.add(statusColumn(x));
    return statusColumn(x) === 'Running' ? x : undefined;
  }, 'Running after init retries', { intervalMs: 20 });
  assert.equal(p.status.initContainerStatuses[0].restartCount, 2);
  assert.equal(p.status.initContainerStatuses[0].state.terminated.exitCode, 0);
  assert.ok([...seen].some((s) => s === 'Init:Error' || s === 'Init:CrashLoopBackOff'), [...seen].join(','));
  k.runtime.behaviourFor = () => ({});
});
