// The real kubectl against the real apiserver with these controllers running:
// `kubectl get endpoints` shows the pod addresses the endpoints controller wrote, and
// `kubectl describe node` shows the conditions, taints, podCIDR and lease after the node
// lifecycle controller marked a silent node Unknown.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Resources } from '@k8ts/shared';
import { eventually } from '../testing/poll.js';
import { createPodWithStatus, ensureNamespace, readyStatus, startTestCluster, type TestCluster } from '../testing/cluster.js';
import { FakeKubelet } from '../testing/fake-kubelet.js';

const NO_KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 }).status === 0 ? false : 'kubectl is not installed';

let c: TestCluster;
let k: FakeKubelet;
let k2: FakeKubelet;
let dir = '';

function kubectl(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--server', c.url, '--cache-dir', join(dir, 'cache'), ...args], { timeout: 30_000, env: { ...process.env, KUBECONFIG: join(dir, 'none') } },
      (err, stdout, stderr) => resolve({ code: err ? (typeof (err as any).code === 'number' ? (err as any).code : -1) : 0, stdout: String(stdout), stderr: String(stderr) }));
  });
}

describe('kubectl with the node and endpoints controllers', { skip: NO_KUBECTL }, () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-kubectl-nodes-'));
    c = await startTestCluster(['endpoint', 'nodelifecycle', 'taint-eviction-controller', 'nodeipam'], {
      nodeMonitorPeriodMs: 200, nodeMonitorGracePeriodMs: 2_000, nodeStartupGracePeriodMs: 2_000,
    });
    await ensureNamespace(c.client, 'web');
    k = new FakeKubelet(c.client, 'worker-1');
    await k.register();
    // a second, healthy node keeps the cluster out of "no node is Ready" disruption mode
    k2 = new FakeKubelet(c.client, 'worker-2');
    await k2.register();
  });
  after(async () => {
    k?.pause();
    k2?.pause();
    await c?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('kubectl get endpoints lists the ready pod addresses', async () => {
    await c.client.create(Resources.services, { metadata: { name: 'nginx', namespace: 'web' }, spec: { selector: { app: 'nginx' }, ports: [{ port: 80, targetPort: 8080 }] } });
    for (const [i, ip] of ['10.244.0.5', '10.244.0.6'].entries()) {
      await createPodWithStatus(c.client, {
        metadata: { name: `nginx-${i}`, namespace: 'web', labels: { app: 'nginx' } },
        spec: { nodeName: 'worker-1', containers: [{ name: 'nginx', image: 'nginx', ports: [{ containerPort: 8080 }] }] },
      }, readyStatus(ip));
    }
    const out = await eventually(async () => {
      const r = await kubectl(['get', 'endpoints', 'nginx', '-n', 'web']);
      return r.code === 0 && r.stdout.includes('10.244.0.6:8080') ? r.stdout : undefined;
    }, 'kubectl get endpoints shows both pods');
    assert.match(out, /^NAME\s+ENDPOINTS\s+AGE/m);
    assert.match(out, /^nginx\s+10\.244\.0\.5:8080,10\.244\.0\.6:8080\s/m);
    const yaml = await kubectl(['get', 'ep', 'nginx', '-n', 'web', '-o', 'jsonpath={.subsets[0].addresses[*].targetRef.name}']);
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.equal(yaml.stdout, 'nginx-0 nginx-1');
  });

  it('kubectl describe node shows Unknown conditions, taints, PodCIDR and the lease', async () => {
    await eventually(async () => (await c.client.get(Resources.nodes, undefined, 'worker-1')).spec?.podCIDR, 'podCIDR assigned');
    k.pause();
    await eventually(async () => {
      const n = await c.client.get(Resources.nodes, undefined, 'worker-1');
      return (n.spec?.taints ?? []).some((t: any) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute');
    }, 'worker-1 tainted unreachable', { timeoutMs: 30_000 });
    const r = await kubectl(['describe', 'node', 'worker-1']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^Name:\s+worker-1$/m);
    assert.match(r.stdout, /node\.kubernetes\.io\/unreachable:NoExecute/);
    assert.match(r.stdout, /node\.kubernetes\.io\/unreachable:NoSchedule/);
    assert.match(r.stdout, /Ready\s+Unknown\s.*NodeStatusUnknown\s+Kubelet stopped posting node status\./);
    assert.match(r.stdout, /^PodCIDR:\s+10\.244\.\d+\.0\/24$/m);
    assert.match(r.stdout, /HolderIdentity:\s+worker-1/);
    assert.match(r.stdout, /nginx-0/);
    const get = await kubectl(['get', 'nodes']);
    assert.match(get.stdout, /^worker-1\s+NotReady\s/m);
    assert.match(get.stdout, /^worker-2\s+Ready\s/m);
  });
});
