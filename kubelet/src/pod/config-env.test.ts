// Env and volumes from ConfigMaps/Secrets (the pod of seeds/001: configMapKeyRef and
// secretKeyRef), envFrom with prefix, fieldRef, optional refs, and the
// CreateContainerConfigError / FailedMount paths. FakeRuntime is a test double.
import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Resources } from '@k8ts/shared';
import { createPod, getPod, podFor, statusColumn, startEnv, startKubelet, waitForEvent, waitForStatus, type Env, type TestKubelet } from '../testing/harness.js';

let env: Env;
let k: TestKubelet;
before(async () => {
  env = await startEnv();
  k = await startKubelet(env);
  // seeds/001: app-config and db-credentials
  await env.client.create(Resources.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', namespace: 'default' },
    data: { LOG_LEVEL: 'info', APP_ENV: 'production', API_BASE_URL: 'https://api.example.com', CACHE_TTL: '3600' } });
  await env.client.create(Resources.secrets, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db-credentials', namespace: 'default' }, type: 'Opaque',
    data: { DB_HOST: 'bG9jYWxob3N0', DB_PORT: 'NTQzMg==', DB_USER: 'YWRtaW4=', DB_PASSWORD: 'c2VjdXJlX3Bhc3M=' } });
});
after(async () => { await k.stop(); await env.stop(); });

const envOf = (p: any, name: string): Record<string, string> => {
  const id = p.status.containerStatuses.find((s: any) => s.name === name).containerID.slice('containerd://'.length);
  return Object.fromEntries(k.runtime.lastConfigs.get(id)!.env.map((e) => [e.name, e.value]));
};

test('seeds/001 pod: env from ConfigMap and Secret keys', async () => {
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'app-container', image: 'my-app-image:latest', env: [
    { name: 'LOG_LEVEL', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'LOG_LEVEL' } } },
    { name: 'APP_ENV', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'APP_ENV' } } },
    { name: 'DB_USER', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'DB_USER' } } },
    { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db-credentials', key: 'DB_PASSWORD' } } },
  ] }] }, 'app'));
  const p = await waitForStatus(env, pod, 'Running');
  const e = envOf(p, 'app-container');
  assert.equal(e.LOG_LEVEL, 'info');
  assert.equal(e.APP_ENV, 'production');
  assert.equal(e.DB_USER, 'admin');
  assert.equal(e.DB_PASSWORD, 'secure_pass');
  // service links: the default/kubernetes Service (443/TCP)
  assert.match(e.KUBERNETES_SERVICE_HOST!, /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(e.KUBERNETES_SERVICE_PORT, '443');
  assert.equal(e.KUBERNETES_PORT, `tcp://${e.KUBERNETES_SERVICE_HOST}:443`);
  assert.equal(e.KUBERNETES_PORT_443_TCP_PROTO, 'tcp');
});

test('envFrom with prefix, fieldRef, $(VAR) expansion, optional missing refs are skipped', async () => {
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox',
    envFrom: [{ configMapRef: { name: 'app-config' }, prefix: 'CFG_' }, { secretRef: { name: 'db-credentials' } }, { configMapRef: { name: 'absent', optional: true } }],
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'POD_UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
      { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
      { name: 'POD_IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
      { name: 'HOST_IP', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      { name: 'APP', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
      { name: 'URL', value: '$(DB_HOST):$(DB_PORT)/$(UNDEFINED)' },
      { name: 'MAYBE', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'NOPE', optional: true } } },
      { name: 'MEM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
    ],
    resources: { limits: { memory: '128Mi' } },
  }] }, 'envfrom', 'default', { app: 'demo' }));
  const p = await waitForStatus(env, pod, 'Running');
  const e = envOf(p, 'c');
  assert.equal(e.CFG_LOG_LEVEL, 'info');
  assert.equal(e.DB_HOST, 'localhost');
  assert.equal(e.POD_NAME, 'envfrom');
  assert.equal(e.POD_NS, 'default');
  assert.equal(e.POD_UID, p.metadata.uid);
  assert.equal(e.NODE, k.nodeName);
  assert.equal(e.POD_IP, p.status.podIP);
  assert.equal(e.HOST_IP, '127.0.0.1');
  assert.equal(e.APP, 'demo');
  assert.equal(e.URL, 'localhost:5432/$(UNDEFINED)');
  assert.equal('MAYBE' in e, false);
  assert.equal(e.MEM, '128');
});

test('a missing ConfigMap key → CreateContainerConfigError with a clear message and a Warning event; fixed → Running', async () => {
  const pod = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox', env: [
    { name: 'X', valueFrom: { configMapKeyRef: { name: 'app-config', key: 'MISSING_KEY' } } },
  ] }] }, 'missing-key'));
  const p = await waitForStatus(env, pod, 'CreateContainerConfigError');
  assert.equal(p.status.containerStatuses[0].state.waiting.message, "couldn't find key MISSING_KEY in ConfigMap default/app-config");
  const ev = await waitForEvent(env, pod, 'Failed', /^Error: couldn't find key MISSING_KEY in ConfigMap default\/app-config$/);
  assert.equal(ev.type, 'Warning');
  const missingCm = await createPod(env, podFor(k.nodeName, { containers: [{ name: 'c', image: 'busybox', env: [
    { name: 'X', valueFrom: { configMapKeyRef: { name: 'later', key: 'K' } } },
  ] }] }, 'missing-cm'));
  const m = await waitForStatus(env, missingCm, 'CreateContainerConfigError');
  assert.equal(m.status.containerStatuses[0].state.waiting.message, 'configmap "later" not found');
  // creating the ConfigMap lets the retry succeed
  await env.client.create(Resources.configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'later', namespace: 'default' }, data: { K: 'v' } });
  await waitForStatus(env, missingCm, 'Running');
});

test('configMap/secret volumes are projected as files (items, defaultMode); emptyDir exists; missing ConfigMap → FailedMount', async () => {
  const pod = await createPod(env, podFor(k.nodeName, {
    volumes: [
      { name: 'cfg', configMap: { name: 'app-config', items: [{ key: 'LOG_LEVEL', path: 'conf/level' }], defaultMode: 0o600 } },
      { name: 'sec', secret: { secretName: 'db-credentials' } },
      { name: 'scratch', emptyDir: {} },
    ],
    containers: [{ name: 'c', image: 'busybox', volumeMounts: [
      { name: 'cfg', mountPath: '/etc/cfg' }, { name: 'sec', mountPath: '/etc/sec' }, { name: 'scratch', mountPath: '/data' },
    ] }],
  }, 'vols'));
  const p = await waitForStatus(env, pod, 'Running');
  const id = p.status.containerStatuses[0].containerID.slice(13);
  const mounts = k.runtime.lastConfigs.get(id)!.mounts;
  const m = (path: string) => mounts.find((x) => x.containerPath === path)!;
  assert.equal(await readFile(join(m('/etc/cfg').hostPath, 'conf/level'), 'utf8'), 'info');
  assert.equal((await stat(join(m('/etc/cfg').hostPath, 'conf/level'))).mode & 0o777, 0o600);
  assert.equal(m('/etc/cfg').readOnly, true);
  assert.equal(await readFile(join(m('/etc/sec').hostPath, 'DB_PASSWORD'), 'utf8'), 'secure_pass');
  assert.equal((await stat(m('/data').hostPath)).isDirectory(), true);
  assert.ok(m('/data').hostPath.startsWith(join(k.rootDir, 'pods', p.metadata.uid!)));

  const bad = await createPod(env, podFor(k.nodeName, { volumes: [{ name: 'cfg', configMap: { name: 'nonexistent' } }],
    containers: [{ name: 'c', image: 'busybox', volumeMounts: [{ name: 'cfg', mountPath: '/x' }] }] }, 'bad-vol'));
  await waitForEvent(env, bad, 'FailedMount', /^MountVolume.SetUp failed for volume "cfg" : configmap "nonexistent" not found$/);
  const b = await getPod(env, bad);
  assert.equal(b.status.phase, 'Pending');
  assert.equal(b.status.containerStatuses[0].state.waiting.reason, 'ContainerCreating');
  assert.equal(statusColumn(b), 'ContainerCreating');
});
