import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DEFAULT_CLUSTER_CONFIG } from './cluster-config.js';
import { componentTable } from './components.js';
import { stateLayout } from './state-layout.js';

describe('componentTable', () => {
  const layout = stateLayout('/s');
  const table = componentTable({
    repoRoot: '/repo', layout, nodeBin: '/usr/bin/node', etcdBin: 'etcd', caPem: 'CA',
    config: { ...DEFAULT_CLUSTER_CONFIG, apiserverPort: 7443, etcdPort: 3379, controllerManagerPort: 11257 },
  });

  it('starts etcd, the apiserver, the controller-manager and the scheduler, then the node side', () => {
    assert.deepEqual(table.map((c) => c.name), [
      'etcd', 'apiserver', 'controller-manager', 'scheduler', 'containerd', 'kube-proxy', 'dns', 'kubelet-node-1', 'kubelet-node-2',
    ]);
    const cpOnly = componentTable({
      repoRoot: '/repo', layout, nodeBin: '/usr/bin/node', etcdBin: 'etcd', config: { ...DEFAULT_CLUSTER_CONFIG, nodeNames: [] },
    });
    assert.deepEqual(cpOnly.map((c) => c.name), ['etcd', 'apiserver', 'controller-manager', 'scheduler']);
  });

  it('puts K8TS_NODE_ARGS before the main script of every Node component, and nowhere else', () => {
    const saved = process.env.K8TS_NODE_ARGS;
    process.env.K8TS_NODE_ARGS = ' --cpu-prof  --cpu-prof-dir=/tmp/p ';
    try {
      const t = componentTable({ repoRoot: '/repo', layout, nodeBin: '/usr/bin/node', etcdBin: 'etcd', config: DEFAULT_CLUSTER_CONFIG });
      for (const c of t) {
        if (c.command === '/usr/bin/node') assert.deepEqual(c.args.slice(0, 3).map((a, i) => (i === 2 ? a.endsWith('/main.js') : a)), ['--cpu-prof', '--cpu-prof-dir=/tmp/p', true], c.name);
        else assert.ok(!c.args.includes('--cpu-prof'), c.name);
      }
    } finally {
      if (saved === undefined) delete process.env.K8TS_NODE_ARGS; else process.env.K8TS_NODE_ARGS = saved;
    }
    assert.ok(!table.some((c) => c.args.includes('--cpu-prof')));
  });

  it('limits K8TS_NODE_ARGS to the components K8TS_NODE_ARGS_FOR names', () => {
    const saved = [process.env.K8TS_NODE_ARGS, process.env.K8TS_NODE_ARGS_FOR] as const;
    process.env.K8TS_NODE_ARGS = '--cpu-prof';
    process.env.K8TS_NODE_ARGS_FOR = 'kubelet,scheduler';
    try {
      const t = componentTable({ repoRoot: '/repo', layout, nodeBin: '/usr/bin/node', etcdBin: 'etcd', config: DEFAULT_CLUSTER_CONFIG });
      const profiled = t.filter((c) => c.args.includes('--cpu-prof')).map((c) => c.name).sort();
      assert.deepEqual(profiled, [...t.filter((c) => c.name.startsWith('kubelet-')).map((c) => c.name), 'scheduler'].sort());
    } finally {
      if (saved[0] === undefined) delete process.env.K8TS_NODE_ARGS; else process.env.K8TS_NODE_ARGS = saved[0];
      if (saved[1] === undefined) delete process.env.K8TS_NODE_ARGS_FOR; else process.env.K8TS_NODE_ARGS_FOR = saved[1];
    }
  });

  it('gives each kubelet its own ports, containerd namespace, serving certificate and the cluster DNS', () => {
    const k2 = table.find((c) => c.name === 'kubelet-node-2')!;
    for (const a of ['--hostname-override=node-2', '--containerd-namespace=k8ts-node-2', '--port=10260', '--healthz-port=10258',
      '--tls-cert-file=/s/pki/kubelet-node-2.crt', '--client-ca-file=/s/pki/ca.crt', '--cluster-dns=10.96.0.10',
      '--container-runtime-endpoint=unix:///s/containerd/containerd.sock', '--kubeconfig=/s/kubeconfigs/node-node-2.kubeconfig']) {
      assert.ok(k2.args.includes(a), a);
    }
    assert.deepEqual(k2.ports, [10260, 10258]);
    assert.equal(typeof k2.beforeStart, 'function');
    const dns = table.find((c) => c.name === 'dns')!;
    assert.ok(dns.args.includes('--bind-address=169.254.20.10') && dns.args.includes('--cluster-ip=10.96.0.10'));
  });

  it('runs the controller-manager with its own kubeconfig, leader election and a loopback health port', () => {
    const cm = table.find((c) => c.name === 'controller-manager')!;
    assert.equal(cm.command, '/usr/bin/node');
    assert.deepEqual(cm.args, [
      '/repo/controller-manager/dist/main.js',
      '--kubeconfig=/s/kubeconfigs/controller-manager.kubeconfig',
      '--leader-elect=true',
      '--bind-address=127.0.0.1',
      '--port=11257',
      '--cluster-cidr=10.244.0.0/16',
    ]);
    assert.deepEqual(cm.readiness, { url: 'http://127.0.0.1:11257/readyz' });
    assert.deepEqual(cm.ports, [11257]);
  });

  it('runs etcd on loopback with its data in the state dir and the peer port next to the client port', () => {
    const etcd = table[0]!;
    const arg = (f: string) => etcd.args[etcd.args.indexOf(f) + 1];
    assert.equal(arg('--data-dir'), '/s/etcd');
    assert.equal(arg('--listen-client-urls'), 'http://127.0.0.1:3379');
    assert.equal(arg('--listen-peer-urls'), 'http://127.0.0.1:3380');
    assert.equal(arg('--initial-cluster'), 'k8ts=http://127.0.0.1:3380');
    assert.deepEqual(etcd.ports, [3379, 3380]);
    assert.equal(etcd.readiness.url, 'http://127.0.0.1:3379/health');
  });

  it('passes the apiserver the flag contract and checks /readyz over CA-verified https', () => {
    const api = table[1]!;
    assert.equal(api.command, '/usr/bin/node');
    assert.deepEqual(api.args, [
      '/repo/apiserver/dist/main.js',
      '--etcd-servers=http://127.0.0.1:3379',
      '--bind-address=127.0.0.1',
      '--secure-port=7443',
      '--tls-cert-file=/s/pki/apiserver.crt',
      '--tls-private-key-file=/s/pki/apiserver.key',
      '--client-ca-file=/s/pki/ca.crt',
      '--token-auth-file=/s/tokens.csv',
      '--service-cluster-ip-range=10.96.0.0/16',
      '--service-node-port-range=30000-32767',
      '--advertise-address=127.0.0.1',
      '--kubelet-client-certificate=/s/pki/apiserver-kubelet-client.crt',
      '--kubelet-client-key=/s/pki/apiserver-kubelet-client.key',
      '--kubelet-certificate-authority=/s/pki/ca.crt',
    ]);
    assert.deepEqual(api.readiness, { url: 'https://127.0.0.1:7443/readyz', ca: 'CA' });
    assert.deepEqual(api.requires.map((r) => r.file), ['/repo/apiserver/dist/main.js']);
  });

  it('gives every component markers specific to this state dir', () => {
    for (const c of table) {
      assert.ok(c.markers.some((m) => m.includes('/s/')), c.name);
      for (const m of c.markers) assert.ok([c.command, ...c.args].join('\0').includes(m), `${c.name} marker ${m}`);
    }
  });
});
