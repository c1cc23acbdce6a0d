// A private containerd for integration tests: temp root/state/socket, its own metrics port,
// started as a child process. Needs root and the `node` package set (containerd, runc).
//
// Contract: startTestContainerd resolves once the gRPC API answers; stop() removes every task,
// container, image, snapshot and namespace the test created (kill -9 all tasks first), stops
// containerd (SIGTERM, then SIGKILL) and deletes the temp directory. Namespaces are unique per
// instance (`k8ts-t<random>-…`) so parallel test files never share runc state.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerdClient } from '../runtime/containerd/grpc-client.js';
import { containerdCommand, containerdLayout, writeContainerdConfig, type ContainerdLayout } from '../runtime/containerd/containerd-config.js';
import { runCommand } from '../sys/run-command.js';

export interface TestContainerd {
  layout: ContainerdLayout;
  socket: string;
  /** Unique prefix for this instance's namespaces, e.g. `k8ts-t3f9a1c`. */
  prefix: string;
  client: ContainerdClient;
  /** Removes everything in one namespace (tasks, containers, images, snapshots, namespace). */
  cleanNamespace(ns: string): Promise<void>;
  stop(): Promise<void>;
}

export function canRunContainerd(): { ok: boolean; why?: string } {
  if (process.getuid?.() !== 0) return { ok: false, why: 'needs root (containerd, netns, iptables)' };
  return { ok: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
    s.on('error', reject);
  });
}

export async function cleanContainerdNamespace(socket: string, client: ContainerdClient, ns: string): Promise<void> {
  const ctr = (...a: string[]) => runCommand('ctr', ['-a', socket, '-n', ns, ...a], { timeoutMs: 30_000 });
  for (const t of await client.listTasks(ns).catch(() => [])) {
    await client.kill(ns, t.id, 9, { all: true }).catch(() => undefined);
  }
  for (const t of await client.listTasks(ns).catch(() => [])) {
    for (let i = 0; i < 50; i++) {
      const cur = await client.getTask(ns, t.id).catch(() => undefined);
      if (!cur || cur.status === 'STOPPED') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await client.deleteTask(ns, t.id).catch(() => undefined);
  }
  for (const c of await client.listContainers(ns).catch(() => [])) {
    await client.deleteContainer(ns, c.id).catch(() => undefined);
    if (c.snapshot_key) await client.removeSnapshot(ns, c.snapshotter || 'overlayfs', c.snapshot_key).catch(() => undefined);
  }
  for (const i of await client.listImages(ns).catch(() => [])) await client.deleteImage(ns, i.name).catch(() => undefined);
  // Leftover snapshots (unpacked image layers) and content block namespace deletion.
  const snaps = await ctr('snapshots', 'ls');
  const keys = snaps.stdout.split('\n').slice(1).map((l) => l.split(/\s+/)[0]).filter(Boolean) as string[];
  for (let round = 0; round < 5 && keys.length; round++) {
    for (const k of [...keys]) if ((await ctr('snapshots', 'rm', k)).code === 0) keys.splice(keys.indexOf(k), 1);
  }
  const content = await ctr('content', 'ls', '-q');
  const digests = content.stdout.split('\n').filter(Boolean);
  if (digests.length) await ctr('content', 'rm', ...digests);
  await client.deleteNamespace(ns).catch(() => undefined);
}

/** `dir`: use this containerd directory (e.g. <state>/containerd, as `k8ts up` lays it out). */
export async function startTestContainerd(opts: { dir?: string } = {}): Promise<TestContainerd> {
  const dir = opts.dir ?? await mkdtemp(join(tmpdir(), 'k8ts-ctd-'));
  const layout = containerdLayout(dir, await freePort());
  await writeContainerdConfig(layout);
  const { command, args } = containerdCommand(layout);
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log = (log + d.toString()).slice(-8000); });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const client = new ContainerdClient(layout.socket, 5_000);
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`containerd exited: ${log}`);
    try {
      await client.version();
      break;
    } catch {
      if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error(`containerd did not start: ${log}`); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const prefix = `k8ts-t${randomBytes(3).toString('hex')}`;
  return {
    layout,
    socket: layout.socket,
    prefix,
    client,
    cleanNamespace: (ns) => cleanContainerdNamespace(layout.socket, client, ns),
    async stop() {
      for (const ns of await client.listNamespaces().catch(() => [] as string[])) {
        await cleanContainerdNamespace(layout.socket, client, ns);
      }
      client.close();
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(t);
      await runCommand('umount', ['-R', join(dir, 'state')]).catch(() => undefined);
      await rm(dir, { recursive: true, force: true }).catch(() => undefined);
    },
  };
}
