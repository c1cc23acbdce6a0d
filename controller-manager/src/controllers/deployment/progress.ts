// Rollout status (upstream progress.go): the Progressing condition during a rollout —
// NewReplicaSetAvailable once complete, ReplicaSetUpdated (lastUpdateTime refreshed) whenever
// progress is seen, ProgressDeadlineExceeded once no progress was seen for
// progressDeadlineSeconds — plus ReplicaFailure copied from the ReplicaSets.
// A Deployment whose status did not change is re-queued for its deadline check at
// lastUpdateTime + progressDeadlineSeconds + 1 s (backoff if that is already past).
import { getCondition, newCondition, Progressing, Reasons, removeCondition, ReplicaFailure, replicaSetToDeploymentCondition, setCondition } from './conditions.js';
import { updateDeploymentStatus, type SyncContext } from './context.js';
import { calculateStatus } from './status.js';
import type { Deployment, DeploymentCondition, DeploymentStatus, ReplicaSet } from './types.js';
import { deploymentComplete, deploymentProgressing, deploymentTimedOut, hasProgressDeadline, jsonEqual } from './util.js';

export async function syncRolloutStatus(ctx: SyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const now = ctx.now();
  const status = calculateStatus(allRSs, newRS, d, now);
  if (!hasProgressDeadline(d)) removeCondition(status, Progressing);

  const current = getCondition(d.status, Progressing);
  const isComplete = (status.replicas ?? 0) === (status.updatedReplicas ?? 0) && current?.reason === Reasons.NewRSAvailable;
  if (hasProgressDeadline(d) && !isComplete) {
    const subject = newRS ? `ReplicaSet "${newRS.metadata.name}"` : `Deployment "${d.metadata.name}"`;
    if (deploymentComplete(d, status)) {
      setCondition(status, newCondition(Progressing, 'True', Reasons.NewRSAvailable, `${subject} has successfully progressed.`, now));
    } else if (deploymentProgressing(d, status)) {
      const c = newCondition(Progressing, 'True', Reasons.ReplicaSetUpdated, `${subject} is progressing.`, now);
      if (current) {
        if (current.status === 'True') c.lastTransitionTime = current.lastTransitionTime;
        removeCondition(status, Progressing);
      }
      setCondition(status, c);
    } else if (deploymentTimedOut(d, status, now)) {
      setCondition(status, newCondition(Progressing, 'False', Reasons.TimedOut, `${subject} has timed out progressing.`, now));
    }
  }

  const failures = replicaFailures(allRSs, newRS);
  if (failures.length) setCondition(status, failures[0]!);
  else removeCondition(status, ReplicaFailure);

  if (jsonEqual(d.status ?? {}, status)) {
    requeueStuckDeployment(ctx, d, status);
    return;
  }
  d.status = status;
  await updateDeploymentStatus(ctx, d);
}

function replicaFailures(allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined): DeploymentCondition[] {
  const of = (rs: ReplicaSet | undefined): DeploymentCondition[] =>
    (rs?.status?.conditions ?? []).filter((c) => c.type === ReplicaFailure).map(replicaSetToDeploymentCondition);
  const fromNew = of(newRS);
  return fromNew.length ? fromNew : allRSs.flatMap(of);
}

/** Returns the delay it re-queued the Deployment after: -1 none, 0 rate-limited now. */
export function requeueStuckDeployment(ctx: SyncContext, d: Deployment, status: DeploymentStatus): number {
  const current = getCondition(d.status, Progressing);
  if (!hasProgressDeadline(d) || !current) return -1;
  if (deploymentComplete(d, status) || current.reason === Reasons.TimedOut) return -1;
  const last = Date.parse(current.lastUpdateTime ?? '');
  if (Number.isNaN(last)) return -1;
  const after = last + d.spec.progressDeadlineSeconds! * 1000 - ctx.now();
  // upstream re-queues rate-limited when under a second is left; a timer at the deadline plus
  // the second of timestamp precision is as exact and does not spin meanwhile
  if (after < 0) {
    ctx.enqueueRateLimited(d);
    return 0;
  }
  ctx.enqueueAfter(d, after + 1000);
  return after;
}
