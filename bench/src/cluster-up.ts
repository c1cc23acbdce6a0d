// `npm run bench:cluster`: how long a cluster takes to be usable, and what its control plane
// weighs at idle, for both ways of running k8ts:
//   1. local launcher: `npm run up` (everything installed and built) → every node Ready;
//      then `npm run down`.
//   2. Compose: `npm run compose:up` with the images already built (K8TS_COMPOSE_SKIP_BUILD=1,
//      after one untimed build) → every node Ready (compose:up's own wait); then compose:down.
// For each: wall time to Ready, and the summed RSS (VmRSS) of the apiserver, scheduler and
// controller-manager processes after IDLE_MS at idle (Compose: the leaders and all replicas).
// Goals: ≤ 15 s to Ready, ≤ 300 MB RSS. Writes bench/results/cluster.json; timings never fail
// the run (exit 1 only when a cluster does not come up). Uses 127.0.0.1 and the project's own
// containers only. Ready = kubectl sees every node Ready with a heartbeat of this start (Node
// objects keep the last run's Ready=True in etcd across down/up).
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const IDLE_MS = Number(process.env.K8TS_BENCH_IDLE_MS ?? 15_000);
const NODES = Number(process.env.K8TS_NODES ?? 2);
const GOAL_READY_S = 15;
const GOAL_RSS_MB = 300;

function sh(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}, timeoutMs = 900_000): Promise<{ code: number; out: string }> {
  return new Promise((res) => {
    const child = spawn(cmd, args, { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    const t = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.on('close', (code) => { clearTimeout(t); res({ code: code ?? 1, out }); });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Nodes with Ready=True reported since `since` (lastHeartbeatTime, second precision): Node
 *  objects survive down/up in etcd with the last run's Ready=True, which must not count. */
async function readyNodes(kubeconfig: string, since: string): Promise<number> {
  const r = await sh('kubectl', ['--kubeconfig', kubeconfig, 'get', 'nodes', '-o',
    'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {.status.conditions[?(@.type=="Ready")].lastHeartbeatTime}{"\\n"}{end}'], {}, 15_000);
  if (r.code !== 0) return 0;
  return r.out.split('\n').filter((l) => { const [st, hb] = l.split(' '); return st === 'True' && !!hb && hb >= since; }).length;
}

/** ISO time (seconds) one second before now: what a fresh heartbeat must not be older than. */
const isoSecondAgo = (): string => new Date(Math.floor(Date.now() / 1000) * 1000 - 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

async function waitNodesReady(kubeconfig: string, n: number, since: string, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if ((await readyNodes(kubeconfig, since)) >= n) return true;
    await sleep(200);
  }
  return false;
}

function rssKb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) : 0;
  } catch { return 0; }
}

/** Pids whose command line contains `needle` (and, if given, is a descendant of `under`). */
function pidsMatching(needle: string, under?: number): number[] {
  const out: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'utf8');
      if (!cmd.includes(needle) || !cmd.startsWith('node') && !cmd.includes('/node\0')) continue;
      if (under !== undefined && !descendsFrom(Number(d), under)) continue;
      out.push(Number(d));
    } catch { /* gone */ }
  }
  return out;
}

function descendsFrom(pid: number, ancestor: number): boolean {
  for (let p = pid, i = 0; p > 1 && i < 64; i++) {
    if (p === ancestor) return true;
    try { p = Number(readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]); } catch { return false; }
  }
  return false;
}

const COMPONENTS = ['apiserver/dist/main.js', 'scheduler/dist/main.js', 'controller-manager/dist/main.js'];

interface Result {
  readySeconds?: number;
  readyMeaning: string;
  rssMB: Record<string, number>;
  totalRssMB: number;
  ok: boolean;
  note?: string;
}

async function benchLocal(): Promise<Result> {
  const kubeconfig = join(repo, '.k8ts', 'kubeconfig');
  await sh('npm', ['run', 'down'], {}, 120_000);
  const since = isoSecondAgo();
  const t0 = performance.now();
  const up = await sh('npm', ['run', 'up'], {}, 300_000);
  if (up.code !== 0) return { readyMeaning: 'npm run up failed', rssMB: {}, totalRssMB: 0, ok: false, note: up.out.slice(-2000) };
  // Every launcher node (npm run up starts 2) Ready, by a kubelet of this start.
  if (!(await waitNodesReady(kubeconfig, NODES, since, 120_000))) {
    await sh('npm', ['run', 'down'], {}, 120_000);
    return { readyMeaning: `${NODES} nodes not Ready within 120 s`, rssMB: {}, totalRssMB: 0, ok: false };
  }
  const meaning = `${NODES} launcher nodes Ready (kubectl; heartbeat of this start)`;
  const readySeconds = (performance.now() - t0) / 1000;
  await sleep(IDLE_MS);
  const rssMB: Record<string, number> = {};
  for (const c of COMPONENTS) {
    const pids = pidsMatching(join(repo, c));
    if (pids.length) rssMB[c.split('/')[0]!] = pids.reduce((a, p) => a + rssKb(p), 0) / 1024;
  }
  await sh('npm', ['run', 'down'], {}, 120_000);
  return { readySeconds, readyMeaning: meaning, rssMB, totalRssMB: Object.values(rssMB).reduce((a, b) => a + b, 0), ok: true };
}

async function containerPid(service: string): Promise<{ id: string; pid: number }[]> {
  const ids = (await sh('docker', ['ps', '-q', '--filter', 'label=com.docker.compose.project=k8ts', '--filter', `label=com.docker.compose.service=${service}`], {}, 30_000)).out.split('\n').map((s) => s.trim()).filter((s) => /^[0-9a-f]{12,}$/.test(s));
  const out: { id: string; pid: number }[] = [];
  for (const id of ids) out.push({ id, pid: Number((await sh('docker', ['inspect', '-f', '{{.State.Pid}}', id], {}, 30_000)).out.trim()) });
  return out;
}

async function benchCompose(): Promise<Result & { replicasRssMB: Record<string, number> }> {
  const build = await sh('bash', ['compose/images/build.sh']);
  if (build.code !== 0) return { readyMeaning: 'image build failed', rssMB: {}, totalRssMB: 0, ok: false, note: build.out.slice(-2000), replicasRssMB: {} };
  await sh('bash', ['compose/scripts/down.sh']);
  const t0 = performance.now();
  const up = await sh('bash', ['compose/scripts/up.sh'], { K8TS_COMPOSE_SKIP_BUILD: '1', K8TS_NODES: String(NODES) });
  const readySeconds = (performance.now() - t0) / 1000;
  if (up.code !== 0) return { readyMeaning: 'compose:up failed', rssMB: {}, totalRssMB: 0, ok: false, note: up.out.slice(-2000), replicasRssMB: {} };
  await sleep(IDLE_MS);
  const rssMB: Record<string, number> = {};
  const replicasRssMB: Record<string, number> = {};
  const services: Record<string, string[]> = {
    apiserver: ['apiserver'], scheduler: ['scheduler-1', 'scheduler-2'], 'controller-manager': ['controller-manager-1', 'controller-manager-2'],
  };
  for (const [component, svcs] of Object.entries(services)) {
    const each: number[] = [];
    for (const svc of svcs) {
      for (const { pid } of await containerPid(svc)) {
        const kb = pidsMatching(`${component}/dist/main.js`, pid).reduce((a, p) => a + rssKb(p), 0);
        if (kb) each.push(kb / 1024);
      }
    }
    if (each.length) { rssMB[component] = Math.max(...each); replicasRssMB[component] = each.reduce((a, b) => a + b, 0); }
  }
  await sh('bash', ['compose/scripts/down.sh']);
  return {
    readySeconds,
    readyMeaning: `compose:up returned: ${NODES} nodes Ready (kubectl; heartbeat of this start)`,
    rssMB, totalRssMB: Object.values(rssMB).reduce((a, b) => a + b, 0), replicasRssMB, ok: true,
  };
}

const r2 = (x: number | undefined) => (x === undefined ? undefined : Math.round(x * 100) / 100);

const { loadavg, cpus } = await import('node:os');
const loadAtStart = loadavg()[0]!;
if (loadAtStart > 1) process.stderr.write(`warning: 1-minute load average ${loadAtStart.toFixed(2)} at start: other work skews the figures\n`);
const local = process.env.K8TS_BENCH_SKIP_LOCAL === '1' ? undefined : await benchLocal();
const compose = process.env.K8TS_BENCH_SKIP_COMPOSE === '1' ? undefined : await benchCompose();
const result = {
  date: new Date().toISOString(),
  machine: { cores: cpus().length, node: process.version },
  loadAverage1m: { start: r2(loadAtStart), end: r2(loadavg()[0]) },
  goals: { readySeconds: GOAL_READY_S, controlPlaneRssMB: GOAL_RSS_MB },
  idleMs: IDLE_MS,
  local: local && { ...local, readySeconds: r2(local.readySeconds), totalRssMB: r2(local.totalRssMB), rssMB: Object.fromEntries(Object.entries(local.rssMB).map(([k, v]) => [k, r2(v)])) },
  compose: compose && { ...compose, nodes: NODES, readySeconds: r2(compose.readySeconds), totalRssMB: r2(compose.totalRssMB),
    rssMB: Object.fromEntries(Object.entries(compose.rssMB).map(([k, v]) => [k, r2(v)])),
    replicasRssMB: Object.fromEntries(Object.entries(compose.replicasRssMB).map(([k, v]) => [k, r2(v)])) },
};
await mkdir(join(repo, 'bench', 'results'), { recursive: true });
await writeFile(join(repo, 'bench', 'results', 'cluster.json'), JSON.stringify(result, null, 2) + '\n');
for (const [name, r] of [['local (npm run up)', result.local], ['compose (npm run compose:up)', result.compose]] as const) {
  if (!r) continue;
  const ready = r.readySeconds === undefined ? 'n/a' : `${r.readySeconds} s${r.readySeconds <= GOAL_READY_S ? '' : ` (goal ${GOAL_READY_S} s)`}`;
  process.stdout.write(`${name}: ready in ${ready} [${r.readyMeaning}]; control-plane RSS ${r.totalRssMB} MB ${JSON.stringify(r.rssMB)}\n`);
}
process.stdout.write('results: bench/results/cluster.json\n');
process.exitCode = (local && !local.ok) || (compose && !compose.ok) ? 1 : 0;
