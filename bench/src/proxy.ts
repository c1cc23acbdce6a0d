// `npm run bench:proxy`: kube-proxy benchmark (issue 5, "Performance").
//
// Starts its own etcd + the real apiserver (cluster.ts), creates 1,000 ClusterIP Services with
// 5 ready endpoints each through the API, and runs kube-proxy (in this process, applying real
// iptables rules inside a throwaway network namespace: the host's tables are never touched).
//   1. full sync: kube-proxy's complete sync path (model from the API objects, render,
//      read the kernel's chains, iptables-restore, jump check) vs the RAW baseline: a bare
//      `iptables-restore --noflush` of the very same rules text, in the same namespace, same run.
//   2. Endpoints change → rule in the kernel: N Endpoints updates (one address replaced),
//      paced; latency = time iptables-restore returned with the change − time just before the
//      API write (stamped in the endpoints.kubernetes.io/last-change-trigger-time annotation),
//      p50/p99. One change is verified by reading the kernel (iptables-save).
// Prints a table, writes bench/results/proxy.json. Never fails on timings.
// Knobs: BENCH_SERVICES (1000), BENCH_ENDPOINTS (5), BENCH_CHANGES (200), BENCH_CHANGE_RATE (20/s),
// BENCH_FULL_SYNCS (5), BENCH_OUT.
import { mkdir, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import os, { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ApiClient, Resources, createLogger, type KubeObject } from '@k8ts/shared';
import { startKubeProxy, buildServiceModel, RuleApplier, renderRules } from '@k8ts/kube-proxy';
import { NetNs, canUseNetns } from '@k8ts/kube-proxy/testing/netns';
import { startDnsServer } from '@k8ts/dns';
import { startCluster, repoRoot } from './cluster.js';
import { now, round, summarize } from './stats.js';

const env = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const SERVICES = env('BENCH_SERVICES', 1000);
const ENDPOINTS = env('BENCH_ENDPOINTS', 5);
const CHANGES = env('BENCH_CHANGES', 200);
const RATE = env('BENCH_CHANGE_RATE', 20);
const FULL_SYNCS = env('BENCH_FULL_SYNCS', 5);
const OUT = process.env.BENCH_OUT ?? join(repoRoot, 'bench', 'results', 'proxy.json');
const log = (m: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}\n`);

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<unknown>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: n }, async () => { while (i < items.length) await fn(items[i++]!); }));
}

const epIP = (svc: number, ep: number, gen = 0) => `10.244.${(svc * ENDPOINTS + ep + gen * 37) % 250}.${1 + ((svc * 7 + ep + gen) % 250)}`;

async function main(): Promise<void> {
  const why = canUseNetns();
  if (why) { log(`cannot run: ${why}`); process.exit(1); }
  const cluster = await startCluster({ logLevel: 'warn' });
  const ns = new NetNs('benchproxy');
  const tmp = await mkdtemp(join(tmpdir(), 'k8ts-bench-proxy-'));
  const client = new ApiClient({ server: cluster.url, token: cluster.token, ca: cluster.caPem });
  let proxy: Awaited<ReturnType<typeof startKubeProxy>> | undefined;
  try {
    log(`creating ${SERVICES} Services × ${ENDPOINTS} endpoints through the API`);
    const idx = Array.from({ length: SERVICES }, (_, i) => i);
    await pool(idx, 32, async (i) => {
      await client.create(Resources.services, { metadata: { name: `svc-${i}`, namespace: 'default' }, spec: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] } });
      await client.create(Resources.endpoints, {
        metadata: { name: `svc-${i}`, namespace: 'default' },
        subsets: [{ addresses: Array.from({ length: ENDPOINTS }, (_, e) => ({ ip: epIP(i, e) })), ports: [{ name: 'http', port: 8080 }] }],
      });
    });

    // ---- 1. full sync vs raw iptables-restore of the same text ----
    const services = (await client.list(Resources.services)).items;
    const endpoints = (await client.list(Resources.endpoints)).items;
    const applier = new RuleApplier(ns.runner);
    await applier.apply(buildServiceModel(services, endpoints).rules, { clusterCIDR: '10.244.0.0/16' }); // warm: chains exist, like a running proxy
    const full: number[] = [];
    const cold: number[] = [];
    const raw: number[] = [];
    let text = '';
    for (let r = 0; r < FULL_SYNCS; r++) {
      // a full sync as kube-proxy does it on every periodic resync: model, render, write every chain
      const t0 = now();
      const rendered = await applier.apply(buildServiceModel(services, endpoints).rules, { clusterCIDR: '10.244.0.0/16' }, { full: true });
      full.push(now() - t0);
      // a cold sync (start-up or after a failure): also reads the kernel first (iptables-save)
      applier.invalidate();
      const t2 = now();
      await applier.apply(buildServiceModel(services, endpoints).rules, { clusterCIDR: '10.244.0.0/16' });
      cold.push(now() - t2);
      text = renderRules(buildServiceModel(services, endpoints).rules, { clusterCIDR: '10.244.0.0/16' }).text;
      const file = join(tmp, 'rules.txt');
      await writeFile(file, text);
      const t1 = now();
      execFileSync('ip', ['netns', 'exec', ns.name, 'sh', '-c', `iptables-restore --noflush --wait < ${file}`]);
      raw.push(now() - t1);
      if (r === 0) log(`  rules: ${rendered.counts.services} service ports, ${rendered.counts.endpoints} endpoints, ${text.split('\n').length} lines`);
    }
    const fullS = summarize(full);
    const coldS = summarize(cold);
    const rawS = summarize(raw);
    log(`full sync median ${round(fullS.p50)} ms vs raw iptables-restore ${round(rawS.p50)} ms`);

    // ---- 2. Endpoints change → rule in the kernel ----
    proxy = await startKubeProxy({
      connection: { server: cluster.url, token: cluster.token, ca: cluster.caPem }, iptables: ns.runner, healthPort: 0,
      logger: createLogger('kube-proxy', 'warn'),
    });
    await proxy.synced();
    const before = proxy.metrics.programmingObserved();
    const interval = 1000 / RATE;
    const start = now();
    let verified = false;
    for (let c = 0; c < CHANGES; c++) {
      const target = start + c * interval;
      const wait = target - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const i = c % SERVICES;
      const ep = await client.get(Resources.endpoints, 'default', `svc-${i}`);
      const addresses = Array.from({ length: ENDPOINTS }, (_, e) => ({ ip: epIP(i, e, c + 1) }));
      ep.metadata.annotations = { ...(ep.metadata.annotations ?? {}), 'endpoints.kubernetes.io/last-change-trigger-time': new Date().toISOString() };
      ep.subsets = [{ addresses, ports: [{ name: 'http', port: 8080 }] }];
      await client.update(Resources.endpoints, ep as KubeObject);
      if (c === CHANGES - 1) {
        await proxy.synced();
        const nat = ns.exec(['iptables-save', '-t', 'nat']);
        verified = nat.includes(`--to-destination ${addresses[0]!.ip}:8080`);
      }
    }
    await proxy.synced();
    const fresh = proxy.metrics.programmingObserved() - before;
    const samples = proxy.metrics.programmingSamples().slice(-fresh).map((s) => s * 1000);
    const lat = summarize(samples);
    log(`programming latency p50 ${round(lat.p50)} ms p99 ${round(lat.p99)} ms over ${lat.count} changes`);

    // ---- 3. DNS queries/s from a pod ----
    // A pod-like network namespace joined to the host by a veth (10.244.250.2 ↔ 10.244.250.1);
    // the real cluster DNS over this run's 1,000 Services listens on the host end, and a client
    // process inside the namespace sends A queries for the Services' names (64 in flight).
    let dnsResult: { qps: number; answered: number; sent: number; seconds: number } | undefined;
    const dnsNs = new NetNs('benchdns');
    const hostVeth = `kpdns${process.pid % 10000}`;
    try {
      execFileSync('ip', ['link', 'add', hostVeth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', dnsNs.name]);
      execFileSync('ip', ['addr', 'add', '10.244.250.1/30', 'dev', hostVeth]);
      execFileSync('ip', ['link', 'set', hostVeth, 'up']);
      dnsNs.exec(['ip', 'addr', 'add', '10.244.250.2/30', 'dev', 'eth0']);
      dnsNs.exec(['ip', 'link', 'set', 'eth0', 'up']);
    } catch (e) { dnsNs.destroy(); throw e; }
    const dns2 = await startDnsServer({
      connection: { server: cluster.url, token: cluster.token, ca: cluster.caPem },
      logger: createLogger('dns', 'warn'), bindAddress: '10.244.250.1', port: 0, healthPort: null,
    });
    try {
      await new Promise((r) => setTimeout(r, 2000)); // informers sync 1,000 Services
      const client = `
        const dgram = require('node:dgram');
        const N = ${env('BENCH_DNS_QUERIES', 20000)}, WINDOW = 64, SERVICES = ${SERVICES};
        const name = (i) => 'svc-' + (i % SERVICES) + '.default.svc.cluster.local';
        const q = (id, n) => { const h = Buffer.alloc(12); h.writeUInt16BE(id, 0); h.writeUInt16BE(0x0100, 2); h.writeUInt16BE(1, 4);
          const parts = n.split('.').flatMap((p) => [Buffer.from([p.length]), Buffer.from(p)]); const t = Buffer.alloc(4); t.writeUInt16BE(1, 0); t.writeUInt16BE(1, 2);
          return Buffer.concat([h, ...parts, Buffer.from([0]), t]); };
        const s = dgram.createSocket('udp4'); let sent = 0, answered = 0; const t0 = process.hrtime.bigint();
        const send = () => { if (sent >= N) return; const i = sent++; s.send(q(i & 0xffff, name(i)), ${'${PORT}'}, '10.244.250.1'); };
        const done = () => { const sec = Number(process.hrtime.bigint() - t0) / 1e9; console.log(JSON.stringify({ sent, answered, seconds: sec, qps: answered / sec })); process.exit(0); };
        s.on('message', (m) => { if ((m.readUInt16BE(2) & 0xf) === 0 && m.readUInt16BE(6) === 1) answered++; if (answered + lost >= N) done(); else send(); });
        let lost = 0; let last = 0; setInterval(() => { if (answered === last) { lost += WINDOW; for (let k = 0; k < WINDOW; k++) send(); } last = answered; }, 200);
        setTimeout(done, 60000);
        for (let k = 0; k < WINDOW; k++) send();`.replace('${PORT}', String(dns2.port));
      // async: the DNS server answers from this very process, whose event loop must keep running
      const { execFile } = await import('node:child_process');
      const out = await new Promise<string>((res, rej) => execFile('ip', ['netns', 'exec', dnsNs.name, process.execPath, '-e', client], { encoding: 'utf8', timeout: 90_000 }, (err, stdout) => (err ? rej(err) : res(stdout))));
      dnsResult = JSON.parse(out.trim().split('\n').pop()!);
      log(`DNS from a pod namespace: ${Math.round(dnsResult!.qps)} queries/s (${dnsResult!.answered}/${dnsResult!.sent} answered)`);
    } finally {
      await dns2.close();
      dnsNs.destroy();
      try { execFileSync('ip', ['link', 'del', hostVeth]); } catch { /* gone with the namespace */ }
    }

    const result = {
      when: new Date().toISOString(),
      machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version },
      config: { services: SERVICES, endpointsPerService: ENDPOINTS, changes: CHANGES, changeRatePerSecond: RATE, fullSyncRuns: FULL_SYNCS, minSyncPeriodMs: 250 },
      rulesLines: text.split('\n').length,
      fullSync: { ms: fullS, rawIptablesRestoreMs: rawS, ratioMedian: round(fullS.p50 / rawS.p50, 2), goal: '≤ 1.5× raw iptables-restore' },
      coldSync: { ms: coldS, ratioMedian: round(coldS.p50 / rawS.p50, 2), note: 'start-up / after a failure: iptables-save of the kernel + full restore' },
      endpointsToKernel: { ms: lat, verifiedInKernel: verified, goal: 'p99 ≤ 1 s' },
      dnsFromPod: dnsResult,
    };
    const table = [
      ['measurement', 'result', 'vs raw baseline', 'goal'],
      [`full sync, ${SERVICES} services × ${ENDPOINTS} endpoints (median of ${FULL_SYNCS}, ms)`, `${round(fullS.p50)}`, `${result.fullSync.ratioMedian}× raw iptables-restore (${round(rawS.p50)} ms)`, `≤ 1.5× ${result.fullSync.ratioMedian <= 1.5 ? 'met' : 'NOT met'}`],
      [`cold sync (reads the kernel first; start-up, after failures, every 30 s), ms`, `${round(coldS.p50)}`, `${round(coldS.p50 / rawS.p50, 2)}× raw`, ''],
      [`Endpoints change → rule in kernel p50 / p99 (ms, ${lat.count} changes at ${RATE}/s)`, `${round(lat.p50)} / ${round(lat.p99)}`, '', `p99 ≤ 1000 ${lat.p99 <= 1000 ? 'met' : 'NOT met'}`],
      ['last change found in the kernel (iptables-save)', String(verified), '', ''],
      [`DNS A queries/s from a pod network namespace (UDP, 64 in flight)`, `${Math.round(dnsResult?.qps ?? NaN)}`, '', ''],
    ];
    const w = table[0]!.map((_, c) => Math.max(...table.map((r) => r[c]!.length)));
    console.log(`k8ts kube-proxy benchmark — ${result.when} — ${result.machine.cpus} CPUs, node ${process.version}`);
    for (const r of table) console.log(r.map((cell, c) => cell.padEnd(w[c]!)).join(' | '));
    await mkdir(dirname(OUT), { recursive: true });
    await writeFile(OUT, `${JSON.stringify(result, null, 2)}\n`);
    log(`wrote ${OUT}`);
  } finally {
    await proxy?.close();
    await client.close();
    ns.destroy();
    await rm(tmp, { recursive: true, force: true });
    await cluster.stop();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
