// End to end, as a user works: `k8ts up` starts an isolated cluster (own state dir, own
// ports, TLS + bearer tokens), then the real kubectl (1.31 via the dispatcher, plus 1.27 and
// 1.30), curl and the official Python client drive it; `k8ts down` stops it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { freePort } from '@k8ts/shared/testing/etcd';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const cli = join(repo, 'cli/dist/main.js');

let dir = '';
let kubeconfig = '';
let server = '';
let token = '';
let caFile = '';
let upDone = false;
const children = new Set<ChildProcess>();

interface Out { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Out> {
  return new Promise((resolvePromise) => {
    const child = execFile(cmd, args, {
      timeout: opts.timeoutMs ?? 20_000, maxBuffer: 16 * 1024 * 1024, cwd: dir || repo,
      env: { ...process.env, KUBECONFIG: kubeconfig, ...opts.env },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolvePromise({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Tools this file drives; a machine without them skips the suites that need them. */
const has = (cmd: string, ...args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;
const NO_KUBECTL = has('kubectl', 'version', '--client') ? false : 'kubectl is not installed';
const NO_CURL = has('curl', '--version') ? false : 'curl is not installed';

const KUBECTL_DIR = (() => {
  try { return dirname(realpathSync('/usr/bin/kubectl')); } catch { return ''; }
})();

/** kubectl with this cluster's kubeconfig and a private discovery cache; asserts success unless told. */
async function kubectl(args: string[], o: { bin?: string; fail?: boolean; input?: string } = {}): Promise<Out> {
  const bin = o.bin ?? 'kubectl';
  const cache = join(dir, `kcache-${bin.split('/').pop()}`);
  const r = await run(bin, ['--cache-dir', cache, ...args], { input: o.input });
  if (o.fail) assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should fail: ${r.stdout}`);
  else assert.equal(r.code, 0, `kubectl ${args.join(' ')} → ${r.code}\n${r.stdout}\n${r.stderr}`);
  return r;
}

/** curl against the cluster; returns the HTTP code and body. */
async function curl(path: string, o: { method?: string; body?: string; contentType?: string; auth?: boolean; extra?: string[] } = {}): Promise<Out & { http: number; body: string }> {
  const args = ['-sS', '--cacert', caFile, '-w', '\n%{http_code}', '-X', o.method ?? 'GET'];
  if (o.auth !== false) args.push('-H', `Authorization: Bearer ${token}`);
  if (o.body !== undefined) args.push('-H', `Content-Type: ${o.contentType ?? 'application/json'}`, '--data-binary', '@-');
  args.push(...(o.extra ?? []), `${server}${path}`);
  const r = await run('curl', args, { input: o.body ?? undefined });
  const i = r.stdout.lastIndexOf('\n');
  return { ...r, http: Number(r.stdout.slice(i + 1)), body: r.stdout.slice(0, i) };
}

async function freePortPair(): Promise<number> {
  for (let i = 0; i < 50; i++) {
    const p = await freePort();
    if (p < 65535 && await isFree(p + 1)) return p;
  }
  throw new Error('no free port pair');
}

async function isFree(port: number): Promise<boolean> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const s = createServer();
    s.once('error', () => res(false));
    s.listen(port, '127.0.0.1', () => s.close(() => res(true)));
  });
}

async function waitUntil(pred: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 1
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
        image: nginx
        ports:
        - containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: nginx-service
spec:
  type: NodePort
  selector:
    app: nginx
  ports:
  - protocol: TCP
    port: 80
    targetPort: 80
    nodePort: 32600
`;

const CM_MANIFEST = `apiVersion: v1
kind: ConfigMap
metadata:
  name: from-file
  namespace: dev
data:
  color: blue
`;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-e2e-'));
  kubeconfig = join(dir, 'kubeconfig');
  caFile = join(dir, 'pki', 'ca.crt');
  const apiPort = await freePort();
  const etcdPort = await freePortPair();
  const cmPort = await freePort();
  // ports the CLI has no flag for (the controller-manager's health port) go in cluster.json
  await writeFile(join(dir, 'cluster.json'), JSON.stringify({ controllerManagerPort: cmPort }));
  const up = await run(process.execPath, [cli, 'up', '--state-dir', dir, '--apiserver-port', String(apiPort), '--etcd-port', String(etcdPort), '--nodes', '0'], { timeoutMs: 60_000 });
  upDone = true;
  assert.equal(up.code, 0, `k8ts up failed:\n${up.stdout}\n${up.stderr}`);
  server = `https://127.0.0.1:${apiPort}`;
  const kc = YAML.parse(readFileSync(kubeconfig, 'utf8'));
  assert.equal(kc.clusters[0].cluster.server, server);
  token = kc.users[0].user.token;
  assert.ok(token, 'the admin kubeconfig carries a bearer token');
  await writeFile(join(dir, 'app.yaml'), APP);
  await writeFile(join(dir, 'cm.yaml'), CM_MANIFEST);
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  if (upDone) {
    const down = await run(process.execPath, [cli, 'down', '--state-dir', dir], { timeoutMs: 60_000 });
    assert.equal(down.code, 0, `k8ts down failed:\n${down.stdout}\n${down.stderr}`);
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kubectl', { skip: NO_KUBECTL }, () => {
  test('version and get ns', async () => {
    const v = await kubectl(['version']);
    assert.match(v.stdout, /Server Version: v1\.3\d\.\d+/);
    const ns = await kubectl(['get', 'ns']);
    assert.match(ns.stdout, /^NAME\s+STATUS\s+AGE/);
    for (const n of ['default', 'kube-system']) assert.match(ns.stdout, new RegExp(`^${n}\\s+Active`, 'm'));
  });

  test('create ns; a second create is AlreadyExists', async () => {
    assert.match((await kubectl(['create', 'ns', 'dev'])).stdout, /namespace\/dev created/);
    const again = await kubectl(['create', 'ns', 'dev'], { fail: true });
    assert.match(again.stderr, /Error from server \(AlreadyExists\): namespaces "dev" already exists/);
  });

  test('create -f and apply -f (twice: unchanged)', async () => {
    assert.match((await kubectl(['create', '-f', join(dir, 'cm.yaml')])).stdout, /configmap\/from-file created/);
    const first = await kubectl(['apply', '-n', 'dev', '-f', join(dir, 'app.yaml')]);
    assert.match(first.stdout, /deployment\.apps\/nginx-deployment created/);
    assert.match(first.stdout, /service\/nginx-service created/);
    assert.doesNotMatch(first.stderr, /warning|error/i);
    const second = await kubectl(['apply', '-n', 'dev', '-f', join(dir, 'app.yaml')]);
    assert.match(second.stdout, /deployment\.apps\/nginx-deployment unchanged/);
    assert.match(second.stdout, /service\/nginx-service unchanged/);
    // the NodePort is taken now: a second service asking for it is refused with 422
    const clash = await kubectl(['create', '-n', 'default', '-f', '-'], { fail: true, input: APP.split('---\n')[1] });
    assert.match(clash.stderr, /Invalid.*provided port is already allocated|already allocated/);
  });

  test('get -o yaml / json / wide / jsonpath / name', async () => {
    const y = YAML.parse((await kubectl(['get', 'deploy', 'nginx-deployment', '-n', 'dev', '-o', 'yaml'])).stdout);
    assert.equal(y.kind, 'Deployment');
    assert.equal(y.spec.template.spec.containers[0].image, 'nginx');
    assert.ok(y.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    const j = JSON.parse((await kubectl(['get', 'svc', '-n', 'dev', '-o', 'json'])).stdout);
    assert.equal(j.kind, 'List');
    assert.equal(j.items[0].kind, 'Service');
    const wide = (await kubectl(['get', 'deploy', '-n', 'dev', '-o', 'wide'])).stdout;
    assert.match(wide, /^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\s+CONTAINERS\s+IMAGES\s+SELECTOR/);
    assert.match(wide, /nginx-deployment\s+\d+\/1\s+.*\s+nginx\s+nginx\s+app=nginx/);
    const svc = (await kubectl(['get', 'svc', '-n', 'dev'])).stdout;
    assert.match(svc, /nginx-service\s+NodePort\s+10\.96\.\d+\.\d+\s+<none>\s+80:32600\/TCP/);
    const port = (await kubectl(['get', 'svc', 'nginx-service', '-n', 'dev', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).stdout;
    assert.equal(port, '32600');
    const names = (await kubectl(['get', 'deploy,svc', '-n', 'dev', '-o', 'name'])).stdout.trim().split('\n');
    assert.deepEqual(names, ['deployment.apps/nginx-deployment', 'service/nginx-service']);
  });

  test('-A, -l and --show-labels', async () => {
    const all = (await kubectl(['get', 'cm', '-A'])).stdout;
    assert.match(all, /^NAMESPACE\s+NAME\s+DATA\s+AGE/);
    assert.match(all, /^dev\s+from-file\s+1\s/m);
    const svcs = (await kubectl(['get', 'svc', '-A'])).stdout;
    assert.match(svcs, /^default\s+kubernetes\s+ClusterIP\s+10\.96\.0\.1\s/m);
    assert.match(svcs, /^dev\s+nginx-service\s/m);
    const sel = await kubectl(['get', 'deploy', '-n', 'dev', '-l', 'app=nginx']);
    assert.match(sel.stdout, /nginx-deployment/);
    const none = await kubectl(['get', 'deploy', '-n', 'dev', '-l', 'app=other']);
    assert.match(none.stderr, /No resources found in dev namespace/);
    const labels = (await kubectl(['get', 'deploy', '-n', 'dev', '--show-labels'])).stdout;
    assert.match(labels, /LABELS/);
    assert.match(labels, /nginx-deployment\s.*app=nginx/);
  });

  test('label, annotate, patch (strategic, merge, json), scale, set image', async () => {
    const D = ['-n', 'dev', 'deploy', 'nginx-deployment'];
    const jp = async (path: string) => (await kubectl(['get', '-n', 'dev', 'deploy', 'nginx-deployment', '-o', `jsonpath=${path}`])).stdout;
    assert.match((await kubectl(['label', ...D, 'tier=web'])).stdout, /labeled/);
    assert.match((await kubectl(['annotate', ...D, 'note=hello'])).stdout, /annotated/);
    assert.equal(await jp('{.metadata.labels.tier}/{.metadata.annotations.note}'), 'web/hello');
    assert.match((await kubectl(['patch', ...D, '-p', '{"spec":{"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:1.25"}]}}}}'])).stdout, /patched/);
    assert.equal(await jp('{.spec.template.spec.containers[*].name}={.spec.template.spec.containers[0].image}'), 'nginx=nginx:1.25');
    assert.equal(await jp('{.spec.template.spec.containers[0].ports[0].containerPort}'), '80');
    await kubectl(['patch', ...D, '--type=merge', '-p', '{"metadata":{"labels":{"tier":null}}}']);
    assert.equal(await jp('{.metadata.labels.tier}'), '');
    await kubectl(['patch', ...D, '--type=json', '-p', '[{"op":"replace","path":"/spec/replicas","value":2}]']);
    assert.equal(await jp('{.spec.replicas}'), '2');
    const badTest = await kubectl(['patch', ...D, '--type=json', '-p', '[{"op":"test","path":"/spec/replicas","value":9}]'], { fail: true });
    assert.match(badTest.stderr, /Error from server|test/i);
    assert.match((await kubectl(['scale', ...D.slice(0, 2), 'deployment/nginx-deployment', '--replicas=3'])).stdout, /scaled/);
    assert.equal(await jp('{.spec.replicas}'), '3');
    assert.match((await kubectl(['set', 'image', '-n', 'dev', 'deployment/nginx-deployment', 'nginx=nginx:1.26'])).stdout, /image updated/);
    assert.equal(await jp('{.spec.template.spec.containers[0].image}'), 'nginx:1.26');
  });

  test('describe deployment', async () => {
    const d = (await kubectl(['describe', 'deployment', 'nginx-deployment', '-n', 'dev'])).stdout;
    assert.match(d, /^Name:\s+nginx-deployment$/m);
    assert.match(d, /^Namespace:\s+dev$/m);
    assert.match(d, /^Replicas:\s+3 desired/m);
    assert.match(d, /Image:\s+nginx:1\.26/);
    assert.match(d, /^Selector:\s+app=nginx$/m);
  });

  test('create configmap / secret, get events, delete', async () => {
    assert.match((await kubectl(['create', 'configmap', 'app-config', '-n', 'dev', '--from-literal=k=v'])).stdout, /configmap\/app-config created/);
    assert.match((await kubectl(['create', 'secret', 'generic', 'app-secret', '-n', 'dev', '--from-literal=password=s3cret'])).stdout, /secret\/app-secret created/);
    const pw = (await kubectl(['get', 'secret', 'app-secret', '-n', 'dev', '-o', 'jsonpath={.data.password}'])).stdout;
    assert.equal(Buffer.from(pw, 'base64').toString(), 's3cret');
    const secrets = (await kubectl(['get', 'secret', '-n', 'dev'])).stdout;
    assert.match(secrets, /^app-secret\s+Opaque\s+1\s/m);
    await kubectl(['get', 'events', '-n', 'dev']);
    await kubectl(['get', 'events', '-A']);
    assert.match((await kubectl(['delete', 'cm', 'app-config', '-n', 'dev'])).stdout, /configmap "app-config" deleted/);
    const gone = await kubectl(['get', 'cm', 'app-config', '-n', 'dev'], { fail: true });
    assert.match(gone.stderr, /Error from server \(NotFound\): configmaps "app-config" not found/);
  });

  test('api-resources and explain', async () => {
    const ar = (await kubectl(['api-resources'])).stdout;
    assert.match(ar, /^NAME\s+SHORTNAMES\s+APIVERSION\s+NAMESPACED\s+KIND/);
    assert.match(ar, /^pods\s+po\s+v1\s+true\s+Pod$/m);
    assert.match(ar, /^deployments\s+deploy\s+apps\/v1\s+true\s+Deployment$/m);
    assert.match(ar, /^namespaces\s+ns\s+v1\s+false\s+Namespace$/m);
    const ex = (await kubectl(['explain', 'pods.spec.containers'])).stdout;
    assert.match(ex, /KIND:\s+Pod/);
    assert.match(ex, /containers\s+<\[\]Container>/);
    assert.match(ex, /^\s+image\s+<string>/m);
  });

  test('kubectl get -w prints a newly created configmap', async () => {
    const child = spawn('kubectl', ['--cache-dir', join(dir, 'kcache-kubectl'), 'get', 'cm', '-n', 'dev', '-w'], { env: { ...process.env, KUBECONFIG: kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] });
    children.add(child);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += String(d); });
    child.stderr.on('data', (d) => { err += String(d); });
    try {
      await waitUntil(() => /from-file/.test(out), `the initial list (${out}${err})`);
      await kubectl(['create', 'configmap', 'watched-cm', '-n', 'dev', '--from-literal=a=b']);
      await waitUntil(() => /^watched-cm\s+1\s/m.test(out) || child.exitCode !== null, 'watched-cm in the watch output');
      assert.equal(child.exitCode, null, `kubectl get -w exited: ${out}${err}`);
      assert.match(out, /^watched-cm\s+1\s/m);
    } finally {
      child.kill('SIGTERM');
      children.delete(child);
    }
  });
});

describe('curl', { skip: NO_CURL || NO_KUBECTL }, () => {
  test('with the bearer token and the cluster CA', async () => {
    const r = await curl('/api/v1/namespaces');
    assert.equal(r.http, 200, r.body + r.stderr);
    const list = JSON.parse(r.body);
    assert.equal(list.kind, 'NamespaceList');
    assert.ok(list.items.some((i: any) => i.metadata.name === 'dev'));
  });

  test('without a token: 401 Status', async () => {
    const r = await curl('/api/v1/namespaces', { auth: false });
    assert.equal(r.http, 401);
    const s = JSON.parse(r.body);
    assert.equal(s.kind, 'Status');
    assert.equal(s.code, 401);
    assert.equal(s.reason, 'Unauthorized');
    // health and version stay public
    assert.equal((await curl('/version', { auth: false })).http, 200);
    assert.equal((await curl('/healthz', { auth: false })).http, 200);
    // a wrong token is 401 too
    const bad = await curl('/api/v1/namespaces', { auth: false, extra: ['-H', 'Authorization: Bearer nope'] });
    assert.equal(bad.http, 401);
  });

  test('a stale update is 409 Conflict; a malformed body is 400; YAML bodies work', async () => {
    const created = await curl('/api/v1/namespaces/dev/configmaps', { method: 'POST', body: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: curl-cm\ndata:\n  a: "1"\n', contentType: 'application/yaml' });
    assert.equal(created.http, 201, created.body);
    const obj = JSON.parse(created.body);
    const first = await curl('/api/v1/namespaces/dev/configmaps/curl-cm', { method: 'PUT', body: JSON.stringify({ ...obj, data: { a: '2' } }) });
    assert.equal(first.http, 200, first.body);
    const stale = await curl('/api/v1/namespaces/dev/configmaps/curl-cm', { method: 'PUT', body: JSON.stringify({ ...obj, data: { a: '3' } }) });
    assert.equal(stale.http, 409, stale.body);
    const s = JSON.parse(stale.body);
    assert.equal(s.reason, 'Conflict');
    assert.match(s.message, /Operation cannot be fulfilled on configmaps "curl-cm": the object has been modified/);
    const bad = await curl('/api/v1/namespaces/dev/configmaps', { method: 'POST', body: '{"apiVersion":"v1",' });
    assert.equal(bad.http, 400, bad.body);
    assert.equal(JSON.parse(bad.body).reason, 'BadRequest');
    const y = await curl('/api/v1/namespaces/dev/configmaps/curl-cm', { extra: ['-H', 'Accept: application/yaml'] });
    assert.equal(YAML.parse(y.body).data.a, '2');
  });

  test('a resumed watch (?watch=1&resourceVersion=<rv>)', async () => {
    const list = JSON.parse((await curl('/api/v1/namespaces/dev/configmaps')).body);
    const rv = list.metadata.resourceVersion;
    await kubectl(['create', 'configmap', 'after-list', '-n', 'dev', '--from-literal=x=y']);
    const w = await curl(`/api/v1/namespaces/dev/configmaps?watch=1&resourceVersion=${rv}`, { extra: ['--max-time', '2'] });
    assert.equal(w.code, 28, `curl should time out with the stream still open (exit ${w.code}): ${w.stderr}`);
    assert.equal(w.http, 200);
    const events = w.body.split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.deepEqual(events.map((e) => `${e.type} ${e.object.metadata.name}`), ['ADDED after-list']);
  });
});

describe('older kubectl clients', { skip: NO_KUBECTL }, () => {
  for (const v of ['1.27', '1.30']) {
    test(`kubectl ${v}`, async (t) => {
      const bin = join(KUBECTL_DIR, `kubectl.${v}`);
      if (!KUBECTL_DIR || !existsSync(bin)) { t.skip(`${bin} not installed`); return; }
      const ver = await kubectl(['version'], { bin });
      // 1.27 prints `Client Version: version.Info{... GitVersion:"v1.27.16" ...}`
      assert.match(ver.stdout, new RegExp(`Client Version: (version\\.Info\\{.*GitVersion:")?v${v.replace('.', '\\.')}\\.`));
      assert.match((await kubectl(['get', 'ns'], { bin })).stdout, /^dev\s+Active/m);
      const wide = (await kubectl(['get', 'deploy', '-n', 'dev', '-o', 'wide'], { bin })).stdout;
      assert.match(wide, /nginx-deployment\s+\d+\/3\s/);
      const name = `old-${v.replace('.', '-')}`;
      assert.match((await kubectl(['create', 'configmap', name, '-n', 'dev', '--from-literal=v=1'], { bin })).stdout, new RegExp(`configmap/${name} created`));
      assert.match((await kubectl(['apply', '-n', 'dev', '-f', join(dir, 'cm.yaml')], { bin })).stdout, /configmap\/from-file (configured|unchanged)/);
      assert.match((await kubectl(['scale', '-n', 'dev', 'deployment/nginx-deployment', '--replicas=3'], { bin })).stdout, /scaled/);
      assert.match((await kubectl(['delete', 'cm', name, '-n', 'dev'], { bin })).stdout, /deleted/);
      assert.match((await kubectl(['explain', 'deployment.spec.replicas'], { bin })).stdout, /replicas\s+<integer>/);
    });
  }
});

describe('python kubernetes client', { skip: NO_KUBECTL }, () => {
  test('lists namespaces and creates a configmap via the kubeconfig', async (t) => {
    const hasModule = async (py: string) => (await run(py, ['-c', 'import kubernetes'], { timeoutMs: 20_000 })).code === 0;
    let py: string | undefined;
    for (const cand of ['python3', '/usr/bin/python3']) if (await hasModule(cand)) { py = cand; break; }
    if (!py) {
      if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) {
        t.skip('the Python kubernetes client is missing and installing python3-kubernetes needs root');
        return;
      }
      const inst = await run('apt-get', ['install', '-y', '-q', 'python3-kubernetes'], { timeoutMs: 180_000, env: { DEBIAN_FRONTEND: 'noninteractive' } });
      if (inst.code !== 0 || !(await hasModule('/usr/bin/python3'))) {
        t.skip(`could not install python3-kubernetes: ${inst.stderr.split('\n').slice(-3).join(' ')}`);
        return;
      }
      py = '/usr/bin/python3';
    }
    const script = `
import json, sys
from kubernetes import client, config
config.load_kube_config(config_file=sys.argv[1])
v1 = client.CoreV1Api()
names = sorted(n.metadata.name for n in v1.list_namespace().items)
cm = client.V1ConfigMap(metadata=client.V1ObjectMeta(name="from-python", labels={"lang": "python"}), data={"k": "v"})
created = v1.create_namespaced_config_map("dev", cm)
try:
    v1.create_namespaced_config_map("dev", cm)
    dup = None
except client.exceptions.ApiException as e:
    dup = e.status
print(json.dumps({"namespaces": names, "created": created.metadata.name, "rv": created.metadata.resource_version, "dup": dup}))
`;
    const r = await run(py, ['-c', script, kubeconfig], { timeoutMs: 30_000 });
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);
    assert.ok(out.namespaces.includes('dev') && out.namespaces.includes('default'), JSON.stringify(out));
    assert.equal(out.created, 'from-python');
    assert.match(out.rv, /^\d+$/);
    assert.equal(out.dup, 409);
    const got = (await kubectl(['get', 'cm', 'from-python', '-n', 'dev', '-o', 'jsonpath={.metadata.labels.lang}'])).stdout;
    assert.equal(got, 'python');
  });
});

describe('kubectl, last', { skip: NO_KUBECTL }, () => {
  test('cluster-info, run, delete pod, delete -f frees the NodePort', async () => {
    const ci = await kubectl(['cluster-info']);
    assert.match(ci.stdout, /is running at/);
    assert.match((await kubectl(['run', 'web', '--image=nginx', '-n', 'dev'])).stdout, /pod\/web created/);
    const pods = (await kubectl(['get', 'pods', '-n', 'dev'])).stdout;
    assert.match(pods, /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE/);
    assert.match(pods, /^web\s+0\/1\s+Pending\s+0\s/m);
    assert.equal((await kubectl(['get', 'pod', 'web', '-n', 'dev', '-o', 'jsonpath={.metadata.labels.run}'])).stdout, 'web');
    assert.match((await kubectl(['delete', 'pod', 'web', '-n', 'dev'])).stdout, /pod "web" deleted/);
    const del = await kubectl(['delete', '-n', 'dev', '-f', join(dir, 'app.yaml')]);
    assert.match(del.stdout, /deployment\.apps "nginx-deployment" deleted/);
    assert.match(del.stdout, /service "nginx-service" deleted/);
    assert.match((await kubectl(['get', 'svc', '-n', 'dev'])).stderr, /No resources found in dev namespace/);
    const again = await kubectl(['apply', '-n', 'default', '-f', '-'], { input: APP.split('---\n')[1] });
    assert.match(again.stdout, /service\/nginx-service created/);
    assert.equal((await kubectl(['get', 'svc', 'nginx-service', '-o', 'jsonpath={.spec.ports[0].nodePort}'])).stdout, '32600');
  });
});
