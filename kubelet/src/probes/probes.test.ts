// Readiness / liveness / startup probes (exec, httpGet, tcpSocket) through the pod workers,
// against the real apiserver with FakeRuntime (test double; exec results are scripted) and a
// real local HTTP/TCP server for httpGet/tcpSocket (hostNetwork pod → pod IP = 127.0.0.1).
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { cond, createPod, eventually, getPod, podFor, startEnv, startKubelet, waitForEvent, waitForStatus, type Env, type TestKubelet } from '../testing/harness.js';

let env: Env;
let k: TestKubelet;
before(async () => { env = await startEnv(); k = await startKubelet(env); });
// bounded: a probe still in flight must not hold the file open (the runner force-exits after)
const within = (p: Promise<unknown>, ms: number) => Promise.race([p, new Promise((r) => setTimeout(r, ms).unref())]);
after(async () => { await within(k.stop(), 15_000); await within(env.stop(), 15_000); });

const exec = (cmd: string[], extra: Record<string, unknown> = {}) => ({ exec: { command: cmd }, periodSeconds: 1, failureThreshold: 1, ...extra });

test('readiness (exec) gates Ready; failures report Unhealthy; recovery makes it Ready again', async () => {
  let ok = false;
  k.runtime.execHandler = (name, cmd) => (name === 'r' && cmd[0] === 'check' ? (ok ? 0 : 1) : 0);
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'r', image: 'busybox', readinessProbe: exec(['check']) }] }));
  const p = await waitForStatus(env, pod, 'Running');
  assert.equal(cond(p, 'Ready'), 'False');
  assert.equal(p.status.containerStatuses[0].ready, false);
  await waitForEvent(env, pod, 'Unhealthy', /^Readiness probe failed: /);
  ok = true;
  await eventually(async () => cond(await getPod(env, pod), 'Ready') === 'True', 'Ready=True');
  ok = false;
  const np = await eventually(async () => { const x = await getPod(env, pod); return cond(x, 'Ready') === 'False' ? x : undefined; }, 'Ready=False again');
  assert.equal(np.status.containerStatuses[0].restartCount, 0); // readiness never restarts
});

test('liveness (exec) failure kills and restarts the container with Killing + Unhealthy events', async () => {
  let failing = true;
  k.runtime.execHandler = (name) => (name === 'l' && failing ? 1 : 0);
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'l', image: 'busybox', livenessProbe: exec(['alive']) }] }));
  await waitForEvent(env, pod, 'Unhealthy', /^Liveness probe failed: /);
  await waitForEvent(env, pod, 'Killing', /^Container l failed liveness probe, will be restarted$/);
  const p = await waitForStatus(env, pod, (_s, x) => x.status.containerStatuses[0].restartCount >= 1);
  failing = false;
  assert.ok(p.status.containerStatuses[0].lastState.terminated);
  const stable = await waitForStatus(env, pod, (s, x) => s === 'Running' && x.status.containerStatuses[0].ready === true);
  assert.ok(stable.status.containerStatuses[0].restartCount >= 1);
});

test('startup probe holds back readiness and liveness until it succeeds (started=false, then true)', async () => {
  let started = false;
  k.runtime.execHandler = (name, cmd) => (name === 's' && cmd[0] === 'startup' ? (started ? 0 : 1) : 0);
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 's', image: 'busybox',
    startupProbe: exec(['startup'], { failureThreshold: 1000 }), livenessProbe: exec(['live']) }] }));
  const p = await waitForStatus(env, pod, 'Running');
  assert.equal(p.status.containerStatuses[0].started, false);
  assert.equal(p.status.containerStatuses[0].ready, false);
  started = true;
  const q = await eventually(async () => { const x = await getPod(env, pod); return x.status.containerStatuses[0].started && x.status.containerStatuses[0].ready ? x : undefined; }, 'started+ready');
  assert.equal(cond(q, 'Ready'), 'True');
});

test('httpGet and tcpSocket probes reach the pod IP (hostNetwork pod on 127.0.0.1)', async () => {
  let code = 500;
  const srv: Server = createServer((req, res) => { res.statusCode = req.url === '/healthz' ? code : 404; res.end(); });
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as AddressInfo).port;
  try {
    const pod = await createPod(env, podFor(k.nodeName, { hostNetwork: true, containers: [{ name: 'h', image: 'busybox',
      ports: [{ name: 'http', containerPort: port }],
      readinessProbe: { httpGet: { path: '/healthz', port: 'http' }, periodSeconds: 1, failureThreshold: 1 },
      livenessProbe: { tcpSocket: { port }, periodSeconds: 1, failureThreshold: 1 },
    }] }));
    const p = await waitForStatus(env, pod, 'Running');
    assert.equal(p.status.podIP, '127.0.0.1');
    await waitForEvent(env, pod, 'Unhealthy', /^Readiness probe failed: HTTP probe failed with statuscode: 500$/);
    code = 200;
    await eventually(async () => cond(await getPod(env, pod), 'Ready') === 'True', 'Ready via httpGet');
    const after = await getPod(env, pod);
    assert.equal(after.status.containerStatuses[0].restartCount, 0); // tcpSocket liveness passes
  } finally {
    await new Promise((r) => { srv.close(r); srv.closeAllConnections(); });
  }
});
