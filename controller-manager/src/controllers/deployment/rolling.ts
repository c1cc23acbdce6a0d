// RollingUpdate (upstream rolling.go). One step per sync:
//   1. create the new ReplicaSet if missing (sized within replicas + maxSurge);
//   2. scale the new ReplicaSet up as far as maxSurge allows (or down to replicas) → status, done;
//   3. otherwise scale old ReplicaSets down as far as maxUnavailable allows: first their
//      unavailable replicas, then available ones while available > replicas - maxUnavailable;
//   4. when complete, delete old ReplicaSets beyond revisionHistoryLimit; always sync status.
// Availability is read from the ReplicaSets' status.availableReplicas (which honours
// minReadySeconds); the next step waits for the ReplicaSet controller to report it.
import type { SyncContext } from './context.js';
import { desiredReplicas, maxUnavailable } from './int-or-percent.js';
import { syncRolloutStatus } from './progress.js';
import { cleanupDeployment, getAllReplicaSetsAndSyncRevision, scaleReplicaSetAndRecordEvent } from './sync.js';
import type { Deployment, ReplicaSet } from './types.js';
import { availableReplicaCount, byCreation, deploymentComplete, filterActive, newRSNewReplicas, replicaCount, specReplicas } from './util.js';

export async function rolloutRolling(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, true);
  const allRSs = [...oldRSs, newRS!];

  if (await reconcileNewReplicaSet(ctx, allRSs, newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (await reconcileOldReplicaSets(ctx, allRSs, filterActive(oldRSs), newRS!, d)) return syncRolloutStatus(ctx, allRSs, newRS, d);
  if (deploymentComplete(d, d.status)) await cleanupDeployment(ctx, oldRSs, d);
  return syncRolloutStatus(ctx, allRSs, newRS, d);
}

async function reconcileNewReplicaSet(ctx: SyncContext, allRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  const desired = desiredReplicas(d);
  if (specReplicas(newRS) === desired) return false;
  if (specReplicas(newRS) > desired) return (await scaleReplicaSetAndRecordEvent(ctx, newRS, desired, d)).scaled;
  return (await scaleReplicaSetAndRecordEvent(ctx, newRS, newRSNewReplicas(d, allRSs, newRS), d)).scaled;
}

async function reconcileOldReplicaSets(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], newRS: ReplicaSet, d: Deployment): Promise<boolean> {
  if (replicaCount(oldRSs) === 0) return false;
  const allPods = replicaCount(allRSs);
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const newRSUnavailable = specReplicas(newRS) - (newRS.status?.availableReplicas ?? 0);
  // never scale down below minAvailable, counting the new ReplicaSet's unavailable pods too
  const maxScaledDown = allPods - minAvailable - newRSUnavailable;
  if (maxScaledDown <= 0) return false;

  const cleaned = await cleanupUnhealthyReplicas(ctx, oldRSs, d, maxScaledDown);
  if (!cleaned) return false;
  const scaledDown = await scaleDownOldReplicaSetsForRollingUpdate(ctx, [...cleaned.oldRSs, newRS], cleaned.oldRSs, d);
  if (scaledDown === undefined) return false;
  return cleaned.count + scaledDown > 0;
}

/** Scales old ReplicaSets down by their unavailable replicas (oldest first), at most maxCleanup in total. */
async function cleanupUnhealthyReplicas(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment, maxCleanup: number): Promise<{ oldRSs: ReplicaSet[]; count: number } | undefined> {
  const rss = [...oldRSs].sort(byCreation);
  let total = 0;
  for (let i = 0; i < rss.length; i++) {
    if (total >= maxCleanup) break;
    const rs = rss[i]!;
    const replicas = specReplicas(rs);
    const available = rs.status?.availableReplicas ?? 0;
    if (replicas === 0 || replicas === available) continue;
    const n = Math.min(maxCleanup - total, replicas - available);
    // status ahead of spec (a scale-down not yet observed): upstream refuses, and so do we
    if (n < 0) return undefined;
    const res = await scaleReplicaSetAndRecordEvent(ctx, rs, replicas - n, d);
    total += n;
    rss[i] = res.rs;
  }
  return { oldRSs: rss, count: total };
}

/** Scales old ReplicaSets down (oldest first) while available replicas exceed replicas - maxUnavailable. */
async function scaleDownOldReplicaSetsForRollingUpdate(ctx: SyncContext, allRSs: ReplicaSet[], oldRSs: ReplicaSet[], d: Deployment): Promise<number | undefined> {
  const minAvailable = desiredReplicas(d) - maxUnavailable(d);
  const available = availableReplicaCount(allRSs);
  if (available <= minAvailable) return 0;
  const toScaleDown = available - minAvailable;
  let total = 0;
  for (const rs of [...oldRSs].sort(byCreation)) {
    if (total >= toScaleDown) break;
    const replicas = specReplicas(rs);
    if (replicas === 0) continue;
    const n = Math.min(replicas, toScaleDown - total);
    await scaleReplicaSetAndRecordEvent(ctx, rs, replicas - n, d);
    total += n;
  }
  return total;
}
