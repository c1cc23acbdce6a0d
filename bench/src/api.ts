// `npm run bench:api`: the API server benchmark (issue 2, "Performance").
//
// One run starts its own etcd and the real apiserver as a separate process serving HTTPS with
// bearer-token auth (see cluster.ts), then measures, on 127.0.0.1 only and with bounded counts:
//   1. raw etcd (etcd3 client) puts/s of 1 KB values at 64 in flight — the baseline — plus raw
//      sequential get/put latency and a raw paged range of the 10,000 listed objects;
//   2. API creates/s of 1 KB ConfigMaps at 64 in flight, and the ratio to raw puts/s;
//   3. single-object GET and PUT latency (sequential, one connection);
//   4. LIST of 10,000 ConfigMaps in one namespace: one full list, and limit=500 paging;
//   5. 500 watchers (HTTP watch streams, in child processes) each receiving every one of 1,000
//      events written at a steady rate, then 1,000 more written as fast as possible (64 in
//      flight); delivery latency = time received by the watcher − time the write was acked.
// Prints a table, writes bench/results/api.json, and exits non-zero only when something
// functionally broke (failed requests, missing watch events), never because of a timing.
// Knobs (environment, for quick runs): BENCH_N (puts and creates, 20000), BENCH_INFLIGHT (64),
// BENCH_LAT_OPS (2000), BENCH_LIST (10000), BENCH_WATCHERS (500), BENCH_EVENTS (1000),
// BENCH_EVENT_RATE (events/s in the paced watch phase, 100), BENCH_WATCH_PROCS (2),
// BENCH_APISERVER_NODE_ARGS / BENCH_WATCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"),
// BENCH_APISERVER_MAIN (another apiserver build, for A/B runs), BENCH_OUT (JSON path).
import { fork, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Etcd3 } from 'etcd3';
import { Pool } from 'undici';
import { rangeAll } from '@k8ts/apiserver/storage/etcd';
import { startCluster, repoRoot, tail, type BenchCluster } from './cluster.js';
import { cpuSecondsOf, now, round, selfCpuSeconds, summarize, type Summary } from './stats.js';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const CFG = {
  n: env('BENCH_N', 20_000),
  inflight: env('BENCH_INFLIGHT', 64),
  latencyOps: env('BENCH_LAT_OPS', 2_000),
  listObjects: env('BENCH_LIST', 10_000),
  listPage: 500,
  watchers: env('BENCH_WATCHERS', 500),
  events: env('BENCH_EVENTS', 1_000),
  eventRate: env('BENCH_EVENT_RATE', 100),
  watchProcs: env('BENCH_WATCH_PROCS', 2),
  valueBytes: 1024,
  /** unmeasured operations first: raw puts (and half as many API creates) */
  warmup: env('BENCH_WARMUP', 2_000),
  budgetSeconds: env('BENCH_BUDGET_S', 175),
};
const OUT = process.env.BENCH_OUT ?? join(repoRoot, 'bench', 'results', 'api.json');
const here = dirname(fileURLToPath(import.meta.url));

const failures: string[] = [];
const fail = (msg: string) => { failures.push(msg); console.error(`FAILED: ${msg}`); };
const log = (msg: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ------------------------------------------------------------------ cleanup on every exit path
const cleanups: Array<() => Promise<void> | void> = [];
let cleaning: Promise<void> | undefined;
let aborted = false;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    for (const c of cleanups.reverse()) {
      try { await c(); } catch (e) { console.error(`cleanup: ${(e as Error).message}`); }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => { aborted = true; console.error(`\n${sig}: cleaning up`); void cleanup().finally(() => process.exit(130)); });
}

// ------------------------------------------------------------------ helpers
const filler = 'x'.repeat(CFG.valueBytes);
const cmBody = (name: string, extra = '') =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"${extra}},"data":{"v":"${filler}"}}`;
const pad = (i: number) => String(i).padStart(6, '0');

/** Runs op(0..total-1) with `inflight` concurrent; returns wall seconds and per-op latencies (ms). */
async function runConcurrent(total: number, inflight: number, op: (i: number) => Promise<void>): Promise<{ seconds: number; lat: Float64Array }> {
  const lat = new Float64Array(total);
  let next = 0;
  const t0 = now();
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      const s = now();
      await op(i);
      lat[i] = now() - s;
    }
  };
  await Promise.all(Array.from({ length: Math.min(inflight, total) }, worker));
  return { seconds: (now() - t0) / 1000, lat };
}

/** etcd's WAL fsync counter and total seconds, from its Prometheus /metrics */
async function etcdFsync(endpoint: string): Promise<{ count: number; sum: number }> {
  try {
    const text = await (await fetch(`${endpoint}/metrics`)).text();
    const get = (name: string) => Number(/^(\S+) (\S+)$/m.exec(text.split('\n').find((l) => l.startsWith(name + ' ')) ?? '')?.[2] ?? NaN);
    return { count: get('etcd_disk_wal_fsync_duration_seconds_count'), sum: get('etcd_disk_wal_fsync_duration_seconds_sum') };
  } catch {
    return { count: NaN, sum: NaN };
  }
}
const fsyncSince = (a: { count: number; sum: number }, b: { count: number; sum: number }) => ({
  walFsyncs: b.count - a.count, meanWalFsyncMs: round(((b.sum - a.sum) / (b.count - a.count)) * 1000, 3),
});

interface CpuMark { api: number; etcd: number; bench: number; t: number; }
function cpuMark(c: BenchCluster): CpuMark {
  return { api: cpuSecondsOf(c.apiserverPid), etcd: cpuSecondsOf(c.etcdPid), bench: selfCpuSeconds(), t: now() };
}
interface CpuUse { wallSeconds: number; apiserverCpuSeconds: number; etcdCpuSeconds: number; benchClientCpuSeconds: number; watchClientCpuSeconds?: number; }
/** Phase windows in seconds since the apiserver was spawned (to slice its --cpu-prof profile). */
const phaseWindows: Record<string, [number, number]> = {};
function cpuSince(c: BenchCluster, m: CpuMark, phase: string): CpuUse {
  const e = cpuMark(c);
  phaseWindows[phase] = [round((m.t - c.spawnedAt) / 1000, 2), round((e.t - c.spawnedAt) / 1000, 2)];
  return {
    wallSeconds: round((e.t - m.t) / 1000, 3),
    apiserverCpuSeconds: round(e.api - m.api), etcdCpuSeconds: round(e.etcd - m.etcd), benchClientCpuSeconds: round(e.bench - m.bench),
  };
}
const ms = (s: Summary) => ({ p50: round(s.p50, 3), p90: round(s.p90, 3), p99: round(s.p99, 3), max: round(s.max, 3), mean: round(s.mean, 3) });

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

  log(`starting etcd and the apiserver (separate process, HTTPS + token auth)`);
  const nodeArgs = process.env.BENCH_APISERVER_NODE_ARGS?.split(' ').filter(Boolean);
  const cluster = await startCluster({ nodeArgs });
  cleanups.push(async () => {
    if (failures.length && cluster.apiserverAlive() === false) console.error(await tail(cluster.apiserverLog));
    await cluster.stop();
  });
  log(`apiserver ${cluster.url} (pid ${cluster.apiserverPid}), etcd ${cluster.etcdEndpoint} (pid ${cluster.etcdPid ?? '?'})`);

  const etcd = new Etcd3({ hosts: cluster.etcdEndpoint });
  cleanups.push(() => etcd.close());
  const connect = { ca: cluster.caPem };
  const api = new Pool(cluster.url, { connections: CFG.inflight, pipelining: 1, connect });
  const seq = new Pool(cluster.url, { connections: 1, pipelining: 1, connect });
  cleanups.push(async () => { await api.destroy(); await seq.destroy(); });
  const auth = { authorization: `Bearer ${cluster.token}` };
  const jsonHeaders = { ...auth, 'content-type': 'application/json', accept: 'application/json' };

  const post = async (pool: Pool, ns: string, body: string): Promise<number> => {
    const r = await pool.request({ path: `/api/v1/namespaces/${ns}/configmaps`, method: 'POST', headers: jsonHeaders, body });
    await r.body.dump({ limit: 1 << 20 });
    return r.statusCode;
  };
  const createNs = async (name: string) => {
    const r = await seq.request({ path: '/api/v1/namespaces', method: 'POST', headers: jsonHeaders, body: JSON.stringify({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }) });
    const t = await r.body.text();
    if (r.statusCode !== 201) throw new Error(`creating namespace ${name}: HTTP ${r.statusCode} ${t.slice(0, 300)}`);
  };

  // ---------------------------------------------------------------- 1. raw etcd baseline
  log(`raw etcd: ${CFG.warmup} warm-up puts, then ${CFG.n} puts of ${CFG.valueBytes} B at ${CFG.inflight} in flight`);
  const value = Buffer.alloc(CFG.valueBytes, 'x');
  // warm-up (JIT of the gRPC client, etcd's first WAL segment): not measured
  await runConcurrent(CFG.warmup, CFG.inflight, async (i) => { await etcd.put(`/bench-warm/k-${pad(i)}`).value(value); });
  let m = cpuMark(cluster);
  let fs0 = await etcdFsync(cluster.etcdEndpoint);
  const rawPuts = await runConcurrent(CFG.n, CFG.inflight, async (i) => { await etcd.put(`/bench-raw/k-${pad(i)}`).value(value); });
  const rawPutsCpu = cpuSince(cluster, m, 'rawPuts');
  const rawPutsDisk = fsyncSince(fs0, await etcdFsync(cluster.etcdEndpoint));
  const rawPutsPerSec = CFG.n / rawPuts.seconds;
  log(`  ${Math.round(rawPutsPerSec)} puts/s`);

  const rawGet = await runConcurrent(CFG.latencyOps, 1, async (i) => { await etcd.get(`/bench-raw/k-${pad(i)}`).buffer(); });
  const rawPut = await runConcurrent(CFG.latencyOps, 1, async (i) => { await etcd.put(`/bench-raw/k-${pad(i)}`).value(value); });

  // ---------------------------------------------------------------- 2. API creates
  for (const ns of ['bench-warm', 'bench-list', 'bench-create', 'bench-watch']) await createNs(ns);
  // warm-up (JIT of the apiserver and of this client): not measured
  let warmErrors = 0;
  await runConcurrent(CFG.warmup / 2, CFG.inflight, async (i) => { if (await post(api, 'bench-warm', cmBody(`cm-${pad(i)}`)) !== 201) warmErrors++; });
  if (warmErrors) fail(`${warmErrors} warm-up creates failed`);
  log(`API: ${CFG.n} ConfigMap creates at ${CFG.inflight} in flight (first ${CFG.listObjects} into bench-list)`);
  let createErrors = 0;
  let firstCreateError = '';
  m = cpuMark(cluster);
  fs0 = await etcdFsync(cluster.etcdEndpoint);
  const creates = await runConcurrent(CFG.n, CFG.inflight, async (i) => {
    const ns = i < CFG.listObjects ? 'bench-list' : 'bench-create';
    const code = await post(api, ns, cmBody(`cm-${pad(i)}`)).catch((e: Error) => { firstCreateError ||= e.message; return 0; });
    if (code !== 201) { createErrors++; firstCreateError ||= `HTTP ${code}`; }
  });
  const createsCpu = cpuSince(cluster, m, 'creates');
  const createsDisk = fsyncSince(fs0, await etcdFsync(cluster.etcdEndpoint));
  const createsPerSec = CFG.n / creates.seconds;
  if (createErrors) fail(`${createErrors} of ${CFG.n} creates failed (first: ${firstCreateError})`);
  log(`  ${Math.round(createsPerSec)} creates/s (ratio to raw ${round(createsPerSec / rawPutsPerSec, 3)})`);

  // ---------------------------------------------------------------- 3. GET / PUT latency
  const target = CFG.n > CFG.listObjects ? { ns: 'bench-create', name: `cm-${pad(CFG.listObjects)}` } : { ns: 'bench-list', name: 'cm-000000' };
  const objPath = `/api/v1/namespaces/${target.ns}/configmaps/${target.name}`;
  log(`API: ${CFG.latencyOps} sequential GETs and PUTs of ${objPath}`);
  let getErrors = 0;
  m = cpuMark(cluster);
  const gets = await runConcurrent(CFG.latencyOps, 1, async () => {
    const r = await seq.request({ path: objPath, method: 'GET', headers: { ...auth, accept: 'application/json' } });
    await r.body.dump({ limit: 1 << 20 });
    if (r.statusCode !== 200) getErrors++;
  });
  const getsCpu = cpuSince(cluster, m, 'gets');
  if (getErrors) fail(`${getErrors} GETs failed`);
  let current = JSON.parse(await (await seq.request({ path: objPath, method: 'GET', headers: auth })).body.text()) as { metadata: { resourceVersion: string }; data: Record<string, string> };
  let putErrors = 0;
  m = cpuMark(cluster);
  const putLat = new Float64Array(CFG.latencyOps);
  const tPut0 = now();
  for (let i = 0; i < CFG.latencyOps; i++) {
    current.data = { v: filler, i: String(i) };
    const body = JSON.stringify(current);
    const s = now();
    const r = await seq.request({ path: objPath, method: 'PUT', headers: jsonHeaders, body });
    const text = await r.body.text();
    putLat[i] = now() - s;
    if (r.statusCode !== 200) { putErrors++; if (putErrors === 1) fail(`PUT failed: HTTP ${r.statusCode} ${text.slice(0, 200)}`); continue; }
    current = JSON.parse(text);
  }
  const putsSeconds = (now() - tPut0) / 1000;
  const putsCpu = cpuSince(cluster, m, 'puts');
  if (putErrors) fail(`${putErrors} PUTs failed`);

  // ---------------------------------------------------------------- 4. LIST of 10,000
  const listPrefix = '/registry/configmaps/bench-list/';
  const rawRange: number[] = [];
  for (let k = 0; k < 3; k++) {
    const s = now();
    const { kvs } = await rangeAll(etcd, listPrefix);
    rawRange.push(now() - s);
    if (kvs.length !== CFG.listObjects) fail(`raw range returned ${kvs.length} keys, expected ${CFG.listObjects}`);
  }
  log(`API: LIST of ${CFG.listObjects} ConfigMaps (3 full lists, 2 paged runs with limit=${CFG.listPage})`);
  const listPath = '/api/v1/namespaces/bench-list/configmaps';
  const fullList: { ms: number; bytes: number }[] = [];
  m = cpuMark(cluster);
  for (let k = 0; k < 3; k++) {
    const s = now();
    const r = await seq.request({ path: listPath, method: 'GET', headers: { ...auth, accept: 'application/json' } });
    const buf = Buffer.from(await r.body.arrayBuffer());
    const t = now() - s;
    if (r.statusCode !== 200) { fail(`full LIST: HTTP ${r.statusCode} ${buf.toString().slice(0, 300)}`); continue; }
    const items = (JSON.parse(buf.toString()) as { items: unknown[] }).items.length;
    if (items !== CFG.listObjects) fail(`full LIST returned ${items} items, expected ${CFG.listObjects}`);
    fullList.push({ ms: t, bytes: buf.length });
  }
  const listCpu = cpuSince(cluster, m, 'fullLists');
  const paged: { ms: number; pages: number }[] = [];
  for (let k = 0; k < 2; k++) {
    const s = now();
    let cont: string | undefined;
    let items = 0;
    let pages = 0;
    do {
      const q = `?limit=${CFG.listPage}${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`;
      const r = await seq.request({ path: listPath + q, method: 'GET', headers: { ...auth, accept: 'application/json' } });
      const text = await r.body.text();
      if (r.statusCode !== 200) { fail(`paged LIST: HTTP ${r.statusCode} ${text.slice(0, 300)}`); break; }
      const l = JSON.parse(text) as { items: unknown[]; metadata: { continue?: string } };
      items += l.items.length;
      pages++;
      cont = l.metadata.continue || undefined;
    } while (cont);
    paged.push({ ms: now() - s, pages });
    if (items !== CFG.listObjects) fail(`paged LIST returned ${items} items, expected ${CFG.listObjects}`);
  }

  // ---------------------------------------------------------------- 5. watch fan-out
  const watch = await watchBench(cluster, etcd, api, post);

  // ---------------------------------------------------------------- report
  const rawGetS = summarize(rawGet.lat);
  const rawPutS = summarize(rawPut.lat);
  const getS = summarize(gets.lat);
  const putS = summarize(putLat);
  const fullMs = fullList.map((f) => f.ms);
  const fullMedian = summarize(fullMs).p50;
  const rawRangeMedian = summarize(rawRange).p50;
  const pagedMedian = summarize(paged.map((p) => p.ms)).p50;
  const result = {
    benchmark: 'api',
    command: 'npm run bench:api',
    date: started.toISOString(),
    machine: { ...machineInfo(), loadAverage1mAtStart: round(load0, 2), loadAverage1mAtEnd: round(os.loadavg()[0]!, 2) },
    setup: {
      apiserver: 'separate process (node apiserver/dist/main.js) over HTTPS with bearer-token auth, PKI from cli/src/pki.ts',
      apiserverCommand: cluster.apiserverCommand,
      etcd: 'etcd-server (Debian) started by @k8ts/shared/testing/etcd, data dir on the local disk',
      client: `undici Pool (${CFG.inflight} connections) in the benchmark process; watchers in ${CFG.watchProcs} child processes`,
      config: CFG,
    },
    rawEtcd: {
      putsPerSec: round(rawPutsPerSec, 1), puts: CFG.n, seconds: round(rawPuts.seconds, 3), putLatencyMs: ms(summarize(rawPuts.lat)), cpu: rawPutsCpu, etcdDisk: rawPutsDisk,
      sequentialGetMs: ms(rawGetS), sequentialPutMs: ms(rawPutS),
      rangeOfListedObjectsMs: rawRange.map((x) => round(x, 1)),
    },
    api: {
      creates: {
        count: CFG.n, inflight: CFG.inflight, seconds: round(creates.seconds, 3), perSec: round(createsPerSec, 1),
        ratioToRawPuts: round(createsPerSec / rawPutsPerSec, 3), latencyMs: ms(summarize(creates.lat)), errors: createErrors, cpu: createsCpu, etcdDisk: createsDisk,
      },
      get: { count: CFG.latencyOps, latencyMs: ms(getS), ratioP50ToRawGet: round(getS.p50 / rawGetS.p50, 2), perSec: round(CFG.latencyOps / gets.seconds, 1), cpu: getsCpu },
      put: { count: CFG.latencyOps, latencyMs: ms(putS), ratioP50ToRawPut: round(putS.p50 / rawPutS.p50, 2), perSec: round(CFG.latencyOps / putsSeconds, 1), cpu: putsCpu },
      list: {
        objects: CFG.listObjects, fullListMs: fullMs.map((x) => round(x, 1)), fullListMedianMs: round(fullMedian, 1),
        responseBytes: fullList[0]?.bytes, ratioToRawRange: round(fullMedian / rawRangeMedian, 2), cpuOf3FullLists: listCpu,
        pagedLimit: CFG.listPage, pagedMs: paged.map((p) => round(p.ms, 1)), pages: paged[0]?.pages,
      },
      watch,
    },
    goals: {
      createsRatioAtLeast0_5: createsPerSec / rawPutsPerSec >= 0.5,
      fullListUnder1s: fullMedian < 1000 && fullList.length === 3,
      watchP99Under250ms: watch.paced.latencyFromAckMs.p99 < 250 && watch.paced.latencyFromEtcdCommitMs.p99 < 250,
      allWatchEventsDelivered: watch.paced.missing === 0 && watch.burst.missing === 0,
    },
    phaseSecondsSinceApiserverStart: phaseWindows,
    failures,
  };
  await mkdir(dirname(OUT), { recursive: true });
  await writeFile(OUT, JSON.stringify(result, null, 2) + '\n');
  printTable(result);
  console.log(`\nJSON: ${OUT}`);
  return failures.length ? 1 : 0;

  function printTable(r: typeof result): void {
    const rows: string[][] = [['measurement', 'result', 'vs raw etcd baseline', 'goal']];
    const f = (x: number, d = 1) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d }) : '–');
    const raw = r.rawEtcd;
    const a = r.api;
    rows.push(['raw etcd puts/s (1 KB, 64 in flight)', f(raw.putsPerSec, 0), 'baseline', '']);
    rows.push(['API creates/s (1 KB ConfigMap, 64 in flight)', f(a.creates.perSec, 0), `${f(a.creates.ratioToRawPuts, 2)}× raw puts/s`, `≥ 0.5× ${r.goals.createsRatioAtLeast0_5 ? 'met' : 'NOT met'}`]);
    rows.push(['GET latency p50 / p99 (ms)', `${f(a.get.latencyMs.p50, 2)} / ${f(a.get.latencyMs.p99, 2)}`, `${f(a.get.ratioP50ToRawGet, 1)}× raw get p50 (${f(raw.sequentialGetMs.p50, 2)})`, '']);
    rows.push(['PUT latency p50 / p99 (ms)', `${f(a.put.latencyMs.p50, 2)} / ${f(a.put.latencyMs.p99, 2)}`, `${f(a.put.ratioP50ToRawPut, 1)}× raw put p50 (${f(raw.sequentialPutMs.p50, 2)})`, '']);
    rows.push([`LIST ${a.list.objects} objects, one request (ms)`, `${f(a.list.fullListMedianMs, 0)} (median of ${a.list.fullListMs.join(', ')})`, `${f(a.list.ratioToRawRange, 1)}× raw paged range (${f(summarize(raw.rangeOfListedObjectsMs).p50, 0)})`, `< 1 s ${r.goals.fullListUnder1s ? 'met' : 'NOT met'}`]);
    rows.push([`LIST with limit=${a.list.pagedLimit} (${a.list.pages} pages, ms)`, a.list.pagedMs.map((x) => f(x, 0)).join(', '), '', '']);
    for (const [name, p] of [['paced', a.watch.paced], ['burst', a.watch.burst]] as const) {
      rows.push([`watch ${name}: ${a.watch.watchers} watchers × ${p.events} events (${p.writeMode})`, `${p.deliveries.toLocaleString('en-US')} / ${p.expected.toLocaleString('en-US')} delivered`, '', name === 'paced' ? `all ${r.goals.allWatchEventsDelivered ? 'met' : 'NOT met'}` : '']);
      rows.push([`  delivery latency from write ack p50 / p99 (ms)`, `${f(p.latencyFromAckMs.p50)} / ${f(p.latencyFromAckMs.p99)}`, '', name === 'paced' ? `p99 < 250 ms ${r.goals.watchP99Under250ms ? 'met' : 'NOT met'}` : '']);
      rows.push([`  delivery latency from etcd commit p50 / p99 (ms)`, `${f(p.latencyFromEtcdCommitMs.p50)} / ${f(p.latencyFromEtcdCommitMs.p99)}`, '', '']);
      rows.push([`  create latency (send → ack) p50 / p99 (ms)`, `${f(p.writeLatencyMs.p50)} / ${f(p.writeLatencyMs.p99)}`, '', '']);
      rows.push([`  deliveries/s (first send → last receive)`, f(p.deliveredPerSec, 0), '', '']);
      rows.push([`  last watcher per event, p50 / p99 (ms)`, `${f(p.lastWatcherFromAckMs.p50)} / ${f(p.lastWatcherFromAckMs.p99)}`, '', '']);
      rows.push([`  CPU s: apiserver / etcd / watch clients (wall)`, `${f(p.cpu.apiserverCpuSeconds, 1)} / ${f(p.cpu.etcdCpuSeconds, 1)} / ${f(p.cpu.watchClientCpuSeconds ?? NaN, 1)} (${f(p.cpu.wallSeconds, 1)})`, '', '']);
    }
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
    const line = (row: string[]) => row.map((c, i) => c.padEnd(widths[i]!)).join(' | ');
    console.log(`\nk8ts API benchmark — ${r.date} — ${r.machine.nproc} CPUs (${r.machine.cpuModel}), node ${r.machine.node}, etcd ${r.machine.etcd}`);
    console.log(line(rows[0]!));
    console.log(widths.map((w) => '-'.repeat(w)).join('-|-'));
    for (const row of rows.slice(1)) console.log(line(row));
    console.log(`\netcd WAL fsyncs: raw puts ${r.rawEtcd.etcdDisk.walFsyncs} (mean ${r.rawEtcd.etcdDisk.meanWalFsyncMs} ms), API creates ${r.api.creates.etcdDisk.walFsyncs} (mean ${r.api.creates.etcdDisk.meanWalFsyncMs} ms); load average ${r.machine.loadAverage1mAtStart} at start, ${r.machine.loadAverage1mAtEnd} at end`);
    console.log(`CPU seconds during creates: apiserver ${r.api.creates.cpu.apiserverCpuSeconds}, etcd ${r.api.creates.cpu.etcdCpuSeconds}, bench client ${r.api.creates.cpu.benchClientCpuSeconds} over ${r.api.creates.cpu.wallSeconds} s wall (raw puts: etcd ${r.rawEtcd.cpu.etcdCpuSeconds}, client ${r.rawEtcd.cpu.benchClientCpuSeconds} over ${r.rawEtcd.cpu.wallSeconds} s)`);
    if (r.failures.length) console.log(`\nFUNCTIONAL FAILURES:\n- ${r.failures.join('\n- ')}`);
  }
}

// ------------------------------------------------------------------ the watch benchmark
interface WatchPhase {
  events: number;
  writeMode: string;
  writeSeconds: number;
  deliveries: number;
  expected: number;
  missing: number;
  allDelivered: boolean;
  latencyFromAckMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  latencyFromSendMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** from the moment a raw etcd watch in the benchmark process saw the commit */
  latencyFromEtcdCommitMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** per event: when the last of the watchers received it, from the write's ack */
  lastWatcherFromAckMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  writeLatencyMs: { p50: number; p99: number };
  /** deliveries / (last delivery − first write sent) */
  deliveredPerSec: number;
  cpu: CpuUse;
}

async function watchBench(cluster: BenchCluster, etcd: Etcd3, api: Pool, post: (pool: Pool, ns: string, body: string) => Promise<number>) {
  const N = CFG.events;
  const maxSeq = 2 * N; // 0 = warm-up, 1..N paced, N+1..2N burst
  const auth = { authorization: `Bearer ${cluster.token}`, accept: 'application/json' };
  const r = await api.request({ path: '/api/v1/namespaces/bench-watch/configmaps?limit=1', method: 'GET', headers: auth });
  const rv = (JSON.parse(await r.body.text()) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
  const path = `/api/v1/namespaces/bench-watch/configmaps?watch=true&resourceVersion=${rv}`;

  log(`watch: ${CFG.watchers} watchers in ${CFG.watchProcs} child processes on bench-watch from resourceVersion ${rv}`);
  const children: ChildProcess[] = [];
  const per = Array.from({ length: CFG.watchProcs }, (_, k) => Math.floor(CFG.watchers / CFG.watchProcs) + (k < CFG.watchers % CFG.watchProcs ? 1 : 0));
  const inbox = new Map<ChildProcess, Array<Record<string, unknown>>>();
  const waiters = new Set<() => void>();
  for (const count of per) {
    const execArgv = process.env.BENCH_WATCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
    const c = fork(join(here, 'watch-worker.js'), [], { serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
    children.push(c);
    inbox.set(c, []);
    c.on('message', (msg: Record<string, unknown>) => { inbox.get(c)!.push(msg); for (const w of waiters) w(); });
    c.on('exit', (code) => { inbox.get(c)!.push({ type: 'exit', code }); for (const w of waiters) w(); });
    c.send({ cmd: 'open', url: cluster.url, token: cluster.token, caPem: cluster.caPem, path, watchers: count, maxSeq });
  }
  cleanups.push(async () => {
    for (const c of children) {
      if (c.exitCode !== null || c.signalCode !== null) continue;
      try { c.send({ cmd: 'exit' }); } catch { /* gone */ }
      await Promise.race([new Promise((res) => c.once('exit', res)), sleep(3000)]);
      if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    }
  });
  /** next message of `type` from child c (or throws on exit/timeout) */
  const expect = async (c: ChildProcess, type: string, timeoutMs: number): Promise<Record<string, unknown>> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const q = inbox.get(c)!;
      const i = q.findIndex((msg) => msg.type === type || msg.type === 'exit');
      if (i >= 0) {
        const [msg] = q.splice(i, 1);
        if (msg!.type === 'exit') throw new Error(`watch worker exited (${String(msg!.code)}) while waiting for ${type}`);
        return msg!;
      }
      if (Date.now() > deadline) throw new Error(`watch worker: no ${type} within ${timeoutMs} ms`);
      await new Promise<void>((res) => { const w = () => { waiters.delete(w); clearTimeout(t); res(); }; const t = setTimeout(w, 50); waiters.add(w); });
    }
  };
  for (const c of children) await expect(c, 'opened', 10_000);

  // Warm-up event 0: once every watcher has it, every stream is subscribed and flowing.
  // (Retried: a watch whose headers are not flushed yet may still be subscribing.)
  const sendT = new Float64Array(maxSeq + 1);
  const ackT = new Float64Array(maxSeq + 1);
  // commit time as seen by a raw etcd watch in this process: the reference that excludes
  // the apiserver's own write path (its ack can be late when it is busy fanning out)
  const commitT = new Float64Array(maxSeq + 1);
  const raw = await etcd.watch().prefix('/registry/configmaps/bench-watch/').create();
  cleanups.push(() => raw.cancel().catch(() => undefined));
  raw.on('put', (kv) => {
    const mm = /ev-(\d+)$/.exec(kv.key.toString());
    if (mm) { const s = Number(mm[1]); if (s <= maxSeq && !commitT[s]) commitT[s] = now(); }
  });
  const write = async (s: number) => {
    sendT[s] = now();
    const code = await post(api, 'bench-watch', cmBody(`ev-${pad(s)}`));
    ackT[s] = now();
    if (code !== 201) fail(`watch event ${s}: create failed with HTTP ${code}`);
  };
  await write(0);
  const warmCpu: number[] = [];
  for (const c of children) warmCpu.push(Number((await expect(c, 'warm', 30_000)).cpuSeconds));
  log(`  all ${CFG.watchers} watchers connected and received the warm-up event`);

  const collect = async (from: number, to: number, startCpu: number[]) => {
    for (const c of children) c.send({ cmd: 'collect', from, to, timeoutMs: 30_000 });
    const results = [];
    for (const c of children) results.push(await expect(c, 'collected', 40_000));
    const width = to - from + 1;
    const fromAck: number[] = [];
    const fromSend: number[] = [];
    const fromCommit: number[] = [];
    const lastPerEvent = new Float64Array(width);
    let missing = 0;
    let cpu = 0;
    let lastRecv = 0;
    results.forEach((res, k) => {
      const recv = res.recv as Float64Array;
      const n = recv.length / width;
      for (let w = 0; w < n; w++) {
        for (let j = 0; j < width; j++) {
          const t = recv[w * width + j]!;
          if (t === 0) { missing++; continue; }
          if (t > lastRecv) lastRecv = t;
          const s = from + j;
          fromAck.push(t - ackT[s]!);
          fromSend.push(t - sendT[s]!);
          if (commitT[s]) fromCommit.push(t - commitT[s]!);
          if (t - ackT[s]! > lastPerEvent[j]!) lastPerEvent[j] = t - ackT[s]!;
        }
      }
      const errs = res.errors as string[];
      if (Number(res.duplicates)) fail(`watch: ${String(res.duplicates)} duplicate events`);
      if (Number(res.ended)) fail(`watch: ${String(res.ended)} streams ended early: ${errs.slice(0, 3).join(' | ')}`);
      else if (errs.length) fail(`watch: errors: ${errs.slice(0, 3).join(' | ')}`);
      cpu += Number(res.cpuSeconds) - startCpu[k]!;
      startCpu[k] = Number(res.cpuSeconds);
    });
    return { fromAck, fromSend, fromCommit, lastPerEvent, missing, cpu, lastRecv };
  };

  const phase = async (mode: 'paced' | 'burst'): Promise<WatchPhase> => {
    const from = mode === 'paced' ? 1 : N + 1;
    const to = from + N - 1;
    const startCpu = [...warmCpu];
    const m = cpuMark(cluster);
    const t0 = now();
    if (mode === 'paced') {
      log(`watch: ${N} creates at ${CFG.eventRate}/s`);
      const pending: Promise<void>[] = [];
      for (let s = from; s <= to; s++) {
        const due = t0 + ((s - from) * 1000) / CFG.eventRate;
        const wait = due - now();
        if (wait > 1) await sleep(wait);
        pending.push(write(s));
      }
      await Promise.all(pending);
    } else {
      log(`watch: ${N} creates as fast as possible (${CFG.inflight} in flight)`);
      await runConcurrent(N, CFG.inflight, (i) => write(from + i));
    }
    const writeSeconds = (now() - t0) / 1000;
    const c = await collect(from, to, startCpu);
    warmCpu.splice(0, warmCpu.length, ...startCpu);
    const cpu = { ...cpuSince(cluster, m, `watch-${mode}`), watchClientCpuSeconds: round(c.cpu) };
    const expected = CFG.watchers * N;
    const deliveries = expected - c.missing;
    if (c.missing) fail(`watch (${mode}): ${c.missing} of ${expected} deliveries missing`);
    const writeLat = Array.from({ length: N }, (_, j) => ackT[from + j]! - sendT[from + j]!);
    const wl = summarize(writeLat);
    const out: WatchPhase = {
      events: N,
      writeMode: mode === 'paced' ? `${CFG.eventRate} creates/s` : `${CFG.inflight} in flight`,
      writeSeconds: round(writeSeconds, 3),
      deliveries, expected, missing: c.missing, allDelivered: c.missing === 0,
      latencyFromAckMs: ms(summarize(c.fromAck)),
      latencyFromSendMs: ms(summarize(c.fromSend)),
      latencyFromEtcdCommitMs: ms(summarize(c.fromCommit)),
      lastWatcherFromAckMs: ms(summarize(c.lastPerEvent)),
      writeLatencyMs: { p50: round(wl.p50, 3), p99: round(wl.p99, 3) },
      deliveredPerSec: round(deliveries / ((c.lastRecv - t0) / 1000), 0),
      cpu,
    };
    log(`  delivered ${deliveries}/${expected}; latency from ack p50 ${round(out.latencyFromAckMs.p50, 1)} ms, p99 ${round(out.latencyFromAckMs.p99, 1)} ms`);
    return out;
  };
  const paced = await phase('paced');
  const burst = await phase('burst');
  return { watchers: CFG.watchers, watchProcesses: CFG.watchProcs, fromResourceVersion: rv, paced, burst };
}

// ------------------------------------------------------------------ output
function machineInfo() {
  let etcdVersion = '';
  try { etcdVersion = execFileSync('etcd', ['--version'], { encoding: 'utf8' }).split('\n')[0]!.replace('etcd Version: ', ''); } catch { /* unknown */ }
  let commit = '';
  try { commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim(); } catch { /* not a checkout */ }
  // plumbing only (never writes the index): non-zero when tracked files differ from HEAD
  try { if (commit) execFileSync('git', ['diff-index', '--quiet', 'HEAD', '--'], { cwd: repoRoot, stdio: 'ignore' }); } catch { commit += '+uncommitted changes'; }
  return {
    nproc: os.availableParallelism(),
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryGiB: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    etcd: etcdVersion,
    kernel: `${os.type()} ${os.release()}`,
    commit,
  };
}

main().then(
  async (code) => { await cleanup(); process.exit(code); },
  async (err) => {
    if (aborted) return; // interrupted: the signal handler cleans up and exits
    console.error(`benchmark failed: ${(err as Error).stack ?? String(err)}`);
    await cleanup();
    process.exit(1);
  },
);
