// The real kubectl (the dispatcher on PATH picks the client from /version) driving Deployments
// against the plain-HTTP test apiserver, with the Deployment controller in-process and the fake
// ReplicaSet-status writer marking ReplicaSets available: the seed notes' workflow —
// apply the nginx Deployment (4 replicas), rollout status / set image / history / undo
// (--to-revision) / pause / resume, scale, create deployment, create --record.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, createLogger, EventRecorder, InformerFactory, Resources } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { eventually } from '../../testing/poll.js';
import { DeploymentController } from './deployment-controller.js';
import { FakeReplicaSetStatus } from './testing/fake-replicaset-status.js';
import type { Deployment, ReplicaSet } from './types.js';

const NO_KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 }).status === 0 ? false : 'kubectl is not installed';
const logger = createLogger('kubectl-rollout-test', process.env.TEST_LOG_LEVEL ?? 'silent');
const NS = 'rollout';

// the seed notes' nginx Deployment (003), scaled to 4
const NGINX = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 4
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.7.9
        ports:
        - containerPort: 80
`;

// the seed notes' deployment-definition.yml (001), created with --record
const VOTING = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: voting-app-deploy
  labels:
    name: voting-app-deploy
    app: demo-voting-app
spec:
  replicas: 1
  selector:
    matchLabels:
      name: voting-app-pod
      app: demo-voting-app
  template:
    metadata:
      name: voting-app-pod
      labels:
        name: voting-app-pod
        app: demo-voting-app
    spec:
      containers:
      - name: voting-app
        image: kodekloud/examplevotingapp_vote:v1
        ports:
        - containerPort: 80
`;

let t: TestApiServer;
let client: ApiClient;
let informers: InformerFactory;
let recorder: EventRecorder;
let fake: FakeReplicaSetStatus;
let dir = '';
const abort = new AbortController();
let running: Promise<void> | undefined;

interface Out { code: number; stdout: string; stderr: string }

function kubectlRaw(args: string[], timeoutMs = 60_000): Promise<Out> {
  return new Promise((resolve) => {
    execFile('kubectl', ['--cache-dir', join(dir, 'kcache'), ...args], {
      timeout: timeoutMs, cwd: dir, maxBuffer: 16 * 1024 * 1024, env: { ...process.env, KUBECONFIG: join(dir, 'kubeconfig') },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

async function kubectl(...args: string[]): Promise<string> {
  const r = await kubectlRaw(args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const listRS = async (): Promise<ReplicaSet[]> => (await client.list<ReplicaSet>(Resources.replicasets, { namespace: NS })).items;
const image = (x: { spec: { template?: { spec?: any } } }): string => x.spec.template?.spec?.containers?.[0]?.image;
const revision = (x: { metadata: { annotations?: Record<string, string> } }): string | undefined => x.metadata.annotations?.['deployment.kubernetes.io/revision'];

before(async () => {
  if (NO_KUBECTL) return;
  dir = await mkdtemp(join(tmpdir(), 'k8ts-rollout-'));
  t = await startTestApiServer();
  client = new ApiClient({ server: t.api.url });
  await writeFile(join(dir, 'kubeconfig'), [
    'apiVersion: v1', 'kind: Config',
    'clusters:', '- name: test', '  cluster:', `    server: ${t.api.url}`,
    'users:', '- name: test', '  user: {}',
    'contexts:', '- name: test', '  context:', '    cluster: test', '    user: test', `    namespace: ${NS}`,
    'current-context: test', '',
  ].join('\n'));
  await writeFile(join(dir, 'nginx-deployment.yaml'), NGINX);
  await writeFile(join(dir, 'deployment-definition.yml'), VOTING);
  await client.create(Resources.namespaces, { metadata: { name: NS } });
  fake = await new FakeReplicaSetStatus(client, NS, { delayMs: 10 }).start();
  informers = new InformerFactory({ client, logger });
  recorder = new EventRecorder({ client, source: { component: 'deployment-controller' }, logger });
  running = new DeploymentController({ client, informers, logger, recorder }).run(abort.signal);
  informers.start();
});

after(async () => {
  abort.abort();
  await running;
  await informers?.stop();
  await fake?.stop();
  await recorder?.close();
  await client?.close();
  await t?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kubectl rollout against the deployment controller', { skip: NO_KUBECTL }, () => {
  it('apply + rollout status', async () => {
    assert.match(await kubectl('apply', '-f', 'nginx-deployment.yaml'), /deployment\.apps\/nginx-deployment created/);
    const status = await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s');
    assert.match(status, /deployment "nginx-deployment" successfully rolled out/);
    const get = await kubectl('get', 'deployment', 'nginx-deployment');
    assert.match(get, /^nginx-deployment\s+4\/4\s+4\s+4\s+/m);
    const rs = await kubectl('get', 'rs', '-l', 'app=nginx');
    assert.match(rs, /^nginx-deployment-[bcdfghjklmnpqrstvwxz2456789]+\s+4\s+4\s+4\s+/m);
  });

  it('set image → a new ReplicaSet rolls out; rollout history shows both revisions and the change-cause', async () => {
    assert.match(await kubectl('set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.9.1'), /deployment\.apps\/nginx-deployment image updated/);
    await kubectl('annotate', 'deployment/nginx-deployment', 'kubernetes.io/change-cause=image updated to 1.9.1');
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    const rss = await listRS();
    assert.equal(rss.length, 2);
    assert.equal(rss.find((rs) => image(rs) === 'nginx:1.7.9')?.spec.replicas, 0);
    assert.equal(rss.find((rs) => image(rs) === 'nginx:1.9.1')?.spec.replicas, 4);
    const history = await eventually(async () => {
      const h = await kubectl('rollout', 'history', 'deployment/nginx-deployment');
      return /^2\s+image updated to 1\.9\.1\s*$/m.test(h) && h;
    }, 'change-cause copied to the new ReplicaSet');
    assert.match(history, /^REVISION\s+CHANGE-CAUSE/m);
    assert.match(history, /^1\s+<none>\s*$/m);
    const rev2 = await kubectl('rollout', 'history', 'deployment/nginx-deployment', '--revision=2');
    assert.match(rev2, /Image:\s+nginx:1\.9\.1/);
    const events = await kubectl('get', 'events', '--field-selector', 'involvedObject.name=nginx-deployment');
    assert.match(events, /ScalingReplicaSet\s+deployment\/nginx-deployment\s+Scaled down replica set nginx-deployment-\w+ to 0 from \d+/);
  });

  it('rollout undo reuses the old ReplicaSet; --to-revision too', async () => {
    assert.match(await kubectl('rollout', 'undo', 'deployment/nginx-deployment'), /deployment\.apps\/nginx-deployment rolled back/);
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    let d = await client.get<Deployment>(Resources.deployments, NS, 'nginx-deployment');
    assert.equal(image(d), 'nginx:1.7.9');
    let rss = await listRS();
    assert.equal(rss.length, 2, 'no new ReplicaSet');
    assert.deepEqual(rss.map((rs) => [image(rs), revision(rs)]).sort(), [['nginx:1.7.9', '3'], ['nginx:1.9.1', '2']]);
    assert.equal(rss.find((rs) => image(rs) === 'nginx:1.7.9')?.metadata.annotations?.['deployment.kubernetes.io/revision-history'], '1');
    const history = await kubectl('rollout', 'history', 'deployment/nginx-deployment');
    assert.match(history, /^2\s+image updated to 1\.9\.1\s*$/m);
    assert.match(history, /^3\s+<none>\s*$/m);
    assert.doesNotMatch(history, /^1\s/m, 'revision 1 became 3');

    assert.match(await kubectl('rollout', 'undo', 'deployment/nginx-deployment', '--to-revision=2'), /rolled back/);
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    d = await client.get<Deployment>(Resources.deployments, NS, 'nginx-deployment');
    assert.equal(image(d), 'nginx:1.9.1');
    assert.equal(d.metadata.annotations?.['kubernetes.io/change-cause'], 'image updated to 1.9.1');
    rss = await listRS();
    assert.deepEqual(rss.map((rs) => [image(rs), revision(rs)]).sort(), [['nginx:1.7.9', '3'], ['nginx:1.9.1', '4']]);
    const missing = await kubectlRaw(['rollout', 'undo', 'deployment/nginx-deployment', '--to-revision=9']);
    assert.notEqual(missing.code, 0);
    assert.match(missing.stderr, /unable to find specified revision 9/);
  });

  it('rollout pause / resume', async () => {
    assert.match(await kubectl('rollout', 'pause', 'deployment/nginx-deployment'), /paused/);
    await kubectl('set', 'image', 'deployment/nginx-deployment', 'nginx=nginx:1.10');
    await eventually(async () => {
      const d = await client.get<Deployment>(Resources.deployments, NS, 'nginx-deployment');
      return d.status?.observedGeneration === d.metadata.generation
        && d.status?.conditions?.some((c) => c.type === 'Progressing' && c.reason === 'DeploymentPaused');
    }, 'paused change observed');
    assert.equal((await listRS()).length, 2, 'no rollout while paused');
    const undo = await kubectlRaw(['rollout', 'undo', 'deployment/nginx-deployment']);
    assert.notEqual(undo.code, 0);
    assert.match(undo.stderr, /cannot rollback a paused deployment/);
    assert.match(await kubectl('rollout', 'resume', 'deployment/nginx-deployment'), /resumed/);
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    assert.equal((await listRS()).find((rs) => image(rs) === 'nginx:1.10')?.spec.replicas, 4);
  });

  it('scale deployment', async () => {
    assert.match(await kubectl('scale', 'deployment', 'nginx-deployment', '--replicas=6'), /deployment\.apps\/nginx-deployment scaled/);
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    const rs = (await listRS()).find((x) => image(x) === 'nginx:1.10')!;
    assert.equal(rs.spec.replicas, 6);
    assert.equal(rs.metadata.annotations?.['deployment.kubernetes.io/desired-replicas'], '6');
    assert.match(await kubectl('get', 'deployment', 'nginx-deployment'), /^nginx-deployment\s+6\/6\s+6\s+6\s+/m);
  });

  it('describe deployment and rollout restart', async () => {
    const desc = await kubectl('describe', 'deployment', 'nginx-deployment');
    assert.match(desc, /^Replicas:\s+6 desired \| 6 updated \| 6 total \| 6 available \| 0 unavailable/m);
    assert.match(desc, /^StrategyType:\s+RollingUpdate/m);
    assert.match(desc, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge/m);
    assert.match(desc, /^\s+Available\s+True\s+MinimumReplicasAvailable/m);
    assert.match(desc, /^\s+Progressing\s+True\s+NewReplicaSetAvailable/m);
    assert.match(desc, /^NewReplicaSet:\s+nginx-deployment-\w+ \(6\/6 replicas created\)/m);
    assert.match(desc, /^OldReplicaSets:\s+nginx-deployment-\w+ \(0\/0 replicas created\), nginx-deployment-\w+ \(0\/0 replicas created\)/m);
    // (the recorder's per-object spam limit, 25 as upstream, may have dropped the latest ones)
    assert.match(desc, /Normal\s+ScalingReplicaSet\s+.*deployment-controller\s+Scaled up replica set nginx-deployment-\w+ to 4/);

    const before = (await listRS()).length;
    assert.match(await kubectl('rollout', 'restart', 'deployment/nginx-deployment'), /restarted/);
    assert.match(await kubectl('rollout', 'status', 'deployment/nginx-deployment', '--timeout=60s'), /successfully rolled out/);
    const rss = await listRS();
    assert.equal(rss.length, before + 1, 'a restart is a new template, hence a new ReplicaSet');
    const fresh = rss.find((rs) => rs.spec.replicas === 6)!;
    assert.ok(fresh.spec.template?.metadata?.annotations?.['kubectl.kubernetes.io/restartedAt']);
  });

  it('create deployment, and create -f --record records the change-cause', async () => {
    assert.match(await kubectl('create', 'deployment', 'web', '--image=nginx', '--replicas=2'), /deployment\.apps\/web created/);
    assert.match(await kubectl('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    const rec = await kubectlRaw(['create', '-f', 'deployment-definition.yml', '--record']);
    assert.equal(rec.code, 0, rec.stderr);
    assert.match(await kubectl('rollout', 'status', 'deployment/voting-app-deploy', '--timeout=60s'), /successfully rolled out/);
    const h = await kubectl('rollout', 'history', 'deployment/voting-app-deploy');
    assert.match(h, /^1\s+kubectl create (--cache-dir=\S+ )?--filename=deployment-definition\.yml --record=true\s*$/m);
  });

  it('rollout status fails once the progress deadline is exceeded', async () => {
    fake.setMode((rs) => rs.metadata.labels?.app === 'slow', 'notReady');
    await kubectl('create', 'deployment', 'slow', '--image=nginx');
    await kubectl('patch', 'deployment', 'slow', '-p', '{"spec":{"progressDeadlineSeconds":2}}');
    const r = await kubectlRaw(['rollout', 'status', 'deployment/slow', '--timeout=60s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /deployment "slow" exceeded its progress deadline/);
  });
});
