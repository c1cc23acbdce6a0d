// Test harness: the real apiserver + etcd (startTestApiServer), a FakeRuntime (test double)
// and a kubelet with short, test-only timings (the production defaults stay in kubelet.ts).
// Every helper polls with generous deadlines; nothing asserts on durations.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, createLogger, Resources, type KubeObject } from '@k8ts/shared';
import { startTestApiServer, type TestApiServer } from '@k8ts/apiserver/testing/test-server';
import { podStatusCells } from '@k8ts/apiserver/kinds/pods/status-column';
import { start, type Kubelet, type KubeletOptions } from '../kubelet.js';
import { FakeRuntime } from '../runtime/fake-runtime.js';
import type { ContainerRuntime } from '../runtime/types.js';

export { FakeRuntime };

import { eventually } from '@k8ts/shared/testing/poll';

export { eventually };

export interface Env {
  server: TestApiServer;
  client: ApiClient;
  stop(): Promise<void>;
}

export async function startEnv(): Promise<Env> {
  const server = await startTestApiServer();
  const client = new ApiClient({ server: server.api.url });
  return { server, client, async stop() { await client.close(); await server.stop(); } };
}

export const TEST_TIMINGS: Partial<KubeletOptions> = {
  nodeStatusUpdateFrequencyMs: 500,
  nodeLeaseRenewIntervalMs: 300,
  plegPeriodMs: 100,
  retryMs: 300,
  resyncMs: 2000,
  podCIDRPollMs: 100,
  crashBackoff: { baseMs: 400, maxMs: 1600, resetAfterMs: 60_000 },
  pullBackoff: { baseMs: 400, maxMs: 1600 },
};

export interface TestKubelet { kubelet: Kubelet; runtime: FakeRuntime; rootDir: string; nodeName: string; stop(): Promise<void> }

/** A kubelet over any runtime (the real containerd one in e2e tests). */
export async function startKubeletWith(env: Env, runtime: ContainerRuntime, opts: Partial<KubeletOptions> = {}): Promise<Omit<TestKubelet, 'runtime'>> {
  return startKubelet(env, { ...opts, runtime: runtime as FakeRuntime, keepRuntime: true });
}

let seq = 0;

export async function startKubelet(env: Env, opts: Partial<KubeletOptions> & { runtime?: FakeRuntime; rootDir?: string; keepRuntime?: boolean } = {}): Promise<TestKubelet> {
  const runtime = opts.runtime ?? new FakeRuntime({ images: ['busybox', 'nginx', 'my-app-image:latest'] });
  const rootDir = opts.rootDir ?? await mkdtemp(join(tmpdir(), 'k8ts-kubelet-'));
  const nodeName = opts.nodeName ?? `node-${process.pid}-${++seq}`;
  const { keepRuntime: _keep, ...rest } = opts;
  const kubelet = await start({
    connection: { server: env.server.api.url },
    logger: createLogger('kubelet-test', process.env.TEST_LOG_LEVEL ?? 'silent'),
    nodeIP: '127.0.0.1',
    healthzPort: 0,
    podCIDR: '10.244.1.0/24',
    ...TEST_TIMINGS,
    ...rest,
    nodeName,
    rootDir,
    runtime,
  });
  return {
    kubelet, runtime, rootDir, nodeName,
    async stop() {
      await kubelet.close();
      if (!opts.runtime) runtime.dispose();
      if (!opts.rootDir) await rm(rootDir, { recursive: true, force: true });
    },
  };
}

let podSeq = 0;

export function podFor(nodeName: string, spec: Record<string, unknown>, name = `pod-${++podSeq}`, namespace = 'default', labels?: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, ...(labels ? { labels } : {}) }, spec: { nodeName, ...spec } };
}

export async function createPod(env: Env, pod: KubeObject): Promise<KubeObject> {
  return env.client.create(Resources.pods, pod);
}

export async function getPod(env: Env, pod: KubeObject): Promise<KubeObject> {
  return env.client.get(Resources.pods, pod.metadata.namespace, pod.metadata.name!);
}

/** `kubectl get pods` STATUS column of the pod as the apiserver's table renders it. */
export function statusColumn(pod: KubeObject): string { return podStatusCells(pod, new Date()).status; }

export async function waitForStatus(env: Env, pod: KubeObject, want: string | ((s: string, p: KubeObject) => boolean), timeoutMs = 30_000): Promise<KubeObject> {
  let last = '';
  try {
    return await eventually(async () => {
      const p = await getPod(env, pod);
      last = `${statusColumn(p)} ${JSON.stringify(p.status)}`;
      const s = statusColumn(p);
      return (typeof want === 'string' ? s === want : want(s, p)) ? p : undefined;
    }, `pod ${pod.metadata.name} status ${typeof want === 'string' ? want : 'predicate'}`, { timeoutMs });
  } catch (e) {
    throw new Error(`${(e as Error).message}; last: ${last}`);
  }
}

export async function eventsFor(env: Env, pod: KubeObject): Promise<KubeObject[]> {
  const list = await env.client.list(Resources.events, { namespace: pod.metadata.namespace ?? 'default' });
  return list.items.filter((e) => e.involvedObject?.name === pod.metadata.name);
}

export async function waitForEvent(env: Env, pod: KubeObject, reason: string, match?: RegExp): Promise<KubeObject> {
  return eventually(async () => (await eventsFor(env, pod)).find((e) => e.reason === reason && (!match || match.test(e.message))),
    `event ${reason} ${match ?? ''} for ${pod.metadata.name}`);
}

export function cond(pod: KubeObject, type: string): string | undefined {
  return ((pod.status?.conditions ?? []) as { type: string; status: string }[]).find((c) => c.type === type)?.status;
}
