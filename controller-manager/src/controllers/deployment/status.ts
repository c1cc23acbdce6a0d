// The Deployment status computed from its ReplicaSets (upstream calculateStatus): counts from
// the ReplicaSets' statuses, the stored conditions carried over, and the Available condition
// (True when availableReplicas >= replicas - maxUnavailable). Zero counts are omitted, as Go's
// omitempty serializes them, so the result compares equal to what the API returns.
import { getCondition, newCondition, Available, Reasons, setCondition } from './conditions.js';
import { desiredReplicas, maxUnavailable } from './int-or-percent.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.js';
import { actualReplicaCount, availableReplicaCount, readyReplicaCount, replicaCount } from './util.js';

export function calculateStatus(allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment, nowMs: number): DeploymentStatus {
  const available = availableReplicaCount(allRSs);
  const unavailable = Math.max(0, replicaCount(allRSs) - available);
  const status: DeploymentStatus = {};
  const put = (k: keyof DeploymentStatus, v: number | undefined): void => { if (v) status[k] = v; };
  put('observedGeneration', d.metadata.generation);
  put('replicas', actualReplicaCount(allRSs));
  put('updatedReplicas', actualReplicaCount([newRS]));
  put('readyReplicas', readyReplicaCount(allRSs));
  put('availableReplicas', available);
  put('unavailableReplicas', unavailable);
  if (d.status?.collisionCount !== undefined) status.collisionCount = d.status.collisionCount;
  if (d.status?.conditions?.length) status.conditions = d.status.conditions.map((c) => ({ ...c }));

  if (available >= desiredReplicas(d) - maxUnavailable(d)) {
    setCondition(status, newCondition(Available, 'True', Reasons.MinimumReplicasAvailable, 'Deployment has minimum availability.', nowMs));
  } else {
    setCondition(status, newCondition(Available, 'False', Reasons.MinimumReplicasUnavailable, 'Deployment does not have minimum availability.', nowMs));
  }
  return status;
}

export { getCondition };
