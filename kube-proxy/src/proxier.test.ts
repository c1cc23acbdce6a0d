// kube-proxy end to end against the real apiserver, applying real iptables rules inside a
// throwaway network namespace, with real traffic from the "node" to a "pod".
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { startKubeProxy, type KubeProxy } from './proxier.js';
import { canUseNetns, nodeAndPod } from './testing/netns.js';

const skip = canUseNetns();

describe('kube-proxy syncs Services and Endpoints into the kernel', { skip }, () => {
  let t: TestApiServer;
  let client: ApiClient;
  let proxy: KubeProxy;
  let env: ReturnType<typeof nodeAndPod>;
  before(async () => {
    t = await startTestApiServer();
    client = new ApiClient({ server: t.api.url });
    env = nodeAndPod();
    env.pod.spawn(['node', '-e', "require('http').createServer((q,s)=>s.end('pod-ok')).listen(8080)"]);
    proxy = await startKubeProxy({ connection: { server: t.api.url }, iptables: env.node.runner, healthPort: 0, minSyncPeriodMs: 50 });
  });
  after(async () => { await proxy?.close(); await client?.close(); env?.destroy(); await t?.stop(); });

  const curl = (url: string) => env.node.exec(['curl', '-s', '--max-time', '2', url], { allowFail: true });
  async function until(what: string, fn: () => boolean | Promise<boolean>, ms = 15_000): Promise<void> {
    const end = Date.now() + ms;
    while (!(await fn())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('ClusterIP with a named targetPort follows its Endpoints; deleting the Service removes its rules; /healthz reports the sync', async () => {
    const svc: KubeObject = await client.create<KubeObject>(Resources.services, {
      metadata: { name: 'web', namespace: 'default' },
      spec: { type: 'NodePort', selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] },
    });
    const ip = svc.spec.clusterIP as string;
    const nodePort = svc.spec.ports[0].nodePort as number;
    // no endpoints yet: refused at once
    await until('REJECT for a service without endpoints', () => /^EXIT 7/.test(curl(`http://${ip}/`)));
    await client.create(Resources.endpoints, {
      metadata: { name: 'web', namespace: 'default' },
      subsets: [{ addresses: [{ ip: env.podIP }], ports: [{ name: 'http', port: 8080 }] }],
    });
    await until('ClusterIP traffic to reach the pod', () => curl(`http://${ip}/`) === 'pod-ok');
    assert.equal(curl(`http://${env.nodeIP}:${nodePort}/`), 'pod-ok');

    const health = await fetch(`http://127.0.0.1:${proxy.healthPort}/healthz`);
    assert.equal(health.status, 200);
    const h = await health.json() as { lastUpdated: string };
    assert.ok(Date.parse(h.lastUpdated) > 0);
    const metrics = await (await fetch(`http://127.0.0.1:${proxy.healthPort}/metrics`)).text();
    assert.match(metrics, /kubeproxy_sync_proxy_rules_last_timestamp_seconds \d/);
    assert.match(metrics, /kubeproxy_network_programming_duration_seconds_count [1-9]/);

    await client.delete(Resources.services, 'default', 'web');
    // (the `kubernetes` Service's own chains stay)
    await until('the service chains to go', () => !/default\/web/.test(env.node.exec(['iptables-save', '-t', 'nat'])));
    assert.doesNotMatch(curl(`http://${ip}/`), /pod-ok/);
  });
});
