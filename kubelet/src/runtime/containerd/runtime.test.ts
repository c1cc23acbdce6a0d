// The containerd runtime against a REAL containerd, runc, network namespaces and iptables (no
// fakes). Needs root and the package sets `node` + `images` of scripts/install-deps.sh; builds
// the busybox/nginx images on first run (images/build.sh). Traffic goes only to the pods' own IPs.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { hostVethName, netnsName } from '../../network/names.js';
import { teardownNodeNetwork } from '../../network/node-network.js';
import { runCommand } from '../../sys/run-command.js';
import { startTestContainerd, type TestContainerd } from '../../testing/containerd.js';
import { ensureTestImages } from '../../testing/images.js';
import { RuntimeError, type ContainerConfig, type PodSandboxConfig } from '../types.js';
import { ContainerdRuntime, type ContainerdRuntimeOptions } from './runtime.js';

const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(100);
  }
}

function httpGet(ip: string, port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: ip, port, path: '/', timeout: 3000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => { body += d.toString(); });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

function collect() {
  const s = new PassThrough();
  const chunks: Buffer[] = [];
  s.on('data', (d: Buffer) => chunks.push(d));
  return { s, text: () => Buffer.concat(chunks).toString() };
}

describe('ContainerdRuntime (real containerd)', { skip: isRoot ? false : 'needs root (containerd, runc, netns, iptables)' }, () => {
  let ctd: TestContainerd;
  let stateA = '';
  let stateB = '';
  let optsA: ContainerdRuntimeOptions;
  let rtA: ContainerdRuntime;
  let rtB: ContainerdRuntime;
  const third = 200 + (randomBytes(1)[0]! % 40);
  const cidrA = `10.244.${third}.0/24`;
  const cidrB = `10.244.${third + 1}.0/24`;
  const tag = randomBytes(2).toString('hex');
  const bridgeA = `k8ts-ta${tag}`;
  const bridgeB = `k8ts-tb${tag}`;
  const sandboxes: { rt: ContainerdRuntime; id: string }[] = [];

  const podConfig = (name: string, extra: Partial<PodSandboxConfig> = {}): PodSandboxConfig => ({
    uid: `uid-${name}-${tag}`, name, namespace: 'default', attempt: 0, hostname: name, hostNetwork: false,
    portMappings: [], labels: { app: name }, annotations: {}, logDirectory: join(stateA, 'logs', name), ...extra,
  });
  const containerConfig = (name: string, extra: Partial<ContainerConfig> = {}): ContainerConfig => ({
    name, attempt: 0, image: 'busybox', command: [], args: [], env: [], mounts: [], logPath: `${name}/0.log`,
    tty: false, stdin: false, labels: { container: name }, annotations: {}, ...extra,
  });
  async function runPod(rt: ContainerdRuntime, pod: PodSandboxConfig, containers: ContainerConfig[]) {
    const sb = await rt.runPodSandbox(pod);
    sandboxes.push({ rt, id: sb.id });
    const ids: string[] = [];
    for (const c of containers) {
      const id = await rt.createContainer(sb.id, c, pod);
      await rt.startContainer(id);
      ids.push(id);
    }
    return { sb, ids };
  }

  before(async () => {
    const images = await ensureTestImages(['busybox', 'nginx']);
    ctd = await startTestContainerd();
    stateA = await mkdtemp(join(tmpdir(), 'k8ts-node-a-'));
    stateB = await mkdtemp(join(tmpdir(), 'k8ts-node-b-'));
    optsA = { socket: ctd.socket, nodeName: 'a', namespace: `${ctd.prefix}-a`, stateDir: stateA, podCIDR: cidrA, bridge: bridgeA };
    rtA = new ContainerdRuntime(optsA);
    rtB = new ContainerdRuntime({ socket: ctd.socket, nodeName: 'b', namespace: `${ctd.prefix}-b`, stateDir: stateB, podCIDR: cidrB, bridge: bridgeB });
    await rtA.importImage(images.busybox!);
    await rtA.importImage(images.nginx!);
    await rtB.importImage(images.busybox!);
  });

  after(async () => {
    for (const s of sandboxes.reverse()) await s.rt.removePodSandbox(s.id).catch(() => undefined);
    rtA?.close();
    rtB?.close();
    await ctd?.stop();
    for (const [bridge, podCIDR] of [[bridgeA, cidrA], [bridgeB, cidrB]] as const) {
      await teardownNodeNetwork({ bridge, podCIDR, clusterCIDR: '10.244.0.0/16', serviceCIDR: '10.96.0.0/16' });
    }
    for (const d of [stateA, stateB]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('lists imported images with normalized names, resolves `nginx` and its image config', async () => {
    const imgs = await rtA.listImages();
    assert.ok(imgs.some((i) => i.repoTags.includes('docker.io/library/nginx:latest')));
    const st = await rtA.imageStatus('nginx');
    assert.ok(st && st.id.startsWith('sha256:') && st.sizeBytes > 1_000_000);
    const cfg = await rtA.imageConfig('nginx:latest');
    assert.deepEqual(cfg?.cmd, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(cfg?.entrypoint, ['/docker-entrypoint.sh']);
    assert.equal(await rtB.imageStatus('nginx'), undefined, 'images are per node namespace');
  });

  it('imports a docker-archive tarball (docker save format) and removes images', async () => {
    const images = await ensureTestImages(['busybox']);
    const work = await mkdtemp(join(tmpdir(), 'k8ts-docker-archive-'));
    try {
      const oci = join(work, 'oci');
      const arch = join(work, 'archive');
      await runCommand('mkdir', ['-p', oci, arch]);
      assert.equal((await runCommand('tar', ['-xf', images.busybox!, '-C', oci])).code, 0);
      const index = JSON.parse(await readFile(join(oci, 'index.json'), 'utf8'));
      const blob = (d: string) => join(oci, 'blobs', 'sha256', d.replace('sha256:', ''));
      const manifest = JSON.parse(await readFile(blob(index.manifests[0].digest), 'utf8'));
      const cfgName = `${manifest.config.digest.replace('sha256:', '')}.json`;
      await runCommand('cp', [blob(manifest.config.digest), join(arch, cfgName)]);
      await runCommand('mkdir', ['-p', join(arch, 'layer0')]);
      assert.equal((await runCommand('sh', ['-c', 'gzip -dc "$1" > "$2"', 'sh', blob(manifest.layers[0].digest), join(arch, 'layer0', 'layer.tar')])).code, 0);
      const { writeFile } = await import('node:fs/promises');
      await writeFile(join(arch, 'manifest.json'), JSON.stringify([{ Config: cfgName, RepoTags: ['k8ts.local/archived:v1'], Layers: ['layer0/layer.tar'] }]));
      const tarball = join(work, 'archived.tar');
      assert.equal((await runCommand('tar', ['-cf', tarball, '-C', arch, '.'])).code, 0);
      const imported = await rtB.importImage(tarball);
      assert.equal(imported.length, 1);
      // same config digest as busybox:latest → one image (id) with both tags, as in Docker
      assert.ok(imported[0]!.repoTags.includes('k8ts.local/archived:v1'));
      assert.deepEqual((await rtB.imageConfig('k8ts.local/archived:v1'))?.cmd, ['sh']);
      await rtB.removeImage('k8ts.local/archived:v1');
      assert.equal(await rtB.imageStatus('k8ts.local/archived:v1'), undefined);
      await rtB.removeImage('k8ts.local/archived:v1'); // idempotent
      assert.ok(await rtB.imageStatus('busybox'), 'the other tag stays');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  });

  it('missing image: pullImage throws ErrImagePull; present image: pull returns it', async () => {
    await assert.rejects(rtA.pullImage('does-not-exist:1.0'), (e: unknown) => e instanceof RuntimeError && e.reason === 'ErrImagePull' && /docker\.io\/library\/does-not-exist:1\.0/.test(e.message));
    assert.ok((await rtA.pullImage('busybox')).repoTags.includes('docker.io/library/busybox:latest'));
  });

  it('runs nginx (image Entrypoint/Cmd) in a sandbox whose IP answers from the host on port 80', async () => {
    const { sb, ids } = await runPod(rtA, podConfig('web'), [containerConfig('nginx', { image: 'nginx' })]);
    assert.ok(sb.ip && sb.ip.startsWith(`10.244.${third}.`), `pod IP ${sb.ip} from ${cidrA}`);
    const res = await waitFor('nginx to answer', async () => httpGet(sb.ip!, 80).catch(() => undefined));
    assert.equal(res.status, 200);
    assert.match(res.body, /Welcome to nginx!/);
    const st = await rtA.containerStatus(ids[0]!);
    assert.equal(st?.state, 'running');
    assert.match(st!.imageRef, /^docker\.io\/library\/nginx@sha256:/);
    // nginx logs its access log to stdout, like the official image
    const log = await waitFor('access log line', async () => {
      const o = collect();
      await rtA.logs(ids[0]!, { follow: false, timestamps: false }, o.s);
      return o.text().includes('"GET / HTTP/1.1" 200') && o.text();
    });
    assert.ok(log);
    const raw = await readFile(st!.logPath, 'utf8');
    assert.match(raw, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z (stdout|stderr) F /m);
  });

  it('two containers of one pod talk over localhost and share hostname, resolv.conf and hosts', async () => {
    const dnsConfig = { servers: ['10.96.0.10'], searches: ['default.svc.cluster.local', 'svc.cluster.local'], options: ['ndots:5'] };
    const { sb, ids } = await runPod(rtA, podConfig('duo', { dnsConfig }), [
      containerConfig('server', { command: ['httpd', '-f', '-p', '8080', '-h', '/www'] }),
      containerConfig('client', { command: ['sleep', '3600'] }),
    ]);
    const out = collect();
    const code = await waitFor('wget over localhost', async () => {
      const c = await rtA.exec(ids[1]!, { command: ['wget', '-q', '-O', '-', 'http://127.0.0.1:8080/'], tty: false, stdout: out.s });
      return c === 0 ? 1 : undefined;
    });
    assert.equal(code, 1);
    assert.match(out.text(), /busybox httpd/);
    const host = collect();
    assert.equal(await rtA.exec(ids[0]!, { command: ['hostname'], tty: false, stdout: host.s }), 0);
    assert.equal(host.text().trim(), 'duo');
    const files = collect();
    assert.equal(await rtA.exec(ids[1]!, { command: ['cat', '/etc/resolv.conf', '/etc/hosts'], tty: false, stdout: files.s }), 0);
    assert.match(files.text(), /^search default\.svc\.cluster\.local svc\.cluster\.local\nnameserver 10\.96\.0\.10\noptions ndots:5\n/);
    assert.match(files.text(), new RegExp(`${sb.ip!.replace(/\./g, '\\.')}\\tduo`));
  });

  it('exec returns the exit code, passes stdin and separates stdout/stderr; bad exec is a RuntimeError', async () => {
    const { ids } = await runPod(rtA, podConfig('ex'), [containerConfig('main', { command: ['sleep', '3600'], env: [{ name: 'GREETING', value: 'hi there' }] })]);
    const out = collect();
    const err = collect();
    const stdin = new PassThrough();
    stdin.end('from stdin\n');
    const code = await rtA.exec(ids[0]!, { command: ['sh', '-c', 'cat; echo "$GREETING"; echo oops >&2; exit 7'], tty: false, stdin, stdout: out.s, stderr: err.s });
    assert.equal(code, 7);
    assert.equal(out.text(), 'from stdin\nhi there\n');
    assert.match(err.text(), /oops/);
    await assert.rejects(rtA.exec(ids[0]!, { command: ['/no/such/binary'], tty: false }), (e: unknown) => e instanceof RuntimeError && /no such file/.test(e.message));
    const tty = collect();
    async function* sizes() { yield { width: 123, height: 45 }; }
    assert.equal(await rtA.exec(ids[0]!, { command: ['sh', '-c', 'for i in $(seq 1 50); do s=$(stty size 2>/dev/null) && [ "$s" = "45 123" ] && break; sleep 0.3; done; echo "size=$s"; tty; exit 3'], tty: true, stdout: tty.s, resize: sizes() }), 3);
    assert.match(tty.text(), /\/dev\/pts\//);
    assert.match(tty.text(), /size=45 123/);
  });

  it('bind-mounts volumes read-write and read-only, and sets env and workingDir', async () => {
    const vol = join(stateA, 'volumes', 'data');
    const ro = join(stateA, 'volumes', 'config');
    await runCommand('mkdir', ['-p', vol, ro]);
    const { writeFile } = await import('node:fs/promises');
    await writeFile(join(ro, 'settings'), 'from-host\n');
    const { ids } = await runPod(rtA, podConfig('vols'), [containerConfig('main', {
      command: ['sh', '-c', 'pwd > /data/pwd; echo "$MODE" >> /data/pwd; cat /config/settings >> /data/pwd; sleep 3600'],
      env: [{ name: 'MODE', value: 'a=b c' }], workingDir: '/tmp',
      mounts: [{ hostPath: vol, containerPath: '/data', readOnly: false }, { hostPath: ro, containerPath: '/config', readOnly: true }],
    })]);
    const text = await waitFor('file written through the volume', async () => {
      const t = await readFile(join(vol, 'pwd'), 'utf8').catch(() => '');
      return t.includes('from-host') && t;
    });
    assert.equal(text, '/tmp\na=b c\nfrom-host\n');
    const err = collect();
    assert.notEqual(await rtA.exec(ids[0]!, { command: ['sh', '-c', 'echo x > /config/new'], tty: false, stderr: err.s }), 0);
    assert.match(err.text(), /Read-only file system/);
    await assert.rejects(rtA.createContainer((await rtA.listPodSandboxes()).find((p) => p.name === 'vols')!.id,
      containerConfig('bad', { command: ['true'], mounts: [{ hostPath: join(stateA, 'no-such-dir'), containerPath: '/x', readOnly: false }] }), podConfig('vols')),
    (e: unknown) => e instanceof RuntimeError && e.reason === 'CreateContainerError' && /does not exist/.test(e.message));
  });

  it('logs: tail, timestamps and follow', async () => {
    const { ids } = await runPod(rtA, podConfig('logs'), [containerConfig('main', {
      command: ['sh', '-c', 'for i in 1 2 3 4 5; do echo line$i; done; echo err1 >&2; sleep 2; echo late; sleep 3600'],
    })]);
    // stdout and stderr are separate pipes: their relative order is the logger's read order
    const full = await waitFor('all 6 lines', async () => {
      const o = collect();
      await rtA.logs(ids[0]!, { follow: false, timestamps: false }, o.s);
      return o.text().includes('err1') && o.text().includes('line5') && o.text();
    });
    assert.equal(full.split('\n').filter((l) => /^line\d$/.test(l)).join(','), 'line1,line2,line3,line4,line5');
    const tail = collect();
    await rtA.logs(ids[0]!, { follow: false, timestamps: false, tail: 2 }, tail.s);
    assert.equal(tail.text(), full.split('\n').slice(-3).join('\n'));
    const ts = collect();
    await rtA.logs(ids[0]!, { follow: false, timestamps: true, tail: 1 }, ts.s);
    assert.match(ts.text(), /^\d{4}-\d\d-\d\dT[\d:.]+Z \S+\n$/);
    const ac = new AbortController();
    const f = collect();
    const following = rtA.logs(ids[0]!, { follow: true, timestamps: false, signal: ac.signal }, f.s);
    await waitFor('followed late line', async () => f.text().includes('late'));
    ac.abort();
    await following;
    assert.match(f.text(), /line1\n[\s\S]*late\n/);
  });

  it('a tty container (no attach: runs without a terminal) still writes its CRI log', async () => {
    const { ids } = await runPod(rtA, podConfig('tty'), [containerConfig('main', { tty: true, command: ['sh', '-c', 'echo on-a-tty; sleep 3600'] })]);
    const text = await waitFor('tty output', async () => {
      const o = collect();
      await rtA.logs(ids[0]!, { follow: false, timestamps: false }, o.s);
      return o.text().includes('on-a-tty') && o.text();
    });
    assert.match(text, /on-a-tty/);
  });

  it('stop: a process ignoring SIGTERM is SIGKILLed after the timeout; exit code and times recorded', async () => {
    const { ids } = await runPod(rtA, podConfig('stubborn'), [containerConfig('main', { command: ['sh', '-c', "trap '' TERM; sleep 3600"] })]);
    await waitFor('running', async () => (await rtA.containerStatus(ids[0]!))?.state === 'running');
    await rtA.stopContainer(ids[0]!, 1);
    const st = await rtA.containerStatus(ids[0]!);
    assert.equal(st?.state, 'exited');
    assert.equal(st?.exitCode, 137);
    assert.equal(st?.reason, 'Error');
    assert.ok(st!.startedAt! <= st!.finishedAt!);
    await rtA.stopContainer(ids[0]!, 1); // idempotent
    const { ids: ok } = await runPod(rtA, podConfig('done'), [containerConfig('main', { command: ['sh', '-c', 'exit 0'] })]);
    const done = await waitFor('completed', async () => { const s = await rtA.containerStatus(ok[0]!); return s?.state === 'exited' && s; });
    assert.equal(done.exitCode, 0);
    assert.equal(done.reason, 'Completed');
  });

  it('applies cpu and memory limits to the cgroup; a container over its memory limit is OOMKilled', async () => {
    const { ids } = await runPod(rtA, podConfig('limits'), [
      containerConfig('main', { command: ['sleep', '3600'], limits: { cpuMillis: 250, memoryBytes: 64 * 1024 * 1024 } }),
      containerConfig('hog', { command: ['sh', '-c', 'sleep 1; dd if=/dev/zero of=/dev/null bs=64M count=1'], limits: { memoryBytes: 16 * 1024 * 1024 } }),
    ]);
    const cg = `/sys/fs/cgroup`;
    const ns = optsA.namespace!;
    const quota = (await readFile(`${cg}/cpu/${ns}/${ids[0]}/cpu.cfs_quota_us`, 'utf8').catch(() => readFile(`${cg}/${ns}/${ids[0]}/cpu.max`, 'utf8'))).trim();
    assert.match(quota, /^25000( 100000)?$/);
    const mem = (await readFile(`${cg}/memory/${ns}/${ids[0]}/memory.limit_in_bytes`, 'utf8').catch(() => readFile(`${cg}/${ns}/${ids[0]}/memory.max`, 'utf8'))).trim();
    assert.equal(mem, String(64 * 1024 * 1024));
    const hog = await waitFor('hog to exit', async () => { const s = await rtA.containerStatus(ids[1]!); return s?.state === 'exited' && s; });
    assert.equal(hog.exitCode, 137);
    assert.equal(hog.reason, 'OOMKilled');
  });

  it('a bad command fails start with a RuntimeError naming the cause and shows as exited StartError', async () => {
    const pod = podConfig('badcmd');
    const sb = await rtA.runPodSandbox(pod);
    sandboxes.push({ rt: rtA, id: sb.id });
    const id = await rtA.createContainer(sb.id, containerConfig('main', { command: ['/bin/nope'] }), pod);
    await assert.rejects(rtA.startContainer(id), (e: unknown) => e instanceof RuntimeError && e.reason === 'RunContainerError' && /\/bin\/nope.*no such file/.test(e.message));
    const st = await rtA.containerStatus(id);
    assert.equal(st?.state, 'exited');
    assert.equal(st?.reason, 'StartError');
    assert.equal(st?.exitCode, 128);
    await assert.rejects(rtA.createContainer(sb.id, containerConfig('x', { image: 'ghost:1' }), pod), (e: unknown) => e instanceof RuntimeError && e.reason === 'CreateContainerError');
  });

  it('a leftover snapshot of an interrupted start is replaced, and the container runs', async () => {
    const pod = podConfig('leftover');
    const sb = await rtA.runPodSandbox(pod);
    sandboxes.push({ rt: rtA, id: sb.id });
    const id = await rtA.createContainer(sb.id, containerConfig('main', { command: ['sleep', '3600'] }), pod);
    // what a kubelet stopped between snapshot Prepare and container Create leaves behind
    const { execFileSync } = await import('node:child_process');
    execFileSync('ctr', ['-a', ctd.socket, '-n', optsA.namespace!, 'snapshots', '--snapshotter', 'overlayfs', 'prepare', id], { stdio: 'ignore' });
    await rtA.startContainer(id);
    assert.equal((await rtA.containerStatus(id))?.state, 'running');
  });

  it('a restarted runtime adopts sandboxes and containers with their labels', async () => {
    const { sb, ids } = await runPod(rtA, podConfig('adopt'), [containerConfig('main', { command: ['sleep', '3600'] })]);
    const later = await rtA.createContainer(sb.id, containerConfig('later', { command: ['sleep', '3600'] }), podConfig('adopt'));
    const again = new ContainerdRuntime(optsA);
    try {
      const created = await again.containerStatus(later);
      assert.equal(created?.state, 'created');
      assert.equal(created?.name, 'later');
      await again.startContainer(later);
      assert.equal((await again.containerStatus(later))?.state, 'running');
      await again.removeContainer(later);
      assert.equal(await again.containerStatus(later), undefined);
      const sbs = await again.listPodSandboxes();
      const mine = sbs.find((s) => s.id === sb.id);
      assert.equal(mine?.state, 'ready');
      assert.equal(mine?.ip, sb.ip);
      assert.deepEqual(mine?.labels, { app: 'adopt' });
      const cs = await again.listContainers({ sandboxId: sb.id });
      assert.equal(cs.length, 1);
      assert.equal(cs[0]!.id, ids[0]);
      assert.equal(cs[0]!.state, 'running');
      assert.equal(cs[0]!.labels.container, 'main');
      assert.equal(cs[0]!.labels['io.kubernetes.pod.uid'], `uid-adopt-${tag}`);
      assert.equal(cs[0]!.labels['io.kubernetes.container.name'], 'main');
      assert.equal(cs[0]!.labels['io.kubernetes.container.attempt'], '0');
      assert.equal(await again.runPodSandbox(podConfig('adopt')).then((s) => s.id), sb.id, 'runPodSandbox is idempotent');
    } finally {
      again.close();
    }
  });

  it('a sandbox whose netns vanished (host reboot) is notready, and runPodSandbox rebuilds it with the same IP', async () => {
    const pod = podConfig('reboot');
    const sb = await rtA.runPodSandbox(pod);
    sandboxes.push({ rt: rtA, id: sb.id });
    assert.equal((await runCommand('ip', ['netns', 'del', netnsName(optsA.namespace!, sb.id)])).code, 0);
    assert.equal((await rtA.podSandboxStatus(sb.id))?.state, 'notready');
    const again = await rtA.runPodSandbox(pod);
    assert.equal(again.state, 'ready');
    assert.equal(again.ip, sb.ip);
    assert.equal((await rtA.podSandboxStatus(sb.id))?.state, 'ready');
  });

  it('two nodes (namespaces) run pods with equal uids and container names without colliding', async () => {
    const pod = podConfig('twin');
    const a = await runPod(rtA, pod, [containerConfig('main', { command: ['sleep', '3600'] })]);
    const b = await runPod(rtB, pod, [containerConfig('main', { command: ['sleep', '3600'] })]);
    assert.equal(a.ids[0], b.ids[0], 'same derived ids');
    assert.notEqual(a.sb.ip, b.sb.ip);
    assert.equal((await rtA.containerStatus(a.ids[0]!))?.state, 'running');
    assert.equal((await rtB.containerStatus(b.ids[0]!))?.state, 'running');
    // each node's pod is reachable from the other's (host-gateway style on one host)
    const code = await rtB.exec(b.ids[0]!, { command: ['ping', '-c', '1', '-W', '2', a.sb.ip!], tty: false });
    assert.equal(code, 0);
    await rtA.removePodSandbox(a.sb.id);
    assert.equal((await rtB.containerStatus(b.ids[0]!))?.state, 'running');
  });

  it('hostNetwork pods share the host network namespace and get no pod IP', async () => {
    const pod = podConfig('hostnet', { hostNetwork: true });
    const { sb, ids } = await runPod(rtA, pod, [containerConfig('main', { command: ['sleep', '3600'] })]);
    assert.equal(sb.ip, undefined);
    const o = collect();
    assert.equal(await rtA.exec(ids[0]!, { command: ['ip', '-o', 'link', 'show', bridgeA], tty: false, stdout: o.s }), 0);
    assert.match(o.text(), new RegExp(bridgeA));
  });

  it('removing sandboxes leaves no netns, veth, task or container behind', async () => {
    const { sb } = await runPod(rtA, podConfig('gone'), [containerConfig('main', { command: ['sleep', '3600'] })]);
    await rtA.stopPodSandbox(sb.id);
    assert.equal((await rtA.podSandboxStatus(sb.id))?.state, 'notready');
    const removed = sandboxes.splice(0);
    for (const s of removed) await s.rt.removePodSandbox(s.id);
    assert.deepEqual(await rtA.listPodSandboxes(), []);
    assert.deepEqual(await rtA.listContainers(), []);
    assert.deepEqual(await ctd.client.listTasks(optsA.namespace!), []);
    const netns = (await runCommand('ip', ['netns', 'list'])).stdout;
    const links = (await runCommand('ip', ['-o', 'link', 'show'])).stdout;
    for (const line of links.split('\n').filter((l) => /master (k8ts-ta|k8ts-tb)/.test(l) && l.includes(tag))) assert.fail(`leftover veth: ${line}`);
    assert.doesNotMatch(links, new RegExp(`master ${bridgeA}`));
    assert.doesNotMatch(links, new RegExp(`master ${bridgeB}`));
    for (const s of removed) {
      const name = netnsName(s.rt.namespace, s.id);
      assert.ok(!netns.includes(name), `leftover netns ${name}`);
      assert.ok(!links.includes(hostVethName(name)), `leftover veth ${hostVethName(name)}`);
    }
    assert.deepEqual(await ctd.client.listTasks(`${ctd.prefix}-b`), []);
    const ipam = await readFile(join(stateA, 'ipam', 'last-reserved'), 'utf8');
    assert.ok(ipam);
  });
});
