// End to end: the kubelet over the REAL containerd runtime (runtime/containerd/, merged from
// the runtime helper) and the real apiserver. Skipped unless running as root with that module
// present (it is imported through computed specifiers, so this file compiles without it).
// Images: the runtime helper's busybox/nginx tarballs (ensureTestImages; K8TS_IMAGES_DIR).
// Network: only the test's own pod IPs (its own bridge and namespaces) are contacted.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { isStatusError, Resources } from '@k8ts/shared';
import { createContainerdRuntime } from '../runtime/select-runtime.js';
import type { ContainerRuntime } from '../runtime/types.js';
import { cond, createPod, eventually, getPod, podFor, startEnv, startKubeletWith, waitForStatus, type Env } from '../testing/harness.js';

type Any = any;
const load = async (spec: string): Promise<Any | undefined> => { try { return await import(spec); } catch { return undefined; } };
const ctdMod = await load('../testing/containerd.js');
const imgMod = await load('../testing/images.js');
const netMod = await load('../network/node-network.js');
const why = process.getuid?.() !== 0 ? 'needs root' : !ctdMod || !imgMod || !netMod ? 'containerd runtime not merged in this build' : false;

function httpGet(ip: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path: '/', timeout: 3000, agent: false }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

describe('kubelet + real containerd', { skip: why }, () => {
  let env: Env;
  let ctd: Any;
  let rt: ContainerRuntime & { close?(): void; removeAllPods?(): Promise<void> };
  let k: Awaited<ReturnType<typeof startKubeletWith>>;
  let stateDir = '';
  const tag = randomBytes(2).toString('hex');
  const third = 160 + (randomBytes(1)[0]! % 30);
  const podCIDR = `10.244.${third}.0/24`;
  const bridge = `k8ts-e${tag}`;

  before(async () => {
    const images = await imgMod.ensureTestImages(['busybox', 'nginx']);
    env = await startEnv();
    ctd = await ctdMod.startTestContainerd();
    stateDir = await mkdtemp(join(tmpdir(), 'k8ts-kubelet-e2e-'));
    rt = await createContainerdRuntime({ address: ctd.socket, namespace: `${ctd.prefix}-n`, stateDir: join(stateDir, 'runtime'), nodeName: `e2e-${tag}`, bridge, podCIDR }) as typeof rt;
    await rt.importImage(images.busybox);
    await rt.importImage(images.nginx);
    k = await startKubeletWith(env, rt, { nodeName: `e2e-${tag}`, podCIDR, rootDir: join(stateDir, 'kubelet') });
  });

  after(async () => {
    await k?.stop();
    await rt?.removeAllPods?.().catch(() => undefined);
    rt?.close?.();
    await ctd?.stop();
    await netMod?.teardownNodeNetwork({ bridge, podCIDR, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' }).catch(() => undefined);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
    await env?.stop();
  });

  it('nginx pod: Running and Ready via an httpGet readiness probe; its pod IP serves HTTP; deletion removes it', async () => {
    const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }],
      readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 1 } }] }, 'nginx'));
    const p = await waitForStatus(env, pod, (s, x) => s === 'Running' && cond(x, 'Ready') === 'True', 60_000);
    assert.ok(p.status.podIP.startsWith(`10.244.${third}.`));
    assert.equal(await httpGet(p.status.podIP, 80), 200);
    await env.client.delete(Resources.pods, 'default', 'nginx', { gracePeriodSeconds: 5 });
    await eventually(async () => { try { await getPod(env, pod); return false; } catch (e) { return isStatusError(e) && e.status.code === 404; } }, 'nginx deleted', { timeoutMs: 60_000 });
    await eventually(async () => !(await rt.listPodSandboxes()).some((s) => s.uid === p.metadata.uid), 'sandbox removed', { timeoutMs: 30_000 });
  });

  it('busybox pod: env from a ConfigMap, cluster DNS resolv.conf and hosts in the container; exec liveness passes', async () => {
    await env.client.create(Resources.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'greet', namespace: 'default' }, data: { GREETING: 'hello-k8ts' } });
    const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'bb', image: 'busybox',
      command: ['sh', '-c', 'echo "G=$GREETING"; cat /etc/resolv.conf; cat /etc/hosts; sleep 3600'],
      env: [{ name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'greet', key: 'GREETING' } } }],
      livenessProbe: { exec: { command: ['true'] }, periodSeconds: 1 } }] }, 'bb'));
    const p = await waitForStatus(env, pod, (s, x) => s === 'Running' && cond(x, 'Ready') === 'True', 60_000);
    const id = p.status.containerStatuses[0].containerID.replace('containerd://', '');
    const text = await eventually(async () => {
      const out = new PassThrough();
      let t = '';
      out.on('data', (d: Buffer) => { t += d.toString(); });
      await rt.logs(id, { follow: false, timestamps: false }, out);
      return t.includes('G=hello-k8ts') && t.includes('nameserver') ? t : undefined;
    }, 'container log', { timeoutMs: 20_000 });
    assert.match(text, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    assert.match(text, /nameserver 10\.96\.0\.10/);
    assert.match(text, new RegExp(`${p.status.podIP.replace(/\./g, '\\.')}\\tbb`));
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await getPod(env, pod)).status.containerStatuses[0].restartCount, 0);
  });

  it('a crashing container reaches CrashLoopBackOff with its exit code in lastState', async () => {
    const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'crash', image: 'busybox', command: ['sh', '-c', 'exit 3'] }] }, 'crash'));
    const p = await waitForStatus(env, pod, (s, x) => s === 'CrashLoopBackOff' && x.status.containerStatuses[0].restartCount >= 1, 60_000);
    assert.equal(p.status.containerStatuses[0].lastState.terminated.exitCode, 3);
  });
});
