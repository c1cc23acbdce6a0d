// Test helper: a throwaway real etcd (Debian's etcd-server) on free loopback ports with its
// data in a temp dir. Integration tests call startTestEtcd() and stop() it in `after`.
// Contract: never touches an etcd it did not start; stop() kills it and removes the data dir.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:net';

export interface TestEtcd {
  endpoint: string;
  dataDir: string;
  stop(): Promise<void>;
  /** SIGKILL without cleanup of data (to test outages); restart() brings it back on the same ports. */
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export async function startTestEtcd(bin = process.env.ETCD_BIN ?? 'etcd'): Promise<TestEtcd> {
  const dataDir = await mkdtemp(join(tmpdir(), 'k8ts-etcd-'));
  const clientPort = await freePort();
  const peerPort = await freePort();
  const endpoint = `http://127.0.0.1:${clientPort}`;
  let child: ChildProcess | undefined;
  const launch = async () => {
    child = spawn(bin, [
      '--name', 'test', '--data-dir', dataDir,
      '--listen-client-urls', endpoint, '--advertise-client-urls', endpoint,
      '--listen-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-advertise-peer-urls', `http://127.0.0.1:${peerPort}`,
      '--initial-cluster', `test=http://127.0.0.1:${peerPort}`,
      '--log-level', 'error', '--logger', 'zap',
    ], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d) => { stderr += String(d); if (stderr.length > 8192) stderr = stderr.slice(-8192); });
    const deadline = Date.now() + 15_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`etcd exited: ${stderr}`);
      try {
        const res = await fetch(`${endpoint}/health`);
        if (res.ok) return;
      } catch { /* not up yet */ }
      if (Date.now() > deadline) throw new Error(`etcd did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  await launch();
  const kill = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => { c.once('exit', () => resolve()); c.kill('SIGKILL'); });
  };
  return {
    endpoint,
    dataDir,
    kill,
    restart: launch,
    async stop() {
      await kill();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
