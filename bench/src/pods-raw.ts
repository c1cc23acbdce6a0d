// `node bench/dist/pods-raw.js`: the runtime baseline for bench:pods, on one private containerd
// (kubelet/src/testing/containerd.ts) with the busybox image (images/build.sh):
//   1. raw `ctr run -d` of busybox `sleep` (the floor: what containerd + runc cost per container),
//      and the same with k8ts' CRI log writer attached via --log-uri;
//   2. the k8ts runtime for one pod: runPodSandbox (netns, veth, IP, UTS ns) + createContainer
//      + startContainer of one busybox container, with the three parts timed separately;
//   3. the runtime's status reads (listContainers / containerStatus) that the PLEG relist does.
// Sequential, bounded counts (BENCH_PODS_N, default 20); only the pods' own namespaces are used,
// no traffic is sent. Needs root and the `node` + `images` package sets. Prints a table and
// writes bench/results/pods-raw.json; exits non-zero only if something functionally failed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerdRuntime, DEFAULT_LOGGER_PATH } from '@k8ts/kubelet/runtime/containerd/runtime';
import { teardownNodeNetwork } from '@k8ts/kubelet/network/node-network';
import { runCommand } from '@k8ts/kubelet/sys/run-command';
import { startTestContainerd } from '@k8ts/kubelet/testing/containerd';
import { ensureTestImages, REPO_ROOT } from '@k8ts/kubelet/testing/images';
import { summarize, round } from './stats.js';

const N = Number(process.env.BENCH_PODS_N ?? 20);
const ms = (t0: number) => performance.now() - t0;

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('pods-raw needs root (containerd, netns)');
  const { busybox } = await ensureTestImages(['busybox']);
  const ctd = await startTestContainerd();
  const stateDir = await mkdtemp(join(tmpdir(), 'k8ts-bench-node-'));
  const net = { bridge: 'k8ts-bench', podCIDR: '10.244.248.0/24', clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' };
  const rawNs = `${ctd.prefix}-raw`;
  const rt = new ContainerdRuntime({ socket: ctd.socket, nodeName: 'bench', namespace: `${ctd.prefix}-bench`, stateDir, podCIDR: net.podCIDR, bridge: net.bridge });
  try {
    const ctr = (...a: string[]) => runCommand('ctr', ['-a', ctd.socket, '-n', rawNs, ...a]);
    if ((await ctr('images', 'import', busybox!)).code !== 0) throw new Error('import failed');
    await rt.importImage(busybox!);

    const raw: number[] = [];
    for (let i = 0; i < N + 1; i++) {
      const t0 = performance.now();
      const r = await ctr('run', '-d', 'docker.io/library/busybox:latest', `raw-${i}`, 'sleep', '3600');
      if (r.code !== 0) throw new Error(`ctr run: ${r.stderr}`);
      if (i > 0) raw.push(ms(t0)); // first run warms the snapshotter and shim binary caches
    }

    // The same, with the CRI log writer attached (what every k8ts container pays for logging).
    const rawLog: number[] = [];
    for (let i = 0; i < N; i++) {
      const t0 = performance.now();
      const r = await ctr('run', '-d', '--log-uri', `binary://${DEFAULT_LOGGER_PATH}?path=${join(stateDir, 'raw-logs', `${i}.log`)}`, 'docker.io/library/busybox:latest', `rawlog-${i}`, 'sleep', '3600');
      if (r.code !== 0) throw new Error(`ctr run: ${r.stderr}`);
      rawLog.push(ms(t0));
    }

    const sandbox: number[] = [];
    const create: number[] = [];
    const start: number[] = [];
    const total: number[] = [];
    const ids: string[] = [];
    for (let i = 0; i < N + 1; i++) {
      const pod = { uid: `bench-${i}`, name: `p${i}`, namespace: 'default', attempt: 0, hostname: `p${i}`, hostNetwork: false, portMappings: [], labels: {}, annotations: {}, logDirectory: join(stateDir, 'logs', `p${i}`) };
      const t0 = performance.now();
      const sb = await rt.runPodSandbox(pod);
      const t1 = performance.now();
      const id = await rt.createContainer(sb.id, { name: 'main', attempt: 0, image: 'busybox', command: ['sleep', '3600'], args: [], env: [], mounts: [], logPath: 'main/0.log', tty: false, stdin: false, labels: {}, annotations: {} }, pod);
      const t2 = performance.now();
      await rt.startContainer(id);
      const t3 = performance.now();
      ids.push(sb.id);
      if (i === 0) continue; // first pod also creates the bridge and iptables chains
      sandbox.push(t1 - t0); create.push(t2 - t1); start.push(t3 - t2); total.push(t3 - t0);
    }

    const list: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const cs = await rt.listContainers();
      if (cs.length !== N + 1 || cs.some((c) => c.state !== 'running')) throw new Error('not all containers running');
      list.push(ms(t0));
    }

    const rows = {
      'ctr run -d (raw)': summarize(raw),
      'ctr run -d --log-uri binary://k8ts-cri-logger': summarize(rawLog),
      'runtime: runPodSandbox': summarize(sandbox),
      'runtime: createContainer': summarize(create),
      'runtime: startContainer': summarize(start),
      'runtime: pod total (sandbox+create+start)': summarize(total),
      [`runtime: listContainers (${N + 1} running)`]: summarize(list),
    };
    console.log(`pods-raw: N=${N} sequential, one containerd, busybox sleep`);
    console.log(`${'measure'.padEnd(46)} ${'p50 ms'.padStart(8)} ${'p90 ms'.padStart(8)} ${'max ms'.padStart(8)}`);
    for (const [k, s] of Object.entries(rows)) console.log(`${k.padEnd(46)} ${String(round(s.p50)).padStart(8)} ${String(round(s.p90)).padStart(8)} ${String(round(s.max)).padStart(8)}`);
    const ratio = round(rows['runtime: pod total (sandbox+create+start)'].p50 / rows['ctr run -d (raw)'].p50);
    console.log(`pod total / raw ctr run: ${ratio}x`);
    const out = process.env.BENCH_OUT ?? join(REPO_ROOT, 'bench', 'results', 'pods-raw.json');
    await mkdir(join(out, '..'), { recursive: true });
    await writeFile(out, JSON.stringify({ n: N, at: new Date().toISOString(), rows, ratio }, null, 2) + '\n');

    for (const id of ids) await rt.removePodSandbox(id);
  } finally {
    rt.close();
    await ctd.stop();
    await teardownNodeNetwork(net);
    await rm(stateDir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => { console.error(e); process.exitCode = 1; });
