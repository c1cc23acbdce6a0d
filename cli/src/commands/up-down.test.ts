// Integration: `up` / `status` / `down` with the real component table and a real etcd; the
// apiserver entry point is a stand-in (an https server that speaks the apiserver's flag
// contract and answers /readyz) so that this test does not depend on the apiserver's progress.
import { strict as assert } from 'node:assert';
import { mkdir, mkdtemp, readFile, rm, writeFile, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseKubeconfig } from '@k8ts/shared';
import { CliError } from '../cli-error.js';
import { isPortFree } from '../ports.js';
import { isOurProcess } from '../process-control.js';
import { probe } from '../readiness.js';
import { stateLayout } from '../state-layout.js';
import { collectStatus } from './status.js';
import { down } from './down.js';
import { up } from './up.js';

const FAKE_APISERVER = `
import { createServer } from 'node:https';
import { readFileSync } from 'node:fs';
const flag = (n) => process.argv.find((a) => a.startsWith('--' + n + '='))?.split('=').slice(1).join('=');
if (process.env.FAKE_CRASH === '1' || flag('secure-port') === process.env.FAKE_CRASH_PORT) { console.error('fake apiserver: crashing on purpose'); process.exit(3); }
for (const f of ['etcd-servers', 'token-auth-file', 'client-ca-file', 'service-cluster-ip-range']) if (!flag(f)) { console.error('missing --' + f); process.exit(2); }
const server = createServer({ cert: readFileSync(flag('tls-cert-file')), key: readFileSync(flag('tls-private-key-file')) },
  (req, res) => { res.statusCode = req.url === '/readyz' ? 200 : 404; res.end('ok'); });
server.listen(Number(flag('secure-port')), flag('bind-address'), () => console.log('fake apiserver listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

// Stand-in controller-manager: answers /readyz on --port (plain HTTP) once it has a kubeconfig.
const FAKE_CONTROLLER_MANAGER = `
import { createServer } from 'node:http';
import { readFileSync } from 'node:fs';
const flag = (n) => process.argv.find((a) => a.startsWith('--' + n + '='))?.split('=').slice(1).join('=');
readFileSync(flag('kubeconfig'));
const server = createServer((req, res) => { res.statusCode = req.url === '/readyz' ? 200 : 404; res.end('ok'); });
server.listen(Number(flag('port') ?? flag('secure-port')), flag('bind-address'), () => console.log('fake controller-manager listening'));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
`;

async function portPair(): Promise<number> {
  for (;;) {
    const p = 20_000 + Math.floor(Math.random() * 30_000);
    if ((await isPortFree(p)) && (await isPortFree(p + 1))) return p;
  }
}

describe('k8ts up / status / down', () => {
  let dir: string;
  let repoRoot: string;
  let stateDir: string;
  let apiserverPort: number;
  let etcdPort: number;
  let controllerManagerPort: number;
  let schedulerPort: number;
  const lines: string[] = [];
  const opts = () => ({ stateDir, repoRoot, out: (l: string) => lines.push(l), overrides: { apiserverPort, etcdPort, controllerManagerPort, schedulerPort, nodeNames: [] }, stopGraceMs: 5_000 });

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8ts-up-'));
    repoRoot = join(dir, 'repo');
    stateDir = join(dir, 'state');
    await mkdir(join(repoRoot, 'apiserver', 'dist'), { recursive: true });
    await writeFile(join(repoRoot, 'apiserver', 'dist', 'main.js'), FAKE_APISERVER);
    await mkdir(join(repoRoot, 'controller-manager', 'dist'), { recursive: true });
    await writeFile(join(repoRoot, 'controller-manager', 'dist', 'main.js'), FAKE_CONTROLLER_MANAGER);
    // the scheduler stands in with the same fake (a health port and a kubeconfig it must read)
    await mkdir(join(repoRoot, 'scheduler', 'dist'), { recursive: true });
    await writeFile(join(repoRoot, 'scheduler', 'dist', 'main.js'), FAKE_CONTROLLER_MANAGER);
    await writeFile(join(repoRoot, 'package.json'), '{"type":"module"}');
    etcdPort = await portPair();
    do apiserverPort = await portPair(); while (apiserverPort === etcdPort || apiserverPort === etcdPort + 1);
    do controllerManagerPort = await portPair(); while ([etcdPort, etcdPort + 1, apiserverPort].includes(controllerManagerPort));
    do schedulerPort = await portPair(); while ([etcdPort, etcdPort + 1, apiserverPort, controllerManagerPort].includes(schedulerPort));
  });

  after(async () => {
    await down({ ...opts(), out: () => {} }).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  });

  it('starts etcd and the apiserver detached, in order, behind readiness checks', async () => {
    await up(opts());
    assert.ok(lines.some((l) => /^✓ etcd ready \(pid \d+/.test(l)), lines.join('\n'));
    assert.ok(lines.some((l) => /^✓ apiserver ready \(pid \d+/.test(l)), lines.join('\n'));
    assert.ok(lines.indexOf(lines.find((l) => l.includes('etcd ready'))!) < lines.indexOf(lines.find((l) => l.includes('apiserver ready'))!));
    assert.ok(lines.some((l) => l.includes('kubectl get ns')));
    assert.ok(lines.some((l) => l.includes('curl --cacert')));
    const rows = await collectStatus(opts());
    assert.ok(lines.indexOf(lines.find((l) => l.includes('apiserver ready'))!) < lines.indexOf(lines.find((l) => l.includes('controller-manager ready'))!));
    assert.deepEqual(rows.map((r) => [r.name, r.ready]), [['etcd', true], ['apiserver', true], ['controller-manager', true], ['scheduler', true]]);
  });

  it('writes an admin kubeconfig whose CA verifies the running apiserver', async () => {
    const layout = stateLayout(stateDir);
    const conn = parseKubeconfig(await readFile(layout.adminKubeconfig, 'utf8'), layout.root);
    assert.equal(conn.server, `https://127.0.0.1:${apiserverPort}`);
    const tokens = await readFile(layout.tokenFile, 'utf8');
    assert.ok(tokens.includes(`${conn.token},admin,`));
    assert.equal((await probe({ url: `${conn.server}/readyz`, ca: conn.ca! })).ok, true);
    assert.equal((await probe({ url: `${conn.server}/readyz` })).ok, false, 'untrusted without the CA');
    for (const id of ['scheduler', 'controller-manager', 'kube-proxy', 'dns']) await access(layout.componentKubeconfig(id));
    const saved = JSON.parse(await readFile(layout.clusterFile, 'utf8'));
    assert.equal(saved.apiserverPort, apiserverPort);
  });

  it('is idempotent: a second up reuses the running processes and credentials', async () => {
    const layout = stateLayout(stateDir);
    const before1 = await collectStatus(opts());
    const tokens = await readFile(layout.tokenFile, 'utf8');
    const ca = await readFile(layout.caCert, 'utf8');
    lines.length = 0;
    await up({ ...opts(), overrides: {} }); // ports come from cluster.json
    assert.ok(lines.some((l) => l.startsWith('✓ etcd already running')), lines.join('\n'));
    assert.ok(lines.some((l) => l.startsWith('✓ apiserver already running')), lines.join('\n'));
    assert.ok(!lines.some((l) => l.includes('generated') || l.includes('created tokens')));
    assert.deepEqual((await collectStatus(opts())).map((r) => r.pid), before1.map((r) => r.pid));
    assert.equal(await readFile(layout.tokenFile, 'utf8'), tokens);
    assert.equal(await readFile(layout.caCert, 'utf8'), ca);
  });

  it('refuses to change the ports of a running cluster', async () => {
    await assert.rejects(up({ ...opts(), overrides: { apiserverPort: apiserverPort + 2, etcdPort } }), (e: unknown) => e instanceof CliError && /down/.test(e.message));
  });

  it('down stops everything in reverse order and keeps the data', async () => {
    const pids = (await collectStatus(opts())).map((r) => r.pid!);
    lines.length = 0;
    await down(opts());
    assert.match(lines[0]!, /^✓ stopped scheduler/);
    assert.match(lines[1]!, /^✓ stopped controller-manager/);
    assert.match(lines[2]!, /^✓ stopped apiserver/);
    assert.match(lines[3]!, /^✓ stopped etcd/);
    for (const pid of pids) assert.equal(await isOurProcess(pid, []), false);
    const layout = stateLayout(stateDir);
    await access(join(layout.etcdDataDir, 'member'));
    await access(layout.caKey);
    assert.deepEqual((await collectStatus(opts())).map((r) => r.detail), ['not running', 'not running', 'not running', 'not running']);
  });

  it('reports a component that dies before ready with its log tail and cleans up its pid file', async () => {
    lines.length = 0;
    process.env.FAKE_CRASH_PORT = String(apiserverPort);
    try {
      await assert.rejects(up(opts()), (e: unknown) =>
        e instanceof CliError && /apiserver did not become ready/.test(e.message) && /crashing on purpose/.test(e.message));
    } finally {
      delete process.env.FAKE_CRASH_PORT;
    }
    const layout = stateLayout(stateDir);
    await assert.rejects(access(layout.pidFile('apiserver')));
    assert.ok(lines.some((l) => l.startsWith('✓ etcd ready')), 'etcd came back with its old data');
  });
});
