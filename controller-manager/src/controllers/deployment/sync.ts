// The shared sync steps (upstream sync.go): finding or creating the new ReplicaSet with its
// revision, proportional scaling, history cleanup, plain status sync, paused conditions.
//
// Contract:
// - `d` is the controller's private deep copy of the Deployment; steps mutate it as upstream
//   does (annotations, status) and write it through /status. `rsList` holds the ReplicaSets the
//   Deployment controls (claimed); getNewReplicaSet replaces an entry it updates.
// - The new ReplicaSet is `<deployment>-<pod-template-hash>`; a name taken by a ReplicaSet that
//   is not this Deployment's with the same template is a hash collision: status.collisionCount
//   is bumped and the sync fails (retried with backoff), producing a new name next time.
// - Events: ScalingReplicaSet "Scaled up replica set X to N" on creation, "Scaled up|down
//   replica set X to N from M" on scaling (upstream's current wording); ReplicaSetCreateError
//   (Warning) when a create fails.
import {
  isAlreadyExists, isStatusError, Resources,
} from '@k8ts/shared';
import { getControllerOf, newControllerRef } from '../common/controller-ref.js';
import {
  desiredReplicasAnnotation, getRollbackTo, maxRevision, REVISION_ANNOTATION, replicasAnnotationsNeedUpdate,
  setDeploymentRevision, setNewReplicaSetAnnotations, setReplicasAnnotations,
} from './annotations.js';
import { getCondition, newCondition, Progressing, Reasons, setCondition } from './conditions.js';
import { recordEvent, updateDeploymentStatus, updateReplicaSet, type SyncContext } from './context.js';
import { desiredReplicas, isRollingUpdate, maxSurge } from './int-or-percent.js';
import { computeHash, equalIgnoreHash } from './pod-template-hash.js';
import { calculateStatus } from './status.js';
import {
  DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND, POD_TEMPLATE_HASH_LABEL, type Deployment, type ReplicaSet,
} from './types.js';
import {
  byRevision, bySizeNewer, bySizeOlder, filterActive, findActiveOrLatest, findNewReplicaSet, findOldReplicaSets,
  getProportion, hasProgressDeadline, hasRevisionHistoryLimit, isSaturated, jsonEqual, newRSNewReplicas, replicaCount, specReplicas,
} from './util.js';

export interface ReplicaSets { newRS: ReplicaSet | undefined; oldRSs: ReplicaSet[] }

export async function getAllReplicaSetsAndSyncRevision(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], createIfNotExisted: boolean): Promise<ReplicaSets> {
  const oldRSs = findOldReplicaSets(d, rsList);
  const newRS = await getNewReplicaSet(ctx, d, rsList, oldRSs, createIfNotExisted);
  return { newRS, oldRSs };
}

function replaceIn(rsList: ReplicaSet[], rs: ReplicaSet): void {
  const i = rsList.findIndex((x) => x.metadata.uid === rs.metadata.uid);
  if (i >= 0) rsList[i] = rs;
}

/**
 * The ReplicaSet whose template is the Deployment's. An existing one gets its annotations and
 * minReadySeconds synced (revision = max old revision + 1 when lower: this is how a rollback
 * reuses an old ReplicaSet), then the Deployment its revision. Otherwise, when asked, creates it.
 */
export async function getNewReplicaSet(
  ctx: SyncContext, d: Deployment, rsList: ReplicaSet[], oldRSs: ReplicaSet[], createIfNotExisted: boolean,
): Promise<ReplicaSet | undefined> {
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  const minReadySeconds = d.spec.minReadySeconds ?? 0;

  if (existing) {
    const copy = structuredClone(existing);
    const annotationsUpdated = setNewReplicaSetAnnotations(d, copy, newRevision, true);
    if (annotationsUpdated || (copy.spec.minReadySeconds ?? 0) !== minReadySeconds) {
      copy.spec.minReadySeconds = minReadySeconds;
      const updated = await updateReplicaSet(ctx, copy);
      replaceIn(rsList, updated);
      return updated;
    }
    let needsUpdate = setDeploymentRevision(d, copy.metadata.annotations?.[REVISION_ANNOTATION]);
    if (hasProgressDeadline(d) && !getCondition(d.status, Progressing)) {
      setCondition(d.status ??= {}, newCondition(Progressing, 'True', Reasons.FoundNewRS, `Found new replica set "${copy.metadata.name}"`, ctx.now()));
      needsUpdate = true;
    }
    if (needsUpdate) await updateDeploymentStatus(ctx, d);
    return copy;
  }
  if (!createIfNotExisted) return undefined;

  const template = structuredClone(d.spec.template ?? {});
  const hash = computeHash(template, d.status?.collisionCount);
  template.metadata = { ...(template.metadata ?? {}), labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash } };
  const selector = structuredClone(d.spec.selector ?? {});
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH_LABEL]: hash };
  const name = `${d.metadata.name}-${hash}`;
  const newRS: ReplicaSet = {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name, namespace: d.metadata.namespace,
      ownerReferences: [newControllerRef(d, DEPLOYMENT_API_VERSION, DEPLOYMENT_KIND)],
      labels: { ...template.metadata.labels! },
    },
    spec: { replicas: 0, minReadySeconds, selector, template },
  };
  const count = newRSNewReplicas(d, [...oldRSs, newRS], newRS);
  newRS.spec.replicas = count;
  setNewReplicaSetAnnotations(d, newRS, newRevision, false);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = await ctx.client.create<ReplicaSet>(Resources.replicasets, newRS, { signal: ctx.signal });
  } catch (e) {
    if (isAlreadyExists(e)) {
      alreadyExists = true;
      // a lagging cache or a fast resync; or a hash collision with someone else's ReplicaSet
      const rs = await ctx.client.get<ReplicaSet>(Resources.replicasets, d.metadata.namespace, name, ctx.signal);
      const ref = getControllerOf(rs);
      if (ref && ref.uid === d.metadata.uid && equalIgnoreHash(d.spec.template, rs.spec.template)) {
        created = rs;
      } else {
        const before = d.status?.collisionCount ?? 0;
        (d.status ??= {}).collisionCount = before + 1;
        try {
          await updateDeploymentStatus(ctx, d);
          ctx.log.info({ deployment: `${d.metadata.namespace}/${d.metadata.name}`, replicaSet: name, oldCollisionCount: before, newCollisionCount: before + 1 },
            'found a hash collision for deployment - bumping collisionCount to resolve it');
        } catch { /* retried with the sync */ }
        throw e;
      }
    } else if (isNamespaceTerminating(e)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set "${name}": ${(e as Error).message}`;
      if (hasProgressDeadline(d)) {
        setCondition(d.status ??= {}, newCondition(Progressing, 'False', Reasons.FailedRSCreate, msg, ctx.now()));
        try { await updateDeploymentStatus(ctx, d); } catch { /* the create error is the one to report */ }
      }
      recordEvent(ctx, d, 'Warning', Reasons.FailedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && count > 0) {
    recordEvent(ctx, d, 'Normal', 'ScalingReplicaSet', `Scaled up replica set ${created.metadata.name} to ${count}`);
  }
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(d.status ??= {}, newCondition(Progressing, 'True', Reasons.NewReplicaSet, `Created new replica set "${created.metadata.name}"`, ctx.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await updateDeploymentStatus(ctx, d);
  return created;
}

function isNamespaceTerminating(e: unknown): boolean {
  return isStatusError(e) && (e.status.details?.causes ?? []).some((c) => c.reason === 'NamespaceTerminating');
}

/**
 * Scaling without rolling out (a replicas change, or a paused Deployment): one active
 * ReplicaSet takes the full count; a saturated new one means old ones go to 0; otherwise the
 * extra (or missing) replicas up to replicas + maxSurge are spread proportionally.
 */
export async function scale(ctx: SyncContext, d: Deployment, newRS: ReplicaSet | undefined, oldRSs: ReplicaSet[]): Promise<void> {
  const desired = desiredReplicas(d);
  const activeOrLatest = findActiveOrLatest(newRS, oldRSs);
  if (activeOrLatest) {
    if (specReplicas(activeOrLatest) === desired) return;
    await scaleReplicaSetAndRecordEvent(ctx, activeOrLatest, desired, d);
    return;
  }
  if (isSaturated(d, newRS)) {
    for (const old of filterActive(oldRSs)) await scaleReplicaSetAndRecordEvent(ctx, old, 0, d);
    return;
  }
  if (!isRollingUpdate(d)) return;

  const allRSs = filterActive([...oldRSs, newRS]);
  const allowedSize = desired > 0 ? desired + maxSurge(d) : 0;
  const toAdd = allowedSize - replicaCount(allRSs);
  let op = '';
  if (toAdd > 0) { allRSs.sort(bySizeNewer); op = 'up'; } else if (toAdd < 0) { allRSs.sort(bySizeOlder); op = 'down'; }

  let added = 0;
  const sizes = new Map<string, number>();
  for (const rs of allRSs) {
    if (toAdd !== 0) {
      const p = getProportion(rs, d, toAdd, added);
      sizes.set(rs.metadata.name!, specReplicas(rs) + p);
      added += p;
    } else {
      sizes.set(rs.metadata.name!, specReplicas(rs));
    }
  }
  for (let i = 0; i < allRSs.length; i++) {
    const rs = allRSs[i]!;
    if (i === 0 && toAdd !== 0) {
      // leftovers go to the largest
      sizes.set(rs.metadata.name!, Math.max(0, sizes.get(rs.metadata.name!)! + toAdd - added));
    }
    await scaleReplicaSet(ctx, rs, sizes.get(rs.metadata.name!)!, d, op);
  }
}

export async function scaleReplicaSetAndRecordEvent(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  if (specReplicas(rs) === newScale) return { scaled: false, rs };
  return scaleReplicaSet(ctx, rs, newScale, d, specReplicas(rs) < newScale ? 'up' : 'down');
}

/** Sets spec.replicas and the desired/max annotations; records ScalingReplicaSet when the size changed. */
export async function scaleReplicaSet(ctx: SyncContext, rs: ReplicaSet, newScale: number, d: Deployment, op: string): Promise<{ scaled: boolean; rs: ReplicaSet }> {
  const sizeNeedsUpdate = specReplicas(rs) !== newScale;
  const desired = desiredReplicas(d);
  const max = desired + maxSurge(d);
  if (!sizeNeedsUpdate && !replicasAnnotationsNeedUpdate(rs, desired, max)) return { scaled: false, rs };
  const oldScale = specReplicas(rs);
  const copy = structuredClone(rs);
  copy.spec.replicas = newScale;
  setReplicasAnnotations(copy, desired, max);
  const updated = await updateReplicaSet(ctx, copy);
  if (sizeNeedsUpdate) {
    recordEvent(ctx, d, 'Normal', 'ScalingReplicaSet', `Scaled ${op} replica set ${updated.metadata.name} to ${newScale} from ${oldScale}`);
  }
  return { scaled: sizeNeedsUpdate, rs: updated };
}

/**
 * Keeps the newest revisionHistoryLimit old ReplicaSets; deletes older ones that are fully
 * scaled down (spec and status 0, status observed, not already being deleted), oldest first.
 */
export async function cleanupDeployment(ctx: SyncContext, oldRSs: ReplicaSet[], d: Deployment): Promise<void> {
  if (!hasRevisionHistoryLimit(d)) return;
  const cleanable = oldRSs.filter((rs) => rs && !rs.metadata.deletionTimestamp);
  const diff = cleanable.length - d.spec.revisionHistoryLimit!;
  if (diff <= 0) return;
  cleanable.sort(byRevision);
  for (let i = 0; i < diff; i++) {
    const rs = cleanable[i]!;
    if ((rs.status?.replicas ?? 0) !== 0 || specReplicas(rs) !== 0
      || (rs.metadata.generation ?? 0) > (rs.status?.observedGeneration ?? 0) || rs.metadata.deletionTimestamp) continue;
    try {
      await ctx.client.delete(Resources.replicasets, rs.metadata.namespace, rs.metadata.name!, undefined, ctx.signal);
      ctx.log.debug({ replicaSet: `${rs.metadata.namespace}/${rs.metadata.name}` }, 'cleaned up old replica set');
    } catch (e) {
      if (!(isStatusError(e) && e.status.code === 404)) throw e;
    }
  }
}

/** Writes calculateStatus when it differs from the stored status. */
export async function syncDeploymentStatus(ctx: SyncContext, allRSs: (ReplicaSet | undefined)[], newRS: ReplicaSet | undefined, d: Deployment): Promise<void> {
  const status = calculateStatus(allRSs, newRS, d, ctx.now());
  if (jsonEqual(d.status ?? {}, status)) return;
  d.status = status;
  await updateDeploymentStatus(ctx, d);
}

/** A replicas change: some active ReplicaSet's desired-replicas annotation differs from spec.replicas. */
export async function isScalingEvent(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<boolean> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  for (const rs of filterActive([...oldRSs, newRS])) {
    const desired = desiredReplicasAnnotation(rs);
    if (desired !== undefined && desired !== desiredReplicas(d)) return true;
  }
  return false;
}

/** Scaling events and paused Deployments: scale, clean up (paused, no rollback pending), status. */
export async function sync(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await scale(ctx, d, newRS, oldRSs);
  if (d.spec.paused && getRollbackTo(d) === undefined) await cleanupDeployment(ctx, oldRSs, d);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/** Deployments being deleted: status only. */
export async function syncStatusOnly(ctx: SyncContext, d: Deployment, rsList: ReplicaSet[]): Promise<void> {
  const { newRS, oldRSs } = await getAllReplicaSetsAndSyncRevision(ctx, d, rsList, false);
  await syncDeploymentStatus(ctx, [...oldRSs, newRS], newRS, d);
}

/**
 * Progressing=Unknown DeploymentPaused while paused, DeploymentResumed once resumed (so time
 * spent paused never counts against progressDeadlineSeconds); a timed-out condition stays.
 */
export async function checkPausedConditions(ctx: SyncContext, d: Deployment): Promise<void> {
  if (!hasProgressDeadline(d)) return;
  const cond = getCondition(d.status, Progressing);
  if (cond?.reason === Reasons.TimedOut) return;
  const pausedCondExists = cond?.reason === Reasons.Paused;
  if (d.spec.paused && !pausedCondExists) {
    setCondition(d.status ??= {}, newCondition(Progressing, 'Unknown', Reasons.Paused, 'Deployment is paused', ctx.now()));
  } else if (!d.spec.paused && pausedCondExists) {
    setCondition(d.status ??= {}, newCondition(Progressing, 'Unknown', Reasons.Resumed, 'Deployment is resumed', ctx.now()));
  } else {
    return;
  }
  await updateDeploymentStatus(ctx, d);
}
