// The annotations the Deployment controller keeps on Deployments and their ReplicaSets
// (upstream deployment util): revision bookkeeping, revision history on reuse, the desired /
// max replicas used for proportional scaling, and copying the Deployment's own annotations
// (kubernetes.io/change-cause ...) to its new ReplicaSet.
// All setters mutate the object they are given and return whether anything changed.
import { desiredReplicas, maxSurge } from './int-or-percent.js';
import type { Deployment, ReplicaSet } from './types.js';

export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
export const REVISION_HISTORY_ANNOTATION = 'deployment.kubernetes.io/revision-history';
export const DESIRED_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/desired-replicas';
export const MAX_REPLICAS_ANNOTATION = 'deployment.kubernetes.io/max-replicas';
export const CHANGE_CAUSE_ANNOTATION = 'kubernetes.io/change-cause';
export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';
/** apps.DeprecatedRollbackTo: how apps/v1 round-trips extensions/v1beta1's spec.rollbackTo. */
export const ROLLBACK_TO_ANNOTATION = 'deprecated.deployment.rollback.to';
/** Upstream caps revision-history at 2000 characters. */
export const MAX_REV_HISTORY_LENGTH = 2000;

const SKIPPED = new Set([
  LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION,
  MAX_REPLICAS_ANNOTATION, ROLLBACK_TO_ANNOTATION,
]);

export const skipCopyAnnotation = (key: string): boolean => SKIPPED.has(key);

const annotationsOf = (obj: { metadata: { annotations?: Record<string, string> } }): Record<string, string> =>
  (obj.metadata.annotations ??= {});

/** The revision number of an object; 0 when absent; NaN when unparsable. */
export function revisionOf(obj: { metadata: { annotations?: Record<string, string> } }): number {
  const v = obj.metadata.annotations?.[REVISION_ANNOTATION];
  if (v === undefined) return 0;
  return /^-?\d+$/.test(v) ? Number(v) : NaN;
}

export function maxRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (Number.isFinite(v) && v > max) max = v;
  }
  return max;
}

/** The second highest revision (what `rollout undo` without a revision goes back to). */
export function lastRevision(rss: readonly ReplicaSet[]): number {
  let max = 0;
  let second = 0;
  for (const rs of rss) {
    const v = revisionOf(rs);
    if (!Number.isFinite(v)) continue;
    if (v >= max) { second = max; max = v; } else if (v > second) second = v;
  }
  return second;
}

export function setDeploymentRevision(d: Deployment, revision: string | undefined): boolean {
  const a = annotationsOf(d);
  if (a[REVISION_ANNOTATION] === revision) return false;
  if (revision === undefined) delete a[REVISION_ANNOTATION];
  else a[REVISION_ANNOTATION] = revision;
  return true;
}

function copyDeploymentAnnotationsToReplicaSet(d: Deployment, rs: ReplicaSet): boolean {
  const target = annotationsOf(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) {
    if (skipCopyAnnotation(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsOf(rs);
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) { a[DESIRED_REPLICAS_ANNOTATION] = String(desired); changed = true; }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) { a[MAX_REPLICAS_ANNOTATION] = String(max); changed = true; }
  return changed;
}

export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata.annotations ?? {};
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

function intAnnotation(rs: ReplicaSet, key: string): number | undefined {
  const v = rs.metadata.annotations?.[key];
  return v !== undefined && /^-?\d+$/.test(v) ? Number(v) : undefined;
}

export const desiredReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, DESIRED_REPLICAS_ANNOTATION);
export const maxReplicasAnnotation = (rs: ReplicaSet): number | undefined => intAnnotation(rs, MAX_REPLICAS_ANNOTATION);

/**
 * Sets the new ReplicaSet's annotations: the Deployment's own (minus the skipped ones), its
 * revision raised to `newRevision` when lower — recording the revision it had before in
 * revision-history when it is an old ReplicaSet being reused — and, for one about to be
 * created (`exists` false), the desired/max replicas.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, maxHistoryChars = MAX_REV_HISTORY_LENGTH): boolean {
  let changed = copyDeploymentAnnotationsToReplicaSet(d, rs);
  const a = annotationsOf(rs);
  const hadRevision = Object.prototype.hasOwnProperty.call(a, REVISION_ANNOTATION);
  const oldRevision = a[REVISION_ANNOTATION] ?? '';
  let oldInt = 0;
  if (oldRevision !== '') {
    if (!/^-?\d+$/.test(oldRevision)) return false;
    oldInt = Number(oldRevision);
  }
  if (!/^-?\d+$/.test(newRevision)) return false;
  const newInt = Number(newRevision);
  if (oldInt < newInt) {
    a[REVISION_ANNOTATION] = newRevision;
    changed = true;
    if (hadRevision) {
      const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
      if (history === '') {
        a[REVISION_HISTORY_ANNOTATION] = oldRevision;
      } else {
        let old = history.split(',');
        let total = history.length + oldRevision.length + 1;
        let start = 0;
        while (total > maxHistoryChars && start < old.length) { total -= old[start]!.length + 1; start++; }
        if (total <= maxHistoryChars) {
          old = [...old.slice(start), oldRevision];
          a[REVISION_HISTORY_ANNOTATION] = old.join(',');
        }
      }
    }
  }
  if (!exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** On rollback: the Deployment takes the target ReplicaSet's annotations (its skipped ones stay). */
export function setDeploymentAnnotationsTo(d: Deployment, rs: ReplicaSet): void {
  const kept: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (skipCopyAnnotation(k)) kept[k] = v;
  for (const [k, v] of Object.entries(rs.metadata.annotations ?? {})) if (!skipCopyAnnotation(k)) kept[k] = v;
  d.metadata.annotations = kept;
}

/** The revision requested through the deprecated rollbackTo annotation, if any (0 = previous). */
export function getRollbackTo(d: Deployment): number | undefined {
  const v = d.metadata.annotations?.[ROLLBACK_TO_ANNOTATION];
  if (!v || !/^-?\d+$/.test(v)) return undefined;
  return Number(v);
}

export function clearRollbackTo(d: Deployment): void {
  if (d.metadata.annotations) delete d.metadata.annotations[ROLLBACK_TO_ANNOTATION];
}
