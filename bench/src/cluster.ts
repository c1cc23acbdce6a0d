// A throwaway cluster for the benchmarks, started as users run it: a real etcd (Debian's
// etcd-server, via the shared test helper) and the real apiserver as a separate process
// (`node apiserver/dist/main.js` with the same flags `npm run up` passes), serving HTTPS with
// a serving certificate from the cli's PKI code and a bearer token from a token-auth file in
// the cli's format. Everything lives in one temp dir; stop() kills both processes and removes
// it, and is safe to call more than once.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startTestEtcd, freePort, type TestEtcd } from '@k8ts/shared/testing/etcd';
import { ensurePki, pkiPaths } from '@k8ts/cli/pki';
import { newToken, renderTokenFile } from '@k8ts/cli/tokens';
import { findPid, now } from './stats.js';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface BenchCluster {
  /** https://127.0.0.1:PORT */
  url: string;
  token: string;
  caPem: string;
  etcdEndpoint: string;
  apiserverPid: number;
  /** now() when the apiserver process was spawned */
  spawnedAt: number;
  etcdPid?: number;
  tmp: string;
  apiserverLog: string;
  /** extra apiserver flags/env used */
  apiserverCommand: string;
  /** true while the apiserver process is alive */
  apiserverAlive(): boolean;
  stop(): Promise<void>;
}

export async function startCluster(opts: { nodeArgs?: string[]; logLevel?: string } = {}): Promise<BenchCluster> {
  const tmp = await mkdtemp(join(tmpdir(), 'k8ts-bench-'));
  let etcd: TestEtcd | undefined;
  let child: ChildProcess | undefined;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      await new Promise<void>((res) => {
        const t = setTimeout(() => { c.kill('SIGKILL'); }, 5_000);
        c.once('exit', () => { clearTimeout(t); res(); });
        c.kill('SIGTERM');
      });
    }
    await etcd?.stop().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
  };
  try {
    etcd = await startTestEtcd();
    const etcdPid = findPid(['etcd', etcd.dataDir]);
    const pkiDir = join(tmp, 'pki');
    await ensurePki(pkiDir);
    const pki = pkiPaths(pkiDir);
    const token = newToken();
    const tokenFile = join(tmp, 'tokens.csv');
    await writeFile(tokenFile, renderTokenFile([{ token, user: 'bench-admin', uid: randomUUID(), groups: ['system:masters'] }]), { mode: 0o600 });
    const port = await freePort();
    // BENCH_APISERVER_MAIN: another build of the apiserver (A/B experiments); default the repo's
    const main = process.env.BENCH_APISERVER_MAIN ?? join(repoRoot, 'apiserver', 'dist', 'main.js');
    const args = [
      ...(opts.nodeArgs ?? []),
      main,
      `--etcd-servers=${etcd.endpoint}`,
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--tls-cert-file=${pki.apiserverCert}`,
      `--tls-private-key-file=${pki.apiserverKey}`,
      `--client-ca-file=${pki.caCert}`,
      `--token-auth-file=${tokenFile}`,
      '--advertise-address=127.0.0.1',
    ];
    const apiserverLog = join(tmp, 'apiserver.log');
    const logFh = await open(apiserverLog, 'w');
    const spawnedAt = now();
    child = spawn(process.execPath, args, {
      stdio: ['ignore', logFh.fd, logFh.fd],
      env: { ...process.env, LOG_LEVEL: opts.logLevel ?? 'warn' },
      cwd: tmp,
    });
    await logFh.close();
    const c = child;
    const url = `https://127.0.0.1:${port}`;
    const caPem = await readFile(pki.caCert, 'utf8');
    const alive = () => c.exitCode === null && c.signalCode === null;
    // wait for /readyz (etcd reachable and bootstrap objects created)
    const agent = new Agent({ connect: { ca: caPem } });
    const deadline = Date.now() + 30_000;
    try {
      for (;;) {
        if (!alive()) throw new Error(`apiserver exited (${c.exitCode ?? c.signalCode}):\n${await tail(apiserverLog)}`);
        try {
          const r = await request(`${url}/readyz`, { dispatcher: agent });
          await r.body.dump();
          if (r.statusCode === 200) break;
        } catch { /* not listening yet */ }
        if (Date.now() > deadline) throw new Error(`apiserver not ready after 30 s:\n${await tail(apiserverLog)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    } finally {
      await agent.close();
    }
    return {
      url, token, caPem, etcdEndpoint: etcd.endpoint, apiserverPid: c.pid!, spawnedAt, etcdPid, tmp, apiserverLog,
      apiserverCommand: `node ${args.map((a) => a.replace(tmp, '$TMP').replace(repoRoot + '/', '')).join(' ')}`,
      apiserverAlive: alive,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

export async function tail(file: string, lines = 30): Promise<string> {
  try {
    return (await readFile(file, 'utf8')).split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}
