// End to end through the real pieces: the real kubectl (and curl) → a real apiserver (TLS,
// bearer token, real etcd) → its kubelet-client certificate → the kubelet HTTPS server →
// the process runtime TEST DOUBLE (exec spawns local processes, logs come from CRI log files
// this test writes). Node and Pod objects are written through the API the way a kubelet
// would report them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { connect, createServer, type Server } from 'node:net';
import { WebSocket } from 'ws';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiClient, Errors, Resources, createLogger, type KubeObject } from '@k8ts/shared';
import { startTestEtcd, freePort, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { start, type ApiServer } from '@k8ts/apiserver/server';
import { startKubeletServer, type KubeletServer } from './kubelet-server.js';
import { ProcessRuntime } from './testing/process-runtime.js';
import { appendCriLog } from './testing/cri-log-file.js';
import { makeTestPki, type TestPki } from './testing/test-pki.js';

const TOKEN = 'streaming-test-token';
const NO_KUBECTL = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 }).status === 0 ? false : 'kubectl is not installed';
const KUBECTL_DIR = (() => { try { return dirname(realpathSync('/usr/bin/kubectl')); } catch { return ''; } })();

let pki: TestPki;
let etcd: TestEtcd;
let api: ApiServer;
let kubelet: KubeletServer;
/** a kubelet that trusts another CA: it refuses the apiserver's client certificate */
let picky: KubeletServer;
/** what pod port 80 forwards to: echoes every byte */
let echo: Server;
let runtime: ProcessRuntime;
let dir = '';
let kubeconfig = '';
let client: ApiClient;

/** (namespace/pod/container[/previous]) → runtime container id, as the kubelet core would resolve it. */
const containers = new Map<string, string>();

interface Out { code: number; stdout: string; stderr: string }

function run(cmd: string, args: string[], o: { input?: string; timeoutMs?: number } = {}): Promise<Out> {
  return new Promise((resolve) => {
    const child = execFile(cmd, args, { timeout: o.timeoutMs ?? 30_000, env: { ...process.env, KUBECONFIG: kubeconfig }, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : -1) : 0;
      resolve({ code, stdout: String(stdout), stderr: String(stderr) });
    });
    if (o.input !== undefined) child.stdin!.end(o.input);
  });
}
const kubectl = (args: string[], o: { input?: string; bin?: string } = {}) =>
  run(o.bin ?? 'kubectl', ['--cache-dir', join(dir, 'kcache'), ...args], o);

function pod(name: string, nodeName: string | undefined, names: string[], statuses: unknown[]): KubeObject {
  return {
    apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels: { app: name } },
    spec: { ...(nodeName ? { nodeName } : {}), containers: names.map((n) => ({ name: n, image: 'busybox' })) },
    status: { phase: 'Running', containerStatuses: statuses },
  } as KubeObject;
}
const running = (name: string, extra: object = {}) => ({ name, ready: true, restartCount: 0, image: 'busybox', imageID: '', containerID: `test://${name}`, state: { running: { startedAt: '2024-01-01T00:00:00Z' } }, ...extra });

async function createPod(p: KubeObject): Promise<void> {
  const created = await client.create(Resources.pods, p);
  await client.updateStatus(Resources.pods, { ...created, status: p.status });
}

async function createNode(name: string, port: number): Promise<void> {
  const n = await client.create(Resources.nodes, { apiVersion: 'v1', kind: 'Node', metadata: { name } } as KubeObject);
  await client.updateStatus(Resources.nodes, {
    ...n, status: { addresses: [{ type: 'InternalIP', address: '127.0.0.1' }, { type: 'Hostname', address: name }], daemonEndpoints: { kubeletEndpoint: { Port: port } } },
  } as KubeObject);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'k8ts-streaming-'));
  pki = await makeTestPki();
  etcd = await startTestEtcd();
  api = await start({
    etcdServers: [etcd.endpoint], bindAddress: '127.0.0.1', securePort: 0, waitForBootstrap: true,
    tlsCertFile: pki.kubelet.certFile, tlsKeyFile: pki.kubelet.keyFile,
    tokens: new Map([[TOKEN, { name: 'admin', groups: ['system:masters'] }]]),
    kubeletClientCertificate: pki.apiserverClient.certFile, kubeletClientKey: pki.apiserverClient.keyFile,
    kubeletCertificateAuthority: pki.caFile,
    logger: createLogger('apiserver', 'silent'),
  });
  client = new ApiClient({ server: api.url, ca: pki.ca, token: TOKEN });

  runtime = new ProcessRuntime({ workDir: dir, pollMs: 25 });
  for (const [id, name] of [['c-web', 'web'], ['c-side', 'side'], ['c-web-0', 'web']] as const) runtime.addContainer(id, { name, logPath: join(dir, `${id}.log`) });
  runtime.setState('c-web-0', 'exited');
  await appendCriLog(join(dir, 'c-web.log'), 'stdout', ['one', 'two', 'three'], Date.UTC(2024, 0, 1, 12));
  await appendCriLog(join(dir, 'c-side.log'), 'stderr', ['side car'], Date.UTC(2024, 0, 1, 12));
  await appendCriLog(join(dir, 'c-web-0.log'), 'stdout', ['previous life'], Date.UTC(2024, 0, 1, 11));
  containers.set('default/web/web', 'c-web').set('default/web/side', 'c-side').set('default/web/web/previous', 'c-web-0');

  echo = createServer((c) => c.pipe(c));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  const echoPort = (echo.address() as { port: number }).port;
  const closedPort = await freePort();
  kubelet = await startKubeletServer({
    host: '127.0.0.1', port: 0, runtime, logger: createLogger('kubelet', 'silent'),
    tls: { cert: pki.kubelet.cert, key: pki.kubelet.key, clientCa: pki.ca },
    portForward: (_ns, _pod, port) => new Promise((resolve, reject) => {
      const c = connect(port === 80 ? echoPort : closedPort, '127.0.0.1');
      c.once('connect', () => resolve(c));
      c.once('error', reject);
    }),
    locate: async (ns, p, c, o) => {
      const id = containers.get(`${ns}/${p}/${c}${o.previous ? '/previous' : ''}`);
      if (id) return { containerId: id };
      return { error: Errors.badRequest(`container "${c}" in pod "${p}" is not available`) };
    },
  });
  picky = await startKubeletServer({
    host: '127.0.0.1', port: 0, runtime, logger: createLogger('kubelet', 'silent'),
    tls: { cert: pki.kubelet.cert, key: pki.kubelet.key, clientCa: await readFile(join(pki.dir, 'other-ca.crt')) },
    locate: async () => ({ containerId: 'c-side' }),
  });
  await createNode('node-a', kubelet.port);
  await createNode('node-picky', picky.port);
  await createNode('node-gone', await freePort());
  await client.create(Resources.services, {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web-svc', namespace: 'default' },
    spec: { selector: { app: 'web' }, ports: [{ name: 'http', port: 8080, targetPort: 80 }] },
  } as KubeObject);
  await createPod(pod('web', 'node-a', ['web', 'side'], [running('web', { restartCount: 1, lastState: { terminated: { exitCode: 1, containerID: 'test://c-web-0' } } }), running('side')]));
  await createPod(pod('pending', undefined, ['app'], []));
  await createPod(pod('starting', 'node-a', ['app'], [{ name: 'app', ready: false, restartCount: 0, image: 'busybox', imageID: '', state: { waiting: { reason: 'ContainerCreating' } } }]));
  await createPod(pod('lost', 'node-gone', ['app'], [running('app')]));
  await createPod(pod('guarded', 'node-picky', ['app'], [running('app')]));

  kubeconfig = join(dir, 'kubeconfig');
  await writeFile(kubeconfig, [
    'apiVersion: v1', 'kind: Config', 'current-context: t',
    'clusters: [{name: t, cluster: {server: "' + api.url + '", certificate-authority: "' + pki.caFile + '"}}]',
    'users: [{name: u, user: {token: ' + TOKEN + '}}]',
    'contexts: [{name: t, context: {cluster: t, user: u, namespace: default}}]', '',
  ].join('\n'));
});

after(async () => {
  await client?.close();
  await kubelet?.close();
  await picky?.close();
  echo?.close();
  await api?.close();
  await etcd?.stop();
  await pki?.remove();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('kubectl logs through the apiserver and the kubelet', { skip: NO_KUBECTL }, () => {
  it('prints a container log, --tail, --timestamps, -c and --previous', async () => {
    assert.equal((await kubectl(['logs', 'web', '-c', 'web'])).stdout, 'one\ntwo\nthree\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--tail=1'])).stdout, 'three\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--tail=1', '--timestamps'])).stdout, '2024-01-01T12:00:00.000000000Z three\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'side'])).stdout, 'side car\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--previous'])).stdout, 'previous life\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--limit-bytes=6'])).stdout, 'one\ntw');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--since=1h'])).stdout, '', 'the lines are from 2024');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--since-time=2024-01-01T12:00:00Z'])).stdout, 'one\ntwo\nthree\n');
    assert.equal((await kubectl(['logs', 'web', '-c', 'web', '--since-time=2024-01-01T12:00:01Z'])).stdout, '');
    const d = await kubectl(['logs', 'web']);
    assert.equal(d.stdout, 'one\ntwo\nthree\n', 'kubectl defaults to the first container');
  });

  it('follows with -f until the stream ends', async () => {
    const child = spawn('kubectl', ['--cache-dir', join(dir, 'kcache'), 'logs', '-f', 'web', '-c', 'web'], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    try {
      await waitFor(() => out.includes('three\n'));
      await appendCriLog(join(dir, 'c-web.log'), 'stdout', ['four']);
      await waitFor(() => out.includes('four\n'));
      runtime.setState('c-web', 'exited'); // the container ends: the kubelet ends the stream
      assert.equal(await exited, 0);
      assert.equal(out, 'one\ntwo\nthree\nfour\n');
    } finally {
      runtime.setState('c-web', 'running');
      child.kill();
    }
  });

  it('answers upstream errors: wrong container, unbound pod, waiting container, unreachable kubelet', async () => {
    const wrong = await kubectl(['logs', 'web', '-c', 'nope']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /container nope is not valid for pod web/);
    const pending = await kubectl(['logs', 'pending']);
    assert.notEqual(pending.code, 0);
    assert.match(pending.stderr, /pod pending does not have a host assigned/);
    const starting = await kubectl(['logs', 'starting']);
    assert.notEqual(starting.code, 0);
    assert.match(starting.stderr, /container "app" in pod "starting" is waiting to start: ContainerCreating/);
    const lost = await kubectl(['logs', 'lost']);
    assert.notEqual(lost.code, 0);
    assert.match(lost.stderr, /error dialing backend: kubelet of node "node-gone"/);
  });

  it('serves curl on /api/v1/namespaces/default/pods/web/log', async () => {
    const base = `${api.url}/api/v1/namespaces/default/pods/web/log`;
    const ok = await run('curl', ['-sS', '--cacert', pki.caFile, '-H', `Authorization: Bearer ${TOKEN}`, `${base}?container=side`]);
    assert.equal(ok.stdout, 'side car\n');
    const multi = await run('curl', ['-sS', '--cacert', pki.caFile, '-H', `Authorization: Bearer ${TOKEN}`, base]);
    const st = JSON.parse(multi.stdout);
    assert.equal(st.code, 400);
    assert.equal(st.message, 'a container name must be specified for pod web, choose one of: [web side]');
    const anon = await run('curl', ['-sS', '--cacert', pki.caFile, '-o', '/dev/null', '-w', '%{http_code}', `${base}?container=side`]);
    assert.equal(anon.stdout, '401');
  });
});

describe('kubectl exec through the apiserver and the kubelet', { skip: NO_KUBECTL }, () => {
  it('prints output and exits with the command\'s exit code', async () => {
    const r = await kubectl(['exec', 'web', '-c', 'web', '--', 'sh', '-c', 'echo hi; echo err >&2; exit 3']);
    assert.equal(r.stdout, 'hi\n');
    assert.match(r.stderr, /err/);
    assert.equal(r.code, 3);
    const ok = await kubectl(['exec', 'web', '-c', 'web', '--', 'echo', 'fine']);
    assert.equal(ok.code, 0);
    assert.equal(ok.stdout, 'fine\n');
  });

  it('copies files both ways with kubectl cp (tar over exec)', async () => {
    await writeFile(join(dir, 'in-pod.txt'), 'from the pod\n');
    const down = await kubectl(['cp', '-c', 'web', 'web:in-pod.txt', join(dir, 'copied.txt')]);
    assert.equal(down.code, 0, down.stderr);
    assert.equal(await readFile(join(dir, 'copied.txt'), 'utf8'), 'from the pod\n');
    await writeFile(join(dir, 'local.txt'), 'to the pod\n');
    const up = await kubectl(['cp', '-c', 'web', join(dir, 'local.txt'), 'web:uploaded.txt']);
    assert.equal(up.code, 0, up.stderr);
    assert.equal(await readFile(join(dir, 'uploaded.txt'), 'utf8'), 'to the pod\n');
  });

  it('pipes stdin with -i', async () => {
    const r = await kubectl(['exec', '-i', 'web', '-c', 'web', '--', 'sh', '-c', 'tr a-z A-Z'], { input: 'piped data\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'PIPED DATA\n');
  });

  it('runs -it under a pseudo-terminal (tty flag, resize messages)', async (t) => {
    if (spawnSync('script', ['--version'], { stdio: 'ignore' }).status !== 0) { t.skip('script(1) is not installed'); return; }
    const cmd = `stty cols 100 rows 30; kubectl --cache-dir ${join(dir, 'kcache')} exec -it web -c web -- sh -c 'sleep 1; echo tty-ok; exit 4'`;
    const r = await run('script', ['-qec', cmd, '/dev/null'], { input: '' });
    assert.match(r.stdout, /tty-ok/);
    assert.equal(r.code, 4);
    assert.deepEqual(runtime.resizes[0], { width: 100, height: 30 }, 'kubectl sent the terminal size on channel 4');
  });

  it('fails cleanly: wrong container, unbound pod, unreachable kubelet', async () => {
    const wrong = await kubectl(['exec', 'web', '-c', 'nope', '--', 'true']);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /nope/);
    const pending = await kubectl(['exec', 'pending', '--', 'true']);
    assert.notEqual(pending.code, 0);
    assert.match(pending.stderr, /pod pending does not have a host assigned/);
    const lost = await kubectl(['exec', 'lost', '--', 'true']);
    assert.notEqual(lost.code, 0);
    assert.match(lost.stderr, /error dialing backend/);
  });

  it('execs over SPDY/3.1 for kubectl 1.29 (no WebSocket): output, exit code, stdin', async (t) => {
    const bin = join(KUBECTL_DIR, 'kubectl.1.29');
    if (!KUBECTL_DIR || !existsSync(bin)) { t.skip(`${bin} not installed`); return; }
    const r = await kubectl(['exec', 'web', '-c', 'web', '--', 'sh', '-c', 'echo old; echo err >&2; exit 5'], { bin });
    assert.equal(r.stdout, 'old\n');
    assert.match(r.stderr, /err/);
    assert.equal(r.code, 5);
    const i = await kubectl(['exec', '-i', 'web', '-c', 'web', '--', 'tr', 'a-z', 'A-Z'], { bin, input: 'spdy stdin\n' });
    assert.equal(i.code, 0, i.stderr);
    assert.equal(i.stdout, 'SPDY STDIN\n');
  });
});

/** One request to the apiserver as the admin (or anonymously); resolves with code and body. */
function apiGet(path: string, o: { token?: boolean; onData?: (chunk: string, abort: () => void) => void } = {}): Promise<{ code: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(api.url + path, { ca: pki.ca, agent: false, headers: o.token === false ? {} : { Authorization: `Bearer ${TOKEN}` } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; o.onData?.(body, () => { req.destroy(); resolve({ code: res.statusCode!, body }); }); });
      res.on('end', () => resolve({ code: res.statusCode!, body }));
    });
    req.on('error', (err) => (req.destroyed ? undefined : reject(err)));
    req.end();
  });
}

/** exec over a WebSocket straight to the apiserver; resolves with the channels' contents. */
function wsExec(query: string, o: { protocols?: string[]; token?: boolean } = {}): Promise<{ protocol: string; stdout: string; status: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${api.url.replace('https', 'wss')}/api/v1/namespaces/default/pods/web/exec?${query}`, o.protocols ?? ['v5.channel.k8s.io'], {
      ca: pki.ca, headers: o.token === false ? {} : { Authorization: `Bearer ${TOKEN}` },
    });
    const r = { protocol: '', stdout: '', status: '' };
    ws.on('open', () => (r.protocol = ws.protocol));
    ws.on('message', (m: Buffer) => { if (m[0] === 1) r.stdout += m.subarray(1); if (m[0] === 3) r.status = m.subarray(1).toString(); });
    ws.on('unexpected-response', (_q, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
    ws.on('close', () => resolve(r));
  });
}

describe('kubectl port-forward through the apiserver and the kubelet (SPDY/3.1)', { skip: NO_KUBECTL }, () => {
  it('forwards a local port to the pod port, both ways, for several connections', async () => {
    const spare = await freePort();
    const child = spawn('kubectl', ['--cache-dir', join(dir, 'kcache'), 'port-forward', 'pod/web', ':80', `${spare}:81`], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      await waitFor(() => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(out) || child.exitCode !== null);
      assert.equal(child.exitCode, null, `kubectl port-forward exited: ${out}${err}`);
      const local = Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(out)![1]);

      for (const msg of ['hello\n', 'x'.repeat(200_000)]) {
        assert.equal(await roundTrip(local, msg), msg);
      }
      // a pod port nobody listens on: the kubelet reports the dial error on the error stream
      assert.equal(await roundTrip(spare, 'anyone?').catch(() => ''), '');
      await waitFor(() => /error forwarding port 81: connect ECONNREFUSED/.test(err));
    } finally {
      child.kill();
    }
  });
});

describe('kubectl port-forward to a service (kubectl picks a pod and maps the port)', { skip: NO_KUBECTL }, () => {
  it('forwards svc/web-svc 8080 to pod web port 80', async () => {
    const child = spawn('kubectl', ['--cache-dir', join(dir, 'kcache'), 'port-forward', 'service/web-svc', ':8080'], { env: { ...process.env, KUBECONFIG: kubeconfig } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    try {
      await waitFor(() => /Forwarding from 127\.0\.0\.1:\d+ -> 80/.test(out) || child.exitCode !== null);
      assert.equal(child.exitCode, null, `kubectl port-forward exited: ${out}${err}`);
      const local = Number(/Forwarding from 127\.0\.0\.1:(\d+) -> 80/.exec(out)![1]);
      assert.equal(await roundTrip(local, 'via service\n'), 'via service\n');
    } finally {
      child.kill();
    }
  });
});

/** Sends `msg` to 127.0.0.1:port, half-closes, resolves with everything read back. */
function roundTrip(port: number, msg: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.end(msg));
    let got = '';
    c.on('data', (d) => (got += d));
    c.on('end', () => resolve(got));
    c.on('error', reject);
  });
}

describe('apiserver proxy edge cases', () => {
  it('closes the kubelet stream when a following client goes away', async () => {
    const r = await apiGet('/api/v1/namespaces/default/pods/web/log?container=web&follow=true', { onData: (body, abort) => { if (body.includes('three')) abort(); } });
    assert.equal(r.code, 200);
    await waitFor(() => runtime.activeLogs === 0);
  });

  it('passes the WebSocket subprotocol through (v4 and v5)', async () => {
    const v4 = await wsExec('container=web&command=echo&command=v4&stdout=true', { protocols: ['v4.channel.k8s.io'] });
    assert.deepEqual([v4.protocol, v4.stdout], ['v4.channel.k8s.io', 'v4\n']);
    assert.equal(JSON.parse(v4.status).status, 'Success');
    const v5 = await wsExec('container=web&command=echo&command=v5&stdout=true');
    assert.deepEqual([v5.protocol, v5.stdout], ['v5.channel.k8s.io', 'v5\n']);
  });

  it('authenticates upgrades before proxying them', async () => {
    await assert.rejects(wsExec('container=web&command=true&stdout=true', { token: false }), /HTTP 401/);
  });

  it('answers 400 for exec without an upgrade and for port-forward, 502 when the kubelet refuses the apiserver', async () => {
    const plain = await apiGet('/api/v1/namespaces/default/pods/web/exec?container=web&command=true&stdout=true');
    assert.equal(plain.code, 400);
    assert.match(JSON.parse(plain.body).message, /Upgrade request required/);
    const pf = await apiGet('/api/v1/namespaces/default/pods/web/portforward?ports=80');
    assert.equal(pf.code, 400);
    assert.match(JSON.parse(pf.body).message, /Upgrade request required/);
    const refused = await apiGet('/api/v1/namespaces/default/pods/guarded/log');
    assert.equal(refused.code, 502);
    assert.match(JSON.parse(refused.body).message, /kubelet of node "node-picky" refused the apiserver's client certificate/);
    assert.equal((await apiGet('/healthz')).body, 'ok');
  });

  it('tells kubectl attach that attach is not supported', { skip: NO_KUBECTL }, async () => {
    const r = await kubectl(['attach', 'web', '-c', 'web']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /attach is not supported/);
  });
});

async function waitFor(cond: () => boolean, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
