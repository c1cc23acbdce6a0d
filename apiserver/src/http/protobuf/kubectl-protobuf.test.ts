// kubectl 1.33 (which sends protobuf for `kubectl create <kind>`) against the real apiserver.
// Skipped when the pinned kubectl.1.33 is not installed.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiClient, Resources } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '../../testing/test-server.js';

const KUBECTL_133 = (() => {
  try { return join(dirname(realpathSync('/usr/bin/kubectl')), 'kubectl.1.33'); } catch { return ''; }
})();
const SKIP = KUBECTL_133 && existsSync(KUBECTL_133) ? false : 'kubectl.1.33 is not installed';

let t: TestApiServer;
let client: ApiClient;
let dir = '';

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(KUBECTL_133, ['--kubeconfig', join(dir, 'kubeconfig'), '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

describe('kubectl 1.33 protobuf bodies', { skip: SKIP }, () => {
  before(async () => {
    t = await startTestApiServer();
    client = new ApiClient({ server: t.api.url });
    dir = await mkdtemp(join(tmpdir(), 'k8ts-pb-'));
    await writeFile(join(dir, 'kubeconfig'), `apiVersion: v1\nkind: Config\ncurrent-context: t\nclusters: [{name: t, cluster: {server: "${t.api.url}"}}]\nusers: [{name: t, user: {}}]\ncontexts: [{name: t, context: {cluster: t, user: t}}]\n`);
  });
  after(async () => {
    await client?.close();
    await t?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('create namespace, configmap, secret, deployment, service, quota', async () => {
    const cmds = [
      ['create', 'namespace', 'pb'],
      ['create', 'configmap', 'app-config', '-n', 'pb', '--from-literal=LOG_LEVEL=info', '--from-literal=APP_ENV=production'],
      ['create', 'secret', 'generic', 'db-credentials', '-n', 'pb', '--from-literal=DB_USER=admin'],
      ['create', 'deployment', 'nginx', '-n', 'pb', '--image=nginx', '--replicas=0', '--port=80'],
      ['create', 'service', 'nodeport', 'web', '-n', 'pb', '--tcp=80:8080', '--node-port=30008'],
      ['create', 'quota', 'compute-quota', '-n', 'pb', '--hard=pods=10,requests.cpu=4,requests.memory=5Gi'],
    ];
    for (const c of cmds) {
      const r = await kubectl(c);
      assert.equal(r.code, 0, `${c.join(' ')}: ${r.stderr}`);
    }
    assert.deepEqual((await client.get(Resources.configmaps, 'pb', 'app-config')).data, { APP_ENV: 'production', LOG_LEVEL: 'info' });
    assert.deepEqual((await client.get(Resources.secrets, 'pb', 'db-credentials')).data, { DB_USER: Buffer.from('admin').toString('base64') });
    const d = await client.get(Resources.deployments, 'pb', 'nginx');
    assert.equal(d.spec?.replicas, 0);
    assert.deepEqual(d.spec?.template?.spec?.containers?.[0]?.ports, [{ containerPort: 80, protocol: 'TCP' }]);
    const s = await client.get(Resources.services, 'pb', 'web');
    assert.equal(s.spec?.ports?.[0]?.nodePort, 30008);
    assert.deepEqual((await client.get(Resources.resourcequotas, 'pb', 'compute-quota')).spec?.hard, { pods: '10', 'requests.cpu': '4', 'requests.memory': '5Gi' });
  });

  it('scale to 2 and back to 0; run a pod', async () => {
    for (const n of [2, 0]) {
      const r = await kubectl(['scale', 'deployment', 'nginx', '-n', 'pb', `--replicas=${n}`]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await client.get(Resources.deployments, 'pb', 'nginx')).spec?.replicas, n);
    }
    const r = await kubectl(['run', 'box', '-n', 'pb', '--image=busybox', '--labels=app=box', '--env=A=1', '--', 'sleep', '3600']);
    assert.equal(r.code, 0, r.stderr);
    const p = await client.get(Resources.pods, 'pb', 'box');
    assert.deepEqual(p.spec?.containers?.[0]?.args, ['sleep', '3600']);
    assert.deepEqual(p.spec?.containers?.[0]?.env, [{ name: 'A', value: '1' }]);
  });
});
