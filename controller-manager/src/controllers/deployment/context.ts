// What the sync steps (sync.ts, rolling.ts, recreate.ts, rollback.ts, progress.ts) share: the
// API client, the event recorder, the clock, requeueing, and the few writes they make.
// Writes are compare-and-swap on the resourceVersion the caller read; a conflict throws and the
// worker retries the Deployment with backoff (upstream behaves the same way).
import {
  Resources, type ApiClient, type EventRecorder, type EventType, type Logger,
} from '@k8ts/shared';
import { REVISION_ANNOTATION } from './annotations.js';
import { DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND, type Deployment, type ReplicaSet } from './types.js';

export interface SyncContext {
  client: ApiClient;
  recorder: EventRecorder;
  log: Logger;
  signal: AbortSignal;
  now(): number;
  /** Re-sync the Deployment after `ms`. */
  enqueueAfter(d: Deployment, ms: number): void;
  /** Re-sync the Deployment with per-key backoff. */
  enqueueRateLimited(d: Deployment): void;
}

/**
 * PUT /status with `d` (status and annotations); `d` takes the new resourceVersion so later
 * writes in the same sync succeed. An apiserver whose deployments/status drops annotations
 * (upstream keeps them) would make the revision annotation never stick and the controller
 * rewrite it forever: then the annotation is merge-patched onto the main resource instead
 * (which bumps metadata.generation; `d` follows it).
 */
export async function updateDeploymentStatus(ctx: SyncContext, d: Deployment): Promise<void> {
  const out = await ctx.client.updateStatus<Deployment>(Resources.deployments, d, { signal: ctx.signal });
  d.metadata.resourceVersion = out.metadata.resourceVersion;
  const want = d.metadata.annotations?.[REVISION_ANNOTATION];
  if (want !== undefined && out.metadata.annotations?.[REVISION_ANNOTATION] !== want) {
    ctx.log.warn({ deployment: `${d.metadata.namespace}/${d.metadata.name}` }, 'deployments/status dropped the revision annotation; patching it on the deployment');
    const patched = await ctx.client.patch<Deployment>(Resources.deployments, d.metadata.namespace, d.metadata.name!, {
      metadata: { resourceVersion: out.metadata.resourceVersion, annotations: { [REVISION_ANNOTATION]: want } },
    }, 'merge', undefined, { signal: ctx.signal });
    d.metadata.resourceVersion = patched.metadata.resourceVersion;
    d.metadata.generation = patched.metadata.generation;
  }
}

/** PUT of the whole Deployment (rollback only); `d` takes the stored result's metadata and spec. */
export async function updateDeployment(ctx: SyncContext, d: Deployment): Promise<void> {
  const out = await ctx.client.update<Deployment>(Resources.deployments, d, { signal: ctx.signal });
  d.metadata = out.metadata;
  d.spec = out.spec;
}

export function updateReplicaSet(ctx: SyncContext, rs: ReplicaSet): Promise<ReplicaSet> {
  return ctx.client.update<ReplicaSet>(Resources.replicasets, rs, { signal: ctx.signal });
}

export function recordEvent(ctx: SyncContext, d: Deployment, type: EventType, reason: string, message: string): void {
  ctx.recorder.record({ ...d, apiVersion: d.apiVersion ?? DEPLOYMENT_API_VERSION, kind: d.kind ?? DEPLOYMENT_KIND }, type, reason, message);
}
