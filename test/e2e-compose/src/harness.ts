// Helpers of the Compose end-to-end suite: run the real kubectl, curl, docker and Compose from
// the host against the cluster of docker-compose.yml (+ docker-compose.e2e.yml).
//
// Contract: every helper has a bounded duration (a timeout per command, a deadline per wait);
// traffic goes only to 127.0.0.1 (the published apiserver port) and to the addresses of this
// project's own containers on its Compose network. Nothing here starts or stops the cluster:
// the test file does (up in before(), down in after()).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const KUBECONFIG = join(REPO, '.k8ts/compose/kubeconfig');
export const PROJECT = process.env.COMPOSE_PROJECT_NAME ?? 'k8ts';
export const NODES = Number(process.env.K8TS_NODES ?? 2);
export const COMPOSE_FILES = ['docker-compose.yml', 'docker-compose.e2e.yml'];

export interface RunResult { code: number; stdout: string; stderr: string }

export function run(cmd: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<RunResult> {
  return new Promise((resolvePromise) => {
    const child = execFile(cmd, args, {
      cwd: REPO, encoding: 'utf8', timeout: opts.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, ...opts.env },
    }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as NodeJS.ErrnoException & { code?: unknown }).code === 'number' ? (err as unknown as { code: number }).code : 1) : 0;
      resolvePromise({ code, stdout, stderr: stderr || (err && !stdout ? String(err.message) : stderr) });
    });
    if (opts.input !== undefined) child.stdin?.end(opts.input);
  });
}

/** Runs a command that must succeed; returns its stdout. */
export async function must(cmd: string, args: readonly string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.stderr.trim() || r.stdout.trim()}`);
  return r.stdout;
}

export function kubectl(args: readonly string[], opts: { timeoutMs?: number; input?: string } = {}): Promise<string> {
  return must('kubectl', ['--kubeconfig', KUBECONFIG, ...args], opts);
}

export function kubectlTry(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<RunResult> {
  return run('kubectl', ['--kubeconfig', KUBECONFIG, ...args], opts);
}

export async function kubectlJson<T = any>(args: readonly string[]): Promise<T> {
  return JSON.parse(await kubectl([...args, '-o', 'json'])) as T;
}

function composeBinary(): { cmd: string; pre: string[] } {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'docker-compose'))) return { cmd: 'docker-compose', pre: [] };
  }
  return { cmd: 'docker', pre: ['compose'] };
}

export function compose(args: readonly string[], opts: { timeoutMs?: number } = {}): Promise<string> {
  const { cmd, pre } = composeBinary();
  return must(cmd, [...pre, '-p', PROJECT, ...COMPOSE_FILES.flatMap((f) => ['-f', f]), ...args], opts);
}

/** Container IDs of a Compose service (all replicas, running or not), by the labels Compose v1
 *  and v2 set: `compose ps -q` would start Compose v1's Python (seconds on a loaded machine). */
export async function serviceContainers(service: string): Promise<string[]> {
  const out = await must('docker', ['ps', '-aq', '--filter', `label=com.docker.compose.project=${PROJECT}`,
    '--filter', `label=com.docker.compose.service=${service}`]);
  return out.split('\n').map((s) => s.trim()).filter(Boolean);
}

export async function containerIp(id: string): Promise<string> {
  return (await must('docker', ['inspect', '-f', '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}', id])).trim();
}

export async function containerHealth(id: string): Promise<string> {
  return (await must('docker', ['inspect', '-f', '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}', id])).trim();
}

/** The container's hostname (its short ID): what leader election puts before the `_` of a Lease holder. */
export async function containerHostname(id: string): Promise<string> {
  return (await must('docker', ['inspect', '-f', '{{.Config.Hostname}}', id])).trim();
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` until it returns a truthy value; throws with the last value/error at the deadline. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false | null>, timeoutMs = 120_000, intervalMs = 1_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${last instanceof Error ? last.message : JSON.stringify(last)}`);
    await sleep(intervalMs);
  }
}

/** GET over plain HTTP with curl, bounded: status code and body ('' and 0 on failure). */
export async function curl(url: string): Promise<{ status: number; body: string }> {
  const r = await run('curl', ['-s', '--max-time', '3', '-w', '\n%{http_code}', url], { timeoutMs: 10_000 });
  const i = r.stdout.lastIndexOf('\n');
  return { status: Number(r.stdout.slice(i + 1)) || 0, body: r.stdout.slice(0, Math.max(i, 0)) };
}

export interface PodLite { name: string; node?: string; phase?: string; ready: boolean; image?: string; deleting: boolean }

export async function pods(namespace: string, selector: string): Promise<PodLite[]> {
  const list = await kubectlJson<{ items: any[] }>(['-n', namespace, 'get', 'pods', '-l', selector]);
  return list.items.map((p) => ({
    name: p.metadata.name,
    node: p.spec?.nodeName,
    phase: p.status?.phase,
    ready: (p.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'),
    image: p.spec?.containers?.[0]?.image,
    deleting: Boolean(p.metadata.deletionTimestamp),
  }));
}

export async function readyNodeNames(): Promise<string[]> {
  const list = await kubectlJson<{ items: any[] }>(['get', 'nodes']);
  return list.items
    .filter((n) => (n.status?.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True'))
    .map((n) => n.metadata.name as string);
}
