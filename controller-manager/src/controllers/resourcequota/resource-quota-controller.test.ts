// The resource quota controller end to end: real etcd, the real apiserver in-process (with
// its ResourceQuota admission), and the controller-manager running only this controller.
// Ends with the real kubectl: `describe quota` and a refused `create -f`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, createLogger, isStatusError, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { start, type ControllerManager } from '../../controller-manager.js';
import { eventually } from '../../testing/poll.js';

const logger = createLogger('resourcequota-controller-test', process.env.TEST_LOG_LEVEL ?? 'silent');

let t: TestApiServer;
let client: ApiClient;
let cm: ControllerManager;
let dir = '';

before(async () => {
  t = await startTestApiServer();
  client = new ApiClient({ server: t.api.url });
  cm = await start({ connection: { server: t.api.url }, logger, port: null, leaderElect: false, controllers: ['resourcequota'] });
  dir = await mkdtemp(join(tmpdir(), 'k8ts-quota-'));
});
after(async () => {
  await cm?.close();
  await client?.close();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const SEED_QUOTA = { pods: '10', 'requests.cpu': '4', 'requests.memory': '5Gi', 'limits.cpu': '10', 'limits.memory': '10Gi' };
const pod = (name: string, ns: string, cpu = '500m'): KubeObject => ({
  metadata: { name, namespace: ns },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: { requests: { cpu, memory: '128Mi' }, limits: { cpu, memory: '128Mi' } } }] },
});
const status = async (ns: string, name: string) => (await client.get(Resources.resourcequotas, ns, name)).status;
const usedIs = (ns: string, name: string, want: Record<string, string>) =>
  eventually(async () => {
    const used = (await status(ns, name))?.used ?? {};
    return Object.entries(want).every(([k, v]) => used[k] === v) ? used : undefined;
  }, `${ns}/${name} used ⊇ ${JSON.stringify(want)}`);

describe('resourcequota controller', () => {
  it('fills status.hard and status.used for the seed quota, counting what already exists', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'dev' } });
    await client.create(Resources.pods, pod('before', 'dev'));
    await client.create(Resources.resourcequotas, { metadata: { name: 'compute-quota', namespace: 'dev' }, spec: { hard: SEED_QUOTA } });
    const s = await eventually(async () => { const st = await status('dev', 'compute-quota'); return st?.used ? st : undefined; }, 'status computed');
    assert.deepEqual(s.hard, SEED_QUOTA);
    assert.deepEqual(s.used, { 'limits.cpu': '500m', 'limits.memory': '128Mi', pods: '1', 'requests.cpu': '500m', 'requests.memory': '128Mi' });
  });

  it('admission charges creates; the controller gives back deleted and finished pods', async () => {
    await client.create(Resources.pods, pod('a', 'dev', '1'));
    await client.create(Resources.pods, pod('b', 'dev', '1'));
    assert.deepEqual((await status('dev', 'compute-quota'))?.used, { 'limits.cpu': '2500m', 'limits.memory': '384Mi', pods: '3', 'requests.cpu': '2500m', 'requests.memory': '384Mi' });
    await client.delete(Resources.pods, 'dev', 'a');
    await usedIs('dev', 'compute-quota', { pods: '2', 'requests.cpu': '1500m', 'requests.memory': '256Mi' });
    const b = await client.get(Resources.pods, 'dev', 'b');
    await client.updateStatus(Resources.pods, { ...b, status: { ...b.status, phase: 'Succeeded' } });
    await usedIs('dev', 'compute-quota', { pods: '1', 'requests.cpu': '500m' });
  });

  it('a spec.hard change is recounted; counts for configmaps and count/deployments.apps', async () => {
    const q = await client.get(Resources.resourcequotas, 'dev', 'compute-quota');
    await client.update(Resources.resourcequotas, { ...q, spec: { hard: { ...SEED_QUOTA, configmaps: '5', 'count/deployments.apps': '3' } } });
    await client.create(Resources.configmaps, { metadata: { name: 'c', namespace: 'dev' }, data: {} });
    await usedIs('dev', 'compute-quota', { configmaps: '1', 'count/deployments.apps': '0' });
    await client.delete(Resources.configmaps, 'dev', 'c');
    await usedIs('dev', 'compute-quota', { configmaps: '0' });
  });

  it('a service going back from NodePort to ClusterIP gives its node ports back', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'svc' } });
    await client.create(Resources.resourcequotas, { metadata: { name: 'np', namespace: 'svc' }, spec: { hard: { 'services.nodeports': '2', services: '5' } } });
    await usedIs('svc', 'np', { 'services.nodeports': '0' });
    const s = await client.create(Resources.services, { metadata: { name: 'web', namespace: 'svc' }, spec: { type: 'NodePort', ports: [{ name: 'a', port: 80 }, { name: 'b', port: 81 }] } });
    assert.equal((await status('svc', 'np'))?.used?.['services.nodeports'], '2');
    const back = { ...s, spec: { ...s.spec, type: 'ClusterIP' } };
    for (const p of back.spec.ports as Array<Record<string, unknown>>) delete p.nodePort;
    await client.update(Resources.services, back);
    await usedIs('svc', 'np', { 'services.nodeports': '0', services: '1' });
  });

  it('never exceeds under 20 concurrent creates while the controller runs', async () => {
    await client.create(Resources.namespaces, { metadata: { name: 'race' } });
    await client.create(Resources.resourcequotas, { metadata: { name: 'five', namespace: 'race' }, spec: { hard: { pods: '5' } } });
    await usedIs('race', 'five', { pods: '0' });
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => client.create(Resources.pods, { metadata: { name: `p${i}`, namespace: 'race' }, spec: { containers: [{ name: 'c', image: 'x' }] } })));
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 5);
    for (const r of results) if (r.status === 'rejected') assert.ok(isStatusError(r.reason) && r.reason.status.code === 403);
    assert.equal((await client.list(Resources.pods, { namespace: 'race' })).items.length, 5);
    await usedIs('race', 'five', { pods: '5' });
  });
});

// ---------------------------------------------------------------- the real kubectl

const NO_KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 }).status === 0 ? false : 'kubectl is not installed';

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000, cwd: dir }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('kubectl and quotas', { skip: NO_KUBECTL }, () => {
  it('describe quota shows used/hard; create -f over quota prints the upstream error', async () => {
    await writeFile(join(dir, 'kubeconfig'), [
      'apiVersion: v1', 'kind: Config', 'current-context: t',
      'clusters: [{name: t, cluster: {server: "' + t.api.url + '"}}]',
      'users: [{name: t, user: {}}]', 'contexts: [{name: t, context: {cluster: t, user: t}}]', '',
    ].join('\n'));
    await client.create(Resources.namespaces, { metadata: { name: 'kc' } });
    await writeFile(join(dir, 'resource-quota-definition.yml'), [
      'apiVersion: v1', 'kind: ResourceQuota', 'metadata:', '  name: compute-quota', '  namespace: kc', 'spec:', '  hard:',
      '    pods: "10"', '    requests.cpu: "4"', '    requests.memory: 5Gi', '    limits.cpu: "10"', '    limits.memory: 10Gi', '',
    ].join('\n'));
    const applied = await kubectl(['apply', '-f', 'resource-quota-definition.yml']);
    assert.equal(applied.code, 0, applied.stderr);
    await usedIs('kc', 'compute-quota', { pods: '0' });
    const described = await kubectl(['describe', 'resourcequota', 'compute-quota', '-n', 'kc']);
    assert.equal(described.code, 0, described.stderr);
    assert.match(described.stdout, /Name:\s+compute-quota/);
    assert.match(described.stdout, /Namespace:\s+kc/);
    assert.match(described.stdout, /Resource\s+Used\s+Hard/);
    assert.match(described.stdout, /requests\.memory\s+0\s+5Gi/);
    assert.match(described.stdout, /pods\s+0\s+10/);

    await writeFile(join(dir, 'pod.yaml'), [
      'apiVersion: v1', 'kind: Pod', 'metadata:', '  name: big', '  namespace: kc', 'spec:', '  containers:', '  - name: app', '    image: nginx',
      '    resources:', '      requests: {cpu: "5", memory: 1Gi}', '      limits: {cpu: "5", memory: 1Gi}', '',
    ].join('\n'));
    const refused = await kubectl(['create', '-f', 'pod.yaml']);
    assert.notEqual(refused.code, 0);
    assert.equal(refused.stderr.trim(), 'Error from server (Forbidden): error when creating "pod.yaml": pods "big" is forbidden: exceeded quota: compute-quota, requested: requests.cpu=5, used: requests.cpu=0, limited: requests.cpu=4');
    await writeFile(join(dir, 'bare.yaml'), ['apiVersion: v1', 'kind: Pod', 'metadata:', '  name: bare', '  namespace: kc', 'spec:', '  containers:', '  - name: app', '    image: nginx', ''].join('\n'));
    const bare = await kubectl(['create', '-f', 'bare.yaml']);
    assert.match(bare.stderr, /pods "bare" is forbidden: failed quota: compute-quota: must specify limits\.cpu for: app; limits\.memory for: app; requests\.cpu for: app; requests\.memory for: app/);
    const ok = await kubectl(['run', 'small', '-n', 'kc', '--image=nginx', '--overrides', JSON.stringify({ spec: { containers: [{ name: 'small', image: 'nginx', resources: { requests: { cpu: '1', memory: '64Mi' }, limits: { cpu: '1', memory: '64Mi' } } }] } })]);
    assert.equal(ok.code, 0, ok.stderr);
    const after = await kubectl(['describe', 'quota', '-n', 'kc']);
    assert.match(after.stdout, /requests\.cpu\s+1\s+4/);
    assert.match(after.stdout, /pods\s+1\s+10/);
  });
});
