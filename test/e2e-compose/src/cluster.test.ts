// End-to-end suite of the Compose deployment (docker-compose.yml + docker-compose.e2e.yml),
// driven from the host with the real kubectl, curl and docker. Run by scripts/test.sh
// (last, after starting dockerd if needed) unless K8TS_COMPOSE_E2E=0.
//
// Ordering: the tests run in file order and build on each other (one cluster for the file).
// before(): `compose:down --volumes` then `compose:up` with the e2e override (fresh state),
// unless K8TS_COMPOSE_E2E_REUSE=1. after(): deletes the test namespace, then `compose:down
// --volumes` unless K8TS_COMPOSE_E2E_KEEP=1.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  KUBECONFIG, NODES, compose, containerHealth, containerHostname, containerIp, curl, kubectl, kubectlJson,
  kubectlTry, must, pods, readyNodeNames, run, serviceContainers, waitFor,
} from './harness.js';

const NS = 'e2e-compose';
const WEB = 'app=web';
const reuse = process.env.K8TS_COMPOSE_E2E_REUSE === '1';
const keep = process.env.K8TS_COMPOSE_E2E_KEEP === '1';
const env = { K8TS_COMPOSE_FILES: 'docker-compose.e2e.yml', K8TS_NODES: String(NODES) };

/** A test skipped at run time for a reason known only then (`need` returns the reason). */
function testIf(name: string, need: () => string | false, fn: () => Promise<void>): void {
  test(name, async (t) => {
    const why = need();
    if (why) { t.skip(why); return; }
    await fn();
  });
}

before(async () => {
  if (!reuse) {
    await run('bash', ['compose/scripts/down.sh', '--volumes'], { env, timeoutMs: 120_000 });
    await must('bash', ['compose/scripts/up.sh'], { env, timeoutMs: 900_000 });
  }
}, { timeout: 960_000 });

after(async () => {
  await kubectlTry(['delete', 'namespace', NS, '--wait=false']);
  if (!keep && !reuse) await run('bash', ['compose/scripts/down.sh', '--volumes'], { env, timeoutMs: 120_000 });
}, { timeout: 180_000 });

test('control plane: services healthy, API answers on 127.0.0.1 with the written kubeconfig', async () => {
  for (const svc of ['etcd', 'apiserver', 'controller-manager-1', 'controller-manager-2', 'dns']) {
    const [id] = await serviceContainers(svc);
    assert.ok(id, `${svc} has a container`);
    await waitFor(`${svc} healthy`, async () => (await containerHealth(id!)) === 'healthy', 60_000);
  }
  assert.equal((await kubectl(['get', '--raw', '/readyz'])).trim(), 'ok');
  const cfg = await must('cat', [KUBECONFIG]);
  assert.match(cfg, /server: https:\/\/127\.0\.0\.1:\d+/);
  const leases = await kubectlJson<{ items: any[] }>(['-n', 'kube-system', 'get', 'leases']);
  assert.ok(leases.items.some((l) => l.metadata.name === 'kube-controller-manager' && l.spec?.holderIdentity), 'a controller-manager holds the lease');
});

test('node containers are healthy and route the cluster ranges locally', async () => {
  const ids = await serviceContainers('node');
  assert.equal(ids.length, NODES);
  for (const id of ids) {
    await waitFor('node container healthy', async () => (await containerHealth(id)) === 'healthy', 120_000);
    const routes = await must('docker', ['exec', id, 'ip', 'route']);
    assert.match(routes, /unreachable 10\.244\.0\.0\/16/, 'pod CIDR guard');
    assert.match(routes, /10\.96\.0\.0\/16/, 'service CIDR routed locally');
    assert.doesNotMatch(routes, /^10\.96\.\S+ via /m, 'service CIDR never via a gateway');
  }
});

test('all nodes Ready, each with a podCIDR', async () => {
  const names = await waitFor(`${NODES} Ready nodes`, async () => {
    const r = await readyNodeNames();
    return r.length >= NODES ? r : undefined;
  }, 180_000);
  assert.deepEqual(names.sort(), Array.from({ length: NODES }, (_, i) => `node-${i + 1}`).sort());
  const nodes = await kubectlJson<{ items: any[] }>(['get', 'nodes']);
  for (const n of nodes.items) assert.match(n.spec?.podCIDR ?? '', /^10\.244\.\d+\.0\/24$/);
});

test('namespaces: create, list, use', async () => {
  await kubectl(['create', 'namespace', NS]);
  const list = await kubectl(['get', 'namespaces', '-o', 'name']);
  for (const ns of ['namespace/default', 'namespace/kube-system', `namespace/${NS}`]) assert.ok(list.includes(ns), `${ns} listed`);
  const ns = await kubectlJson(['get', 'namespace', NS]);
  assert.equal(ns.status.phase, 'Active');
});

test('seeds: ConfigMap and Secret reach a pod\'s environment', async () => {
  await kubectl(['-n', NS, 'apply', '-f', 'test/e2e-compose/manifests/app-config.yaml']);
  const cm = await kubectlJson(['-n', NS, 'get', 'configmap', 'app-config']);
  assert.equal(cm.data.APP_ENV, 'production');
  const secret = await kubectlJson(['-n', NS, 'get', 'secret', 'db-credentials']);
  assert.equal(Buffer.from(secret.data.DB_PASSWORD, 'base64').toString(), 'secure_pass');
  await waitFor('pod app Running', async () => (await kubectlJson(['-n', NS, 'get', 'pod', 'app'])).status?.phase === 'Running', 120_000);
  const logs = await waitFor('env in the logs', async () => {
    const l = await kubectl(['-n', NS, 'logs', 'app']);
    return l.includes('DB_PASSWORD=') ? l : undefined;
  }, 60_000);
  for (const line of ['LOG_LEVEL=info', 'APP_ENV=production', 'DB_USER=admin', 'DB_PASSWORD=secure_pass']) {
    assert.ok(logs.split('\n').includes(line), `${line} in the pod's environment`);
  }
});

async function nodeIps(): Promise<string[]> {
  return Promise.all((await serviceContainers('node')).map(containerIp));
}

async function webReady(n: number): Promise<void> {
  await waitFor(`${n} ready web pods`, async () => {
    const p = (await pods(NS, WEB)).filter((x) => !x.deleting);
    return p.length === n && p.every((x) => x.ready);
  }, 240_000, 2_000);
}

async function nodePortAnswers(ip: string): Promise<boolean> {
  const r = await curl(`http://${ip}:32600/`);
  return r.status === 200 && /nginx/i.test(r.body);
}

test('nginx Deployment, 4 replicas behind NodePort 32600, answered via every node container', async () => {
  await kubectl(['-n', NS, 'apply', '-f', 'test/e2e-compose/manifests/web.yaml']);
  await kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=240s'], { timeoutMs: 250_000 });
  await webReady(4);
  const spread = new Set((await pods(NS, WEB)).map((p) => p.node));
  assert.ok(spread.size >= Math.min(2, NODES), `pods spread over nodes (${[...spread].join(', ')})`);
  for (const ip of await nodeIps()) {
    await waitFor(`NodePort 32600 on ${ip}`, () => nodePortAnswers(ip), 60_000);
    // Several requests: the random balancing reaches pods on this node and on the others.
    for (let i = 0; i < 8; i++) assert.ok(await nodePortAnswers(ip), `request ${i} via ${ip}`);
  }
});

test('scale up and down', async () => {
  await kubectl(['-n', NS, 'scale', 'deployment/web', '--replicas=6']);
  await webReady(6);
  await kubectl(['-n', NS, 'scale', 'deployment/web', '--replicas=4']);
  await webReady(4);
});

test('set image, rollout status, rollout undo', async () => {
  // Same content under another reference: a real rollout without a third image.
  await kubectl(['-n', NS, 'set', 'image', 'deployment/web', 'nginx=docker.io/library/nginx:latest']);
  await kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=240s'], { timeoutMs: 250_000 });
  await webReady(4);
  assert.ok((await pods(NS, WEB)).every((p) => p.image === 'docker.io/library/nginx:latest'));
  const history = await kubectl(['-n', NS, 'rollout', 'history', 'deployment/web']);
  assert.match(history, /\b2\b/);
  await kubectl(['-n', NS, 'rollout', 'undo', 'deployment/web']);
  await kubectl(['-n', NS, 'rollout', 'status', 'deployment/web', '--timeout=240s'], { timeoutMs: 250_000 });
  await webReady(4);
  const d = await kubectlJson(['-n', NS, 'get', 'deployment', 'web']);
  assert.equal(d.spec.template.spec.containers[0].image, 'nginx:latest');
  assert.ok((await pods(NS, WEB)).every((p) => p.image === 'nginx:latest'));
});

test('a deleted pod is replaced', async () => {
  const before = (await pods(NS, WEB)).map((p) => p.name);
  await kubectl(['-n', NS, 'delete', 'pod', before[0]!, '--wait=false']);
  await waitFor('a replacement pod, 4 ready', async () => {
    const p = (await pods(NS, WEB)).filter((x) => !x.deleting);
    return p.length === 4 && p.every((x) => x.ready) && !p.some((x) => x.name === before[0]) ? p : undefined;
  }, 180_000, 2_000);
});

testIf('a stopped worker node: its pods are rescheduled on the others; it comes back Ready', () => (NODES < 2 ? 'needs K8TS_NODES >= 2' : false), async () => {
  const byNode = new Map<string, number>();
  for (const p of await pods(NS, WEB)) if (p.node) byNode.set(p.node, (byNode.get(p.node) ?? 0) + 1);
  const victim = [...byNode].sort((a, b) => b[1] - a[1])[0]![0];
  const id = await nodeContainer(victim);
  await must('docker', ['stop', '-t', '10', id], { timeoutMs: 60_000 });
  try {
    await waitFor(`${victim} NotReady`, async () => !(await readyNodeNames()).includes(victim), 120_000, 2_000);
    await waitFor('4 ready web pods, none on the stopped node', async () => {
      const p = (await pods(NS, WEB)).filter((x) => !x.deleting);
      return p.length === 4 && p.every((x) => x.ready && x.node !== victim);
    }, 240_000, 2_000);
  } finally {
    await must('docker', ['start', id]);
  }
  await waitFor(`${victim} Ready again`, async () => (await readyNodeNames()).includes(victim), 180_000, 2_000);
});

/** The container of Node `node-N` (Compose names it <project>_node_N or <project>-node-N). */
async function nodeContainer(node: string): Promise<string> {
  const n = Number(node.replace('node-', ''));
  for (const c of await serviceContainers('node')) {
    const name = (await must('docker', ['inspect', '-f', '{{.Name}}', c])).trim();
    if (new RegExp(`[_-]node[_-]${n}$`).test(name)) return c;
  }
  throw new Error(`no container for ${node}`);
}

async function readyCondition(node: string): Promise<{ status?: string; reason?: string; message?: string }> {
  const n = await kubectlJson(['get', 'node', node]);
  return (n.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready') ?? {};
}

testIf('a node whose containerd cannot start reports NotReady with the reason, then recovers', () => (NODES < 2 ? 'needs K8TS_NODES >= 2' : false), async () => {
  const node = `node-${NODES}`;
  const id = await nodeContainer(node);
  // A real failure: the binary is gone, so node.sh's restart loop cannot start containerd again.
  await must('docker', ['exec', id, 'sh', '-c', 'mv /usr/bin/containerd /usr/bin/containerd.off && pkill -x containerd']);
  try {
    const down = await waitFor(`${node} Ready=False with the runtime's reason`, async () => {
      const c = await readyCondition(node);
      return c.status === 'False' && /container runtime is down/.test(c.message ?? '') ? c : undefined;
    }, 120_000, 1_000);
    assert.equal(down.reason, 'KubeletNotReady');
  } finally {
    await must('docker', ['exec', id, 'mv', '/usr/bin/containerd.off', '/usr/bin/containerd']);
  }
  await waitFor(`${node} Ready again`, async () => (await readyCondition(node)).status === 'True', 120_000, 1_000);
  await webReady(4);
});

async function leaseHolder(name: string): Promise<string> {
  const l = await kubectlJson(['-n', 'kube-system', 'get', 'lease', name]);
  return String(l.spec?.holderIdentity ?? '');
}

async function failover(lease: string, services: string[]): Promise<{ killed: string; newHolder: string }> {
  const holder = await waitFor(`${lease} held`, async () => (await leaseHolder(lease)) || undefined, 60_000);
  let leaderId: string | undefined;
  for (const svc of services) {
    for (const id of await serviceContainers(svc)) {
      if (holder.startsWith(`${await containerHostname(id)}_`)) leaderId = id;
    }
  }
  assert.ok(leaderId, `the holder ${holder} is one of ${services.join(', ')}`);
  await must('docker', ['kill', leaderId!]);
  try {
    const newHolder = await waitFor(`another ${lease} leader`, async () => {
      const h = await leaseHolder(lease);
      return h && h !== holder ? h : undefined;
    }, 90_000, 1_000);
    return { killed: leaderId!, newHolder };
  } finally {
    await run('docker', ['start', leaderId!]);
  }
}

test('controller-manager: kill the leader, the other replica takes over and reconciles', async () => {
  await failover('kube-controller-manager', ['controller-manager-1', 'controller-manager-2']);
  // The new leader runs the namespace controller: a deleted namespace goes away.
  await kubectl(['create', 'namespace', `${NS}-gone`]);
  await kubectl(['delete', 'namespace', `${NS}-gone`, '--wait=false']);
  await waitFor('namespace finalized by the new leader', async () =>
    (await kubectlTry(['get', 'namespace', `${NS}-gone`])).code !== 0, 120_000);
});

test('scheduler: kill the leader, the other replica takes over and binds pods', async () => {
  await failover('kube-scheduler', ['scheduler-1', 'scheduler-2']);
  await kubectl(['-n', NS, 'run', 'after-failover', '--image=busybox:latest', '--restart=Never', '--', 'sleep', '3600']);
  await waitFor('after-failover bound to a node', async () =>
    (await kubectlJson(['-n', NS, 'get', 'pod', 'after-failover'])).spec?.nodeName, 90_000);
});

test('restart etcd and the apiserver: nothing is lost', async () => {
  const nsUid = (await kubectlJson(['get', 'namespace', NS])).metadata.uid;
  const cmUid = (await kubectlJson(['-n', NS, 'get', 'configmap', 'app-config'])).metadata.uid;
  const deployment = await kubectlJson(['-n', NS, 'get', 'deployment', 'web']);
  const [etcd] = await serviceContainers('etcd');
  const [apiserver] = await serviceContainers('apiserver');
  await must('docker', ['restart', '-t', '10', etcd!], { timeoutMs: 60_000 });
  await must('docker', ['restart', '-t', '10', apiserver!], { timeoutMs: 60_000 });
  await waitFor('apiserver ready again', async () => (await kubectlTry(['get', '--raw', '/readyz'])).stdout.trim() === 'ok', 120_000);
  assert.equal((await kubectlJson(['get', 'namespace', NS])).metadata.uid, nsUid);
  assert.equal((await kubectlJson(['-n', NS, 'get', 'configmap', 'app-config'])).metadata.uid, cmUid);
  assert.equal(Buffer.from((await kubectlJson(['-n', NS, 'get', 'secret', 'db-credentials'])).data.DB_USER, 'base64').toString(), 'admin');
  const d = await kubectlJson(['-n', NS, 'get', 'deployment', 'web']);
  assert.equal(d.metadata.uid, deployment.metadata.uid);
  assert.equal(d.spec.replicas, 4);
  await webReady(4);
  const [ip] = await nodeIps();
  await waitFor('NodePort still answers', () => nodePortAnswers(ip!), 60_000);
  // The control plane's clients re-established their watches: a new object is reconciled.
  await kubectl(['-n', NS, 'create', 'configmap', 'after-restart', '--from-literal=k=v']);
  assert.equal((await kubectlJson(['-n', NS, 'get', 'configmap', 'after-restart'])).data.k, 'v');
  for (const svc of ['controller-manager-1', 'controller-manager-2', 'dns']) {
    const [id] = await serviceContainers(svc);
    await waitFor(`${svc} healthy after the restart`, async () => (await containerHealth(id!)) === 'healthy', 90_000);
  }
});

test('`docker-compose restart`: every node comes back Ready and runs its pods again', async () => {
  // Node state is on tmpfs, so after the restart every pod's containers are started anew (their
  // IDs are derived from the pod and may repeat: the start time tells).
  const startedSince = async (since: number): Promise<number> => {
    const list = await kubectlJson(['-n', NS, 'get', 'pods', '-l', WEB]);
    return list.items.filter((p: any) => !p.metadata.deletionTimestamp && p.status?.containerStatuses?.[0]?.ready
      && Date.parse(p.status.containerStatuses[0].state?.running?.startedAt ?? '') >= since).length;
  };
  const restartedAt = Math.floor(Date.now() / 1000) * 1000; // startedAt has second precision
  await compose(['restart', '-t', '10'], { timeoutMs: 300_000 });
  await waitFor('apiserver ready again', async () => (await kubectlTry(['get', '--raw', '/readyz'])).stdout.trim() === 'ok', 180_000);
  await waitFor('4 ready web pods, all started after the restart', async () => (await startedSince(restartedAt)) === 4, 300_000, 2_000);
  assert.equal((await readyNodeNames()).length, NODES);
  for (const ip of await nodeIps()) await waitFor(`NodePort answers on ${ip}`, () => nodePortAnswers(ip), 120_000);
});

testIf('down and up again without --volumes keeps the cluster state', () => (reuse ? 'K8TS_COMPOSE_E2E_REUSE=1' : false), async () => {
  const nsUid = (await kubectlJson(['get', 'namespace', NS])).metadata.uid;
  await must('bash', ['compose/scripts/down.sh'], { env, timeoutMs: 120_000 });
  await must('bash', ['compose/scripts/up.sh'], { env: { ...env, K8TS_COMPOSE_SKIP_BUILD: '1' }, timeoutMs: 600_000 });
  assert.equal((await kubectlJson(['get', 'namespace', NS])).metadata.uid, nsUid);
  assert.ok(await compose(['ps']));
});
