// The status a replica owner reports (upstream calculateStatus / updateReplicaSetStatus):
// replicas (active pods it controls), fullyLabeledReplicas (those carrying every template
// label), readyReplicas, availableReplicas (ready for minReadySeconds), observedGeneration,
// and the ReplicaFailure condition while creating or deleting pods fails.
// Zero counts other than `replicas` are omitted, as upstream's omitempty fields.
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '@k8ts/shared';
import { isPodAvailable, isPodReady } from './pod-conditions.js';

export interface ReplicaCondition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: ReplicaCondition[];
}

export const REPLICA_FAILURE = 'ReplicaFailure';

export function calculateStatus(
  owner: KubeObject, pods: KubeObject[], manageError: Error | undefined, now: number,
): ReplicaStatus {
  const templateLabels: Record<string, string> = owner.spec?.template?.metadata?.labels ?? {};
  const minReady = Number(owner.spec?.minReadySeconds ?? 0) || 0;
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const labels = p.metadata.labels ?? {};
    if (Object.entries(templateLabels).every(([k, v]) => labels[k] === v)) fully++;
    if (isPodReady(p)) {
      ready++;
      if (isPodAvailable(p, minReady, now)) available++;
    }
  }
  const status: ReplicaStatus = { replicas: pods.length };
  if (fully) status.fullyLabeledReplicas = fully;
  if (ready) status.readyReplicas = ready;
  if (available) status.availableReplicas = available;
  if (owner.metadata.generation) status.observedGeneration = owner.metadata.generation;

  const old: ReplicaCondition[] = Array.isArray(owner.status?.conditions) ? owner.status.conditions : [];
  const existing = old.find((c) => c.type === REPLICA_FAILURE);
  let conditions = old;
  if (manageError && !existing) {
    const diff = pods.length - (Number(owner.spec?.replicas ?? 1) || 0);
    conditions = [...old, {
      type: REPLICA_FAILURE, status: 'True', lastTransitionTime: new Date(now).toISOString().replace(/\.\d+Z$/, 'Z'),
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete', message: manageError.message,
    }];
  } else if (!manageError && existing) {
    conditions = old.filter((c) => c.type !== REPLICA_FAILURE);
  }
  if (conditions.length) status.conditions = conditions;
  return status;
}

/** True when writing `next` would change nothing upstream compares. */
export function statusUnchanged(owner: KubeObject, next: ReplicaStatus): boolean {
  const cur = owner.status ?? {};
  const n = (v: unknown): number => (typeof v === 'number' ? v : 0);
  return n(cur.replicas) === next.replicas
    && n(cur.fullyLabeledReplicas) === n(next.fullyLabeledReplicas)
    && n(cur.readyReplicas) === n(next.readyReplicas)
    && n(cur.availableReplicas) === n(next.availableReplicas)
    && n(cur.observedGeneration) === n(next.observedGeneration)
    && isDeepStrictEqual(cur.conditions ?? [], next.conditions ?? []);
}
