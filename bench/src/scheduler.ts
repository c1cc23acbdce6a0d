// `npm run bench:scheduler`: the scheduler benchmark.
//
// One run starts its own etcd and the real apiserver (separate process, HTTPS + token auth,
// see cluster.ts) and the real scheduler as a separate process (`node scheduler/dist/main.js
// --kubeconfig=… --leader-elect=true`), then, on 127.0.0.1 only:
//   1. creates BENCH_NODES (1,000) simulated nodes: Node objects only (POST + nodes/status
//      with allocatable and Ready=True), no kubelets;
//   2. raw baseline: the benchmark itself creates BENCH_RAW_PODS pods (schedulerName
//      bench-raw, ignored by the scheduler) and binds each with POST pods/{name}/binding to a
//      node round-robin, BENCH_INFLIGHT (64) pods in flight — the best the apiserver allows
//      for "create a pod, then bind it", with zero scheduling work;
//   3. scheduler: BENCH_PODS (10,000) pods created the same way (64 in flight), bound by the
//      scheduler; a watch in the benchmark sees each pod's spec.nodeName appear. Figures:
//      pods bound/s (first create → last bind seen), its ratio to the raw baseline, and the
//      p50/p99 of scheduler_scheduling_attempt_duration_seconds from the scheduler's /metrics;
//   4. backlog: BENCH_BACKLOG (5,000) pods created while the scheduler is stopped; a fresh
//      scheduler process starts, wins the lease, lists them and binds them: pods bound/s from
//      its first bind to its last;
//   0. (first, in this process, no API) the scheduling algorithm alone: BENCH_PODS pods
//      filtered, scored and assumed over BENCH_NODES nodes with the scheduler's own cache and
//      framework — the scheduler's capacity without any HTTP, to compare with phases 2–4;
//   5. Deployment of BENCH_REPLICAS (1,000) replicas from POST to all pods bound, through the
//      controller-manager (`node controller-manager/dist/main.js`), if it has the deployment and
//      replicaset controllers — otherwise the phase is skipped with a message; it runs with
//      --controllers=deployment,replicaset; plus the controller-manager's RSS.
// Prints a table and writes bench/results/scheduler.json. Exit code 1 only when something
// functionally broke (pods not bound, failed requests), 2 past the time budget, never for timings.
// Knobs: BENCH_NODES, BENCH_PODS, BENCH_RAW_PODS (2000), BENCH_BACKLOG, BENCH_REPLICAS,
// BENCH_INFLIGHT, BENCH_SCHEDULER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_SCHEDULER_ARGS (extra scheduler flags), BENCH_APISERVER_NODE_ARGS (same, for the apiserver), BENCH_BUDGET_S (600), BENCH_OUT.
import { spawn, type ChildProcess } from 'node:child_process';

import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Pool } from 'undici';
import { renderKubeconfig } from '@k8ts/cli/kubeconfig-render';
import { freePort } from '@k8ts/shared/testing/etcd';
import { startCluster, repoRoot, tail, type BenchCluster } from './cluster.js';
import { cpuSecondsOf, now, round, selfCpuSeconds } from './stats.js';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const CFG = {
  nodes: env('BENCH_NODES', 1_000),
  pods: env('BENCH_PODS', 10_000),
  rawPods: env('BENCH_RAW_PODS', 2_000),
  backlog: env('BENCH_BACKLOG', 5_000),
  replicas: env('BENCH_REPLICAS', 1_000),
  inflight: env('BENCH_INFLIGHT', 64),
  budgetSeconds: env('BENCH_BUDGET_S', 600),
};
const OUT = process.env.BENCH_OUT ?? join(repoRoot, 'bench', 'results', 'scheduler.json');

const failures: string[] = [];
const fail = (msg: string) => { failures.push(msg); console.error(`FAILED: ${msg}`); };
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ cleanup on every exit path
const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try { await c(); } catch (e) { console.error(`cleanup: ${(e as Error).message}`); }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => { console.error(`\n${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)); });
}

async function runConcurrent(total: number, inflight: number, op: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      await op(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, total) }, worker));
  return (now() - t0) / 1000;
}

// ------------------------------------------------------------------ processes
interface Proc { child: ChildProcess; logFile: string; port: number; alive(): boolean; stop(): Promise<void> }

async function spawnComponent(name: string, args: string[], nodeArgs: string[], dir: string): Promise<Proc> {
  const logFile = join(dir, `${name}-${Date.now()}.log`);
  const fh = await open(logFile, 'w');
  const port = await freePort();
  const child = spawn(process.execPath, [...nodeArgs, ...args.map((a) => a.replace('$PORT', String(port)))], {
    stdio: ['ignore', fh.fd, fh.fd], env: { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn' }, cwd: dir,
  });
  await fh.close();
  const alive = () => child.exitCode === null && child.signalCode === null;
  const stop = async () => {
    if (!alive()) return;
    await new Promise<void>((res) => {
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => { clearTimeout(t); res(); });
      child.kill('SIGTERM');
    });
  };
  cleanups.push(stop);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (!alive()) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}):\n${await tail(logFile)}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (r.status === 200) break;
    } catch { /* not yet */ }
    if (Date.now() > deadline) throw new Error(`${name} not ready after 30 s:\n${await tail(logFile)}`);
    await sleep(100);
  }
  return { child, logFile, port, alive, stop };
}

function rssMiB(pid: number | undefined): { rssMiB: number; peakRssMiB: number } {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k: string) => Number(new RegExp(`^${k}:\\s+(\\d+)`, 'm').exec(s)?.[1] ?? NaN);
    return { rssMiB: round(kb('VmRSS') / 1024, 1), peakRssMiB: round(kb('VmHWM') / 1024, 1) };
  } catch {
    return { rssMiB: NaN, peakRssMiB: NaN };
  }
}

/** histogram_quantile over cumulative buckets (linear interpolation inside a bucket, as Prometheus). */
export function histogramQuantile(q: number, buckets: Array<[number, number]>): number {
  if (!buckets.length) return NaN;
  const total = buckets[buckets.length - 1]![1];
  if (total === 0) return NaN;
  const rank = q * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      if (bound === Infinity) return prevBound;
      return prevBound + (bound - prevBound) * ((rank - prevCount) / Math.max(1, count - prevCount));
    }
    prevBound = bound;
    prevCount = count;
  }
  return prevBound;
}

type Hist = { buckets: Array<[number, number]>; count: number; sum: number };

/** One histogram series from the scheduler's /metrics (`filter`: a label pair it must carry). */
async function scrapeHistogram(port: number, name: string, filter = ''): Promise<Hist> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const buckets: Array<[number, number]> = [];
  let count = 0;
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name) || (filter && !line.includes(filter))) continue;
    const v = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (line.startsWith(`${name}_bucket`)) {
      const le = /[{,]le="([^"]+)"/.exec(line)![1]!;
      buckets.push([le === '+Inf' ? Infinity : Number(le), v]);
    } else if (line.startsWith(`${name}_count`)) count = v;
    else if (line.startsWith(`${name}_sum`)) sum = v;
  }
  return { buckets, count, sum };
}
const ATTEMPT = 'scheduler_scheduling_attempt_duration_seconds';
const ALGORITHM = 'scheduler_scheduling_algorithm_duration_seconds';
const attemptHistogram = (port: number, result: string): Promise<Hist> => scrapeHistogram(port, ATTEMPT, `result="${result}"`);
const quantilesMs = (h: Hist) => ({ p50: round(histogramQuantile(0.5, h.buckets) * 1000, 2), p99: round(histogramQuantile(0.99, h.buckets) * 1000, 2), mean: round((h.sum / h.count) * 1000, 3), count: h.count });

/** Difference of two cumulative histograms (a later minus an earlier scrape). */
function histDelta(a: { buckets: Array<[number, number]>; count: number; sum: number }, b: typeof a): typeof a {
  const prev = new Map(a.buckets);
  return { buckets: b.buckets.map(([le, c]) => [le, c - (prev.get(le) ?? 0)] as [number, number]), count: b.count - a.count, sum: b.sum - a.sum };
}

// ------------------------------------------------------------------ bound-pod watch
/** Watches pods in `ns`; records when each pod is first seen with spec.nodeName. */
class BoundWatch {
  readonly boundAt = new Map<string, number>();
  readonly nodeOf = new Map<string, string>();
  private readonly abort = new AbortController();
  private waiters: Array<() => void> = [];
  private done: Promise<void>;
  constructor(private readonly cluster: BenchCluster, private readonly ns: string, private readonly labelSelector?: string) {
    this.done = this.run();
  }
  private async run(): Promise<void> {
    const headers = { authorization: `Bearer ${this.cluster.token}`, accept: 'application/json' };
    const pool = new Pool(this.cluster.url, { connections: 1, connect: { ca: this.cluster.caPem } });
    let rv = '';
    try {
      while (!this.abort.signal.aborted) {
        const q = new URLSearchParams({ watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: '3600', ...(rv ? { resourceVersion: rv } : {}), ...(this.labelSelector ? { labelSelector: this.labelSelector } : {}) });
        const r = await pool.request({ path: `/api/v1/namespaces/${this.ns}/pods?${q}`, method: 'GET', headers, signal: this.abort.signal });
        let buf = '';
        for await (const chunk of r.body) {
          buf += chunk.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            if (!line) continue;
            const ev = JSON.parse(line);
            if (ev.type === 'ERROR') { rv = ''; continue; }
            rv = ev.object?.metadata?.resourceVersion ?? rv;
            const node = ev.object?.spec?.nodeName;
            const name = ev.object?.metadata?.name;
            if (node && name && !this.boundAt.has(name)) {
              this.boundAt.set(name, now());
              this.nodeOf.set(name, node);
              for (const w of this.waiters.splice(0)) w();
            }
          }
        }
      }
    } catch (e) {
      if (!this.abort.signal.aborted) fail(`pod watch failed: ${(e as Error).message}`);
    } finally {
      await pool.destroy().catch(() => undefined);
    }
  }
  async waitFor(n: number, timeoutMs: number, label: string): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let lastCount = -1;
    let lastProgress = Date.now();
    while (this.boundAt.size < n) {
      if (this.boundAt.size !== lastCount) { lastCount = this.boundAt.size; lastProgress = Date.now(); }
      if (Date.now() > deadline || Date.now() - lastProgress > 60_000) {
        fail(`${label}: only ${this.boundAt.size}/${n} pods bound`);
        return false;
      }
      await new Promise<void>((res) => { const t = setTimeout(res, 500); this.waiters.push(() => { clearTimeout(t); res(); }); });
    }
    return true;
  }
  async stop(): Promise<void> {
    this.abort.abort();
    await this.done;
  }
}

// ------------------------------------------------------------------ the run
async function main(): Promise<number> {
  const started = new Date();
  const load0 = os.loadavg()[0]!;
  if (load0 > 1) log(`warning: 1-minute load average is ${load0.toFixed(2)} before the run: other work on this machine will skew the figures`);
  const budget = setTimeout(() => {
    fail(`the run exceeded its ${CFG.budgetSeconds} s budget; aborting`);
    void cleanup().finally(() => process.exit(2));
  }, CFG.budgetSeconds * 1000);
  cleanups.push(() => clearTimeout(budget));

  const algorithm = await algorithmOnly();

  log('starting etcd and the apiserver (separate process, HTTPS + token auth)');
  const cluster = await startCluster({ nodeArgs: process.env.BENCH_APISERVER_NODE_ARGS?.split(' ').filter(Boolean) });
  const phaseWindows: Record<string, [number, number]> = {};
  const sinceSpawn = (t: number) => round((t - cluster.spawnedAt) / 1000, 2);
  cleanups.push(async () => {
    if (failures.length && !cluster.apiserverAlive()) console.error(await tail(cluster.apiserverLog));
    await cluster.stop();
  });
  const kubeconfig = join(cluster.tmp, 'bench.kubeconfig');
  await writeFile(kubeconfig, renderKubeconfig({ server: cluster.url, caPem: cluster.caPem, user: 'bench-admin', token: cluster.token }), { mode: 0o600 });

  const api = new Pool(cluster.url, { connections: CFG.inflight, pipelining: 1, connect: { ca: cluster.caPem } });
  cleanups.push(() => api.destroy());
  const headers = { authorization: `Bearer ${cluster.token}`, 'content-type': 'application/json', accept: 'application/json' };
  const call = async (method: 'POST' | 'PATCH' | 'GET', path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; text: string }> => {
    const r = await api.request({ path, method, headers: { ...headers, 'content-type': contentType }, body: body === undefined ? undefined : JSON.stringify(body) });
    return { status: r.statusCode, text: await r.body.text() };
  };
  let requestErrors = 0;
  const must = async (what: string, p: Promise<{ status: number; text: string }>, ok = [200, 201]): Promise<void> => {
    const r = await p.catch((e: Error) => ({ status: 0, text: e.message }));
    if (!ok.includes(r.status)) {
      if (requestErrors++ < 5) fail(`${what}: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    }
  };
  const cpu = () => ({ api: cpuSecondsOf(cluster.apiserverPid), etcd: cpuSecondsOf(cluster.etcdPid), bench: selfCpuSeconds(), t: now() });
  const cpuSince = (m: ReturnType<typeof cpu>, schedulerPid?: number, s0 = NaN) => {
    const e = cpu();
    return {
      wallSeconds: round((e.t - m.t) / 1000, 2), apiserverCpuSeconds: round(e.api - m.api), etcdCpuSeconds: round(e.etcd - m.etcd),
      benchClientCpuSeconds: round(e.bench - m.bench), ...(schedulerPid ? { schedulerCpuSeconds: round(cpuSecondsOf(schedulerPid) - s0) } : {}),
    };
  };

  for (const ns of ['bench-raw', 'bench-sched', 'bench-backlog', 'bench-deploy']) {
    await must(`namespace ${ns}`, call('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } }));
  }

  // ---------------------------------------------------------------- 1. simulated nodes
  log(`creating ${CFG.nodes} simulated nodes (Node objects only, no kubelets)`);
  const nodeName = (i: number) => `sim-node-${String(i).padStart(4, '0')}`;
  const alloc = { cpu: '16', memory: '64Gi', pods: '110' };
  const nodeSeconds = await runConcurrent(CFG.nodes, CFG.inflight, async (i) => {
    const name = nodeName(i);
    await must('create node', call('POST', '/api/v1/nodes', {
      apiVersion: 'v1', kind: 'Node',
      metadata: { name, labels: { 'kubernetes.io/hostname': name, 'topology.kubernetes.io/zone': `zone-${i % 3}`, 'k8ts.io/simulated': 'true' } },
      spec: i % 10 === 9 ? { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } : {},
    }));
    const ts = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    await must('node status', call('PATCH', `/api/v1/nodes/${name}/status`, {
      status: { capacity: alloc, allocatable: alloc, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated node', lastHeartbeatTime: ts, lastTransitionTime: ts }] },
    }, 'application/merge-patch+json'));
  });
  log(`  ${Math.round(CFG.nodes / nodeSeconds)} nodes/s (create + status)`);

  const podBody = (ns: string, name: string, i: number, schedulerName?: string) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name, namespace: ns, labels: { app: `bench-${i % 10}` }, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `bench-${i % 10}`, uid: `00000000-0000-0000-0000-00000000000${i % 10}`, controller: true }] },
    spec: {
      ...(schedulerName ? { schedulerName } : {}),
      containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '100m', memory: '128Mi' } } }],
    },
  });

  // ---------------------------------------------------------------- 2. raw baseline
  log(`raw baseline: ${CFG.rawPods} pods created and bound by the benchmark itself (${CFG.inflight} in flight)`);
  let m = cpu();
  const rawSeconds = await runConcurrent(CFG.rawPods, CFG.inflight, async (i) => {
    const name = `raw-${i}`;
    await must('raw pod create', call('POST', '/api/v1/namespaces/bench-raw/pods', podBody('bench-raw', name, i, 'bench-raw')));
    await must('raw binding', call('POST', `/api/v1/namespaces/bench-raw/pods/${name}/binding`, {
      apiVersion: 'v1', kind: 'Binding', metadata: { name }, target: { apiVersion: 'v1', kind: 'Node', name: nodeName(i % CFG.nodes) },
    }));
  });
  const rawCpu = cpuSince(m);
  phaseWindows.raw = [sinceSpawn(m.t), sinceSpawn(now())];
  const rawRate = CFG.rawPods / rawSeconds;
  log(`  ${Math.round(rawRate)} pods/s created + bound`);

  // ---------------------------------------------------------------- 3. scheduler, pods created while it runs
  const schedNodeArgs = process.env.BENCH_SCHEDULER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const schedExtra = process.env.BENCH_SCHEDULER_ARGS?.split(' ').filter(Boolean) ?? [];
  const schedMain = join(repoRoot, 'scheduler', 'dist', 'main.js');
  const schedArgs = [schedMain, `--kubeconfig=${kubeconfig}`, '--leader-elect=true', '--bind-address=127.0.0.1', '--secure-port=$PORT', ...schedExtra];
  log('starting the scheduler (separate process, leader election on)');
  let sched = await spawnComponent('scheduler', schedArgs, schedNodeArgs, cluster.tmp);
  await waitLeader(call);
  const schedRss0 = rssMiB(sched.child.pid);

  log(`scheduler: ${CFG.pods} pods created at ${CFG.inflight} in flight; binds observed via watch`);
  const watch = new BoundWatch(cluster, 'bench-sched');
  cleanups.push(() => watch.stop());
  await sleep(500);
  const h0 = await attemptHistogram(sched.port, 'scheduled');
  const a0 = await scrapeHistogram(sched.port, ALGORITHM);
  m = cpu();
  const s0 = cpuSecondsOf(sched.child.pid);
  const t0 = now();
  const createSeconds = await runConcurrent(CFG.pods, CFG.inflight, async (i) => {
    await must('pod create', call('POST', '/api/v1/namespaces/bench-sched/pods', podBody('bench-sched', `pod-${i}`, i)));
  });
  log(`  created in ${round(createSeconds, 1)} s (${Math.round(CFG.pods / createSeconds)} pods/s); waiting for binds`);
  await watch.waitFor(CFG.pods, 300_000, 'scheduler phase');
  const schedCpu = cpuSince(m, sched.child.pid, s0);
  phaseWindows.scheduler = [sinceSpawn(m.t), sinceSpawn(now())];
  const times = [...watch.boundAt.values()].sort((a, b) => a - b);
  const lastBind = times[times.length - 1] ?? NaN;
  const schedRate = watch.boundAt.size / ((lastBind - t0) / 1000);
  const h1 = await attemptHistogram(sched.port, 'scheduled');
  const hd = histDelta(h0, h1);
  const algo = histDelta(a0, await scrapeHistogram(sched.port, ALGORITHM));
  const attemptP50 = histogramQuantile(0.5, hd.buckets) * 1000;
  const attemptP99 = histogramQuantile(0.99, hd.buckets) * 1000;
  const perNode = new Map<string, number>();
  for (const n of watch.nodeOf.values()) perNode.set(n, (perNode.get(n) ?? 0) + 1);
  const taintedUsed = [...perNode.keys()].filter((n) => Number(n.slice(-4)) % 10 === 9).length;
  if (taintedUsed) fail(`${taintedUsed} tainted nodes got pods that do not tolerate the taint`);
  await watch.stop();
  const schedRss1 = rssMiB(sched.child.pid);
  log(`  ${Math.round(schedRate)} pods bound/s; attempt p50 ${round(attemptP50, 1)} ms p99 ${round(attemptP99, 1)} ms; ${perNode.size} nodes used`);

  // ---------------------------------------------------------------- 4. backlog, fresh scheduler
  log(`backlog: ${CFG.backlog} pods created with the scheduler stopped; a new scheduler process takes the lease`);
  await sched.stop();
  await runConcurrent(CFG.backlog, CFG.inflight, async (i) => {
    await must('backlog pod create', call('POST', '/api/v1/namespaces/bench-backlog/pods', podBody('bench-backlog', `pod-${i}`, i)));
  });
  const bwatch = new BoundWatch(cluster, 'bench-backlog');
  cleanups.push(() => bwatch.stop());
  await sleep(300);
  m = cpu();
  const tb0 = now();
  sched = await spawnComponent('scheduler', schedArgs, schedNodeArgs, cluster.tmp);
  const sb0 = cpuSecondsOf(sched.child.pid);
  await bwatch.waitFor(CFG.backlog, 300_000, 'backlog phase');
  const backlogCpu = cpuSince(m, sched.child.pid, sb0);
  phaseWindows.backlog = [sinceSpawn(m.t), sinceSpawn(now())];
  const bt = [...bwatch.boundAt.values()].sort((a, b) => a - b);
  const backlogRate = bwatch.boundAt.size / ((bt[bt.length - 1]! - bt[0]!) / 1000);
  const backlogFromStart = (bt[bt.length - 1]! - tb0) / 1000;
  const hb = await attemptHistogram(sched.port, 'scheduled');
  await bwatch.stop();
  log(`  ${Math.round(backlogRate)} pods bound/s (first → last bind); all bound ${round(backlogFromStart, 1)} s after the process was spawned`);

  // ---------------------------------------------------------------- 5. Deployment through the controller-manager
  const deploy = await deploymentPhase(cluster, kubeconfig, call);

  const result = {
    benchmark: 'scheduler',
    started: started.toISOString(),
    machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, node: process.version, loadAverage1mAtStart: round(load0) },
    config: { ...CFG, nodeAllocatable: alloc, podRequests: { cpu: '100m', memory: '128Mi' }, taintedNodes: 'every 10th node (dedicated=infra:NoSchedule)' },
    algorithmOnly: algorithm,
    simulatedNodes: `${CFG.nodes} simulated nodes: Node objects only, no kubelets`,
    nodes: { createPlusStatusPerSec: round(CFG.nodes / nodeSeconds, 1) },
    rawBaseline: {
      what: 'benchmark creates each pod and POSTs its pods/binding itself (no scheduler), 64 pods in flight',
      podsPerSec: round(rawRate, 1), cpu: rawCpu, cpuMsPerPod: perPod(rawCpu, CFG.rawPods),
    },
    scheduler: {
      what: 'pods created at 64 in flight while the scheduler runs; bound/s = pods / (last bind seen on the watch − first create)',
      podsBoundPerSec: round(schedRate, 1),
      ratioToRawBaseline: round(schedRate / rawRate, 3),
      createPodsPerSec: round(CFG.pods / createSeconds, 1),
      algorithmDurationMs: { ...quantilesMs(algo), source: `${ALGORITHM} (filter + score only)` },
      attemptDurationMs: { p50: round(attemptP50, 2), p99: round(attemptP99, 2), mean: round((hd.sum / hd.count) * 1000, 2), count: hd.count, source: 'scheduler_scheduling_attempt_duration_seconds{result="scheduled"} (includes the bind round trip), histogram_quantile' },
      nodesUsed: perNode.size, maxPodsPerNode: Math.max(...perNode.values()),
      cpu: schedCpu,
      cpuMsPerPod: perPod(schedCpu, CFG.pods),
      schedulerRssMiB: { beforePods: schedRss0, after: schedRss1 },
    },
    backlog: {
      what: `${CFG.backlog} pending pods when a new scheduler process starts; bound/s from its first to its last bind`,
      podsBoundPerSec: round(backlogRate, 1),
      ratioToRawBaseline: round(backlogRate / rawRate, 3),
      secondsFromSpawnToAllBound: round(backlogFromStart, 2),
      attemptDurationMs: quantilesMs(hb),
      algorithmDurationMs: quantilesMs(await scrapeHistogram(sched.port, ALGORITHM)),
      cpu: backlogCpu,
      cpuMsPerPod: perPod(backlogCpu, CFG.backlog),
    },
    deployment: deploy,
    phaseSecondsSinceApiserverStart: phaseWindows,
    failures,
  };
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, JSON.stringify(result, null, 2) + '\n');
  printTable(result);
  log(`wrote ${OUT}`);
  return failures.length ? 1 : 0;
}

/** Phase 0: the scheduler's cache + framework in this process, no API: pods/s of filter + score + assume. */
async function algorithmOnly(): Promise<Record<string, unknown>> {
  const dist = join(repoRoot, 'scheduler', 'dist');
  const { SchedulerCache } = await import(join(dist, 'cache', 'scheduler-cache.js'));
  const { Framework } = await import(join(dist, 'framework', 'framework.js'));
  const { newPodInfo } = await import(join(dist, 'framework', 'pod-info.js'));
  const { DEFAULT_FILTERS, DEFAULT_SCORES } = await import(join(dist, 'plugins', 'index.js'));
  const cache = new SchedulerCache();
  const alloc = { cpu: '16', memory: '64Gi', pods: '110' };
  for (let i = 0; i < CFG.nodes; i++) {
    cache.addOrUpdateNode({
      apiVersion: 'v1', kind: 'Node', metadata: { name: `n${i}`, labels: { 'kubernetes.io/hostname': `n${i}` } },
      spec: i % 10 === 9 ? { taints: [{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }] } : {},
      status: { allocatable: alloc, conditions: [{ type: 'Ready', status: 'True' }] },
    });
  }
  const fw = new Framework({ filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES });
  const pod = (i: number) => ({
    apiVersion: 'v1', kind: 'Pod',
    metadata: { name: `p${i}`, namespace: 'bench', uid: `uid-${i}`, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${i % 10}`, uid: `owner-${i % 10}`, controller: true }] },
    spec: { containers: [{ name: 'c', image: 'pause', resources: { requests: { cpu: '100m', memory: '128Mi' } } }] },
  });
  // warm-up (JIT), then the measured run on a fresh set of pods
  for (let i = 0; i < 500; i++) { const info = newPodInfo(pod(-i - 1)); const r = fw.schedule(info, cache.nodeList()); cache.assumePod(info, r.node); cache.forgetPod(info.key); }
  const t0 = now();
  const c0 = selfCpuSeconds();
  for (let i = 0; i < CFG.pods; i++) {
    const info = newPodInfo(pod(i));
    const r = fw.schedule(info, cache.nodeList());
    if (!r.node) throw new Error(`algorithm phase: pod ${i} did not fit`);
    cache.assumePod(info, r.node);
  }
  const seconds = (now() - t0) / 1000;
  const cpuSeconds = selfCpuSeconds() - c0;
  log(`algorithm only (in-process, no API): ${Math.round(CFG.pods / seconds)} pods/s over ${CFG.nodes} nodes (${round((cpuSeconds / CFG.pods) * 1000, 3)} ms CPU per pod)`);
  return {
    what: `${CFG.pods} pods filtered, scored and assumed over ${CFG.nodes} nodes in the benchmark process (scheduler cache + framework + default plugins, no HTTP)`,
    podsPerSec: round(CFG.pods / seconds, 1), cpuMsPerPod: round((cpuSeconds / CFG.pods) * 1000, 3),
  };
}

/** CPU milliseconds per pod of each process in a phase: the figure that does not depend on how busy the machine is. */
function perPod(c: Record<string, number>, pods: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(c)) if (k.endsWith('CpuSeconds')) out[k.replace('CpuSeconds', '')] = round((v / pods) * 1000, 2);
  return out;
}

async function waitLeader(call: (m: 'GET', p: string) => Promise<{ status: number; text: string }>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = await call('GET', '/apis/coordination.k8s.io/v1/namespaces/kube-system/leases/kube-scheduler').catch(() => ({ status: 0, text: '' }));
    if (r.status === 200 && JSON.parse(r.text).spec?.holderIdentity) return;
    if (Date.now() > deadline) throw new Error('the scheduler did not take the lease within 60 s');
    await sleep(200);
  }
}

async function deploymentPhase(cluster: BenchCluster, kubeconfig: string, call: (m: 'POST' | 'GET', p: string, body?: unknown) => Promise<{ status: number; text: string }>): Promise<Record<string, unknown>> {
  const main = join(repoRoot, 'controller-manager', 'dist', 'main.js');
  const table = join(repoRoot, 'controller-manager', 'dist', 'controllers', 'index.js');
  let names: string[] = [];
  try {
    if (existsSync(table)) names = ((await import(table)) as { CONTROLLERS: Array<{ name: string }> }).CONTROLLERS.map((c) => c.name);
  } catch { /* unreadable: skip below */ }
  const has = (n: string) => names.some((c) => c === n || c === `${n}-controller`);
  if (!existsSync(main) || !has('deployment') || !has('replicaset')) {
    const why = `skipped: the controller-manager has no deployment and replicaset controllers (it has: ${names.join(', ') || 'none'}); build them and re-run`;
    log(`Deployment of ${CFG.replicas} replicas: ${why}`);
    return { skipped: why };
  }
  log(`Deployment of ${CFG.replicas} replicas: starting the controller-manager; timing from apply to all pods bound`);
  // only the two controllers the phase needs: the simulated nodes have no kubelet, so the node
  // lifecycle controller would mark them unreachable (and evict) if it ran
  const cm = await spawnComponent('controller-manager', [main, `--kubeconfig=${kubeconfig}`, '--leader-elect=true', '--bind-address=127.0.0.1', '--port=$PORT', '--controllers=deployment,replicaset'], [], cluster.tmp);
  const rss0 = rssMiB(cm.child.pid);
  const watch = new BoundWatch(cluster, 'bench-deploy', 'app=bench-deploy');
  cleanups.push(() => watch.stop());
  await sleep(300);
  const t0 = now();
  const r = await call('POST', '/apis/apps/v1/namespaces/bench-deploy/deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'bench-deploy', namespace: 'bench-deploy' },
    spec: {
      replicas: CFG.replicas, selector: { matchLabels: { app: 'bench-deploy' } },
      template: { metadata: { labels: { app: 'bench-deploy' } }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.9', resources: { requests: { cpu: '10m', memory: '16Mi' } } }] } },
    },
  });
  if (r.status !== 201) {
    fail(`creating the Deployment: HTTP ${r.status} ${r.text.slice(0, 300)}`);
    return { failed: `HTTP ${r.status}` };
  }
  let peak = rss0;
  const sampler = setInterval(() => { const s = rssMiB(cm.child.pid); if (s.rssMiB > peak.rssMiB) peak = s; }, 250);
  const ok = await watch.waitFor(CFG.replicas, 300_000, 'deployment phase');
  clearInterval(sampler);
  const seconds = (now() - t0) / 1000;
  const rss1 = rssMiB(cm.child.pid);
  await watch.stop();
  await cm.stop();
  log(`  ${ok ? 'all' : 'NOT all'} ${CFG.replicas} pods bound ${round(seconds, 1)} s after the apply; controller-manager RSS ${rss1.rssMiB} MiB (peak ${rss1.peakRssMiB})`);
  return {
    replicas: CFG.replicas, allBound: ok, secondsFromApplyToAllBound: round(seconds, 2), podsPerSec: round(CFG.replicas / seconds, 1),
    controllerManagerRssMiB: { beforeApply: rss0.rssMiB, after: rss1.rssMiB, peak: rss1.peakRssMiB },
  };
}

function printTable(r: any): void {
  const rows: Array<[string, string]> = [
    ['algorithm only (in-process, no API)', `${r.algorithmOnly.podsPerSec} pods/s (${r.algorithmOnly.cpuMsPerPod} ms CPU per pod)`],
    ['simulated nodes', r.simulatedNodes],
    ['raw baseline: create + POST binding by the bench', `${r.rawBaseline.podsPerSec} pods/s`],
    [`scheduler: ${CFG.pods} pods, created while it runs`, `${r.scheduler.podsBoundPerSec} pods bound/s = ${r.scheduler.ratioToRawBaseline} × raw`],
    ['  scheduling attempt p50 / p99 (incl. bind)', `${r.scheduler.attemptDurationMs.p50} / ${r.scheduler.attemptDurationMs.p99} ms`],
    ['  scheduling algorithm p50 / p99 (filter + score)', `${r.scheduler.algorithmDurationMs.p50} / ${r.scheduler.algorithmDurationMs.p99} ms (mean ${r.scheduler.algorithmDurationMs.mean})`],
    ['  CPU s: apiserver / etcd / scheduler / bench', `${r.scheduler.cpu.apiserverCpuSeconds} / ${r.scheduler.cpu.etcdCpuSeconds} / ${r.scheduler.cpu.schedulerCpuSeconds} / ${r.scheduler.cpu.benchClientCpuSeconds} in ${r.scheduler.cpu.wallSeconds} s`],
    [`backlog: ${CFG.backlog} pending at scheduler start`, `${r.backlog.podsBoundPerSec} pods bound/s = ${r.backlog.ratioToRawBaseline} × raw; all bound ${r.backlog.secondsFromSpawnToAllBound} s after spawn`],
    ['  attempt p99 / algorithm p99', `${r.backlog.attemptDurationMs.p99} / ${r.backlog.algorithmDurationMs.p99} ms`],
    ['  CPU s: apiserver / etcd / scheduler', `${r.backlog.cpu.apiserverCpuSeconds} / ${r.backlog.cpu.etcdCpuSeconds} / ${r.backlog.cpu.schedulerCpuSeconds} in ${r.backlog.cpu.wallSeconds} s`],
    [`Deployment of ${CFG.replicas} replicas, apply → all bound`, r.deployment.skipped ?? (r.deployment.failed ? `failed: ${r.deployment.failed}` : `${r.deployment.secondsFromApplyToAllBound} s (${r.deployment.podsPerSec} pods/s); controller-manager RSS ${r.deployment.controllerManagerRssMiB.after} MiB, peak ${r.deployment.controllerManagerRssMiB.peak} MiB`)],
  ];
  const w = Math.max(...rows.map(([a]) => a.length));
  console.log('');
  for (const [a, b] of rows) console.log(`${a.padEnd(w)}  ${b}`);
  console.log('');
}

main().then(async (code) => { await cleanup(); process.exit(code); }, async (e) => {
  console.error(e);
  await cleanup();
  process.exit(1);
});

