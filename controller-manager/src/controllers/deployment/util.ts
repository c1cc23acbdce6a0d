// Pure ReplicaSet arithmetic of the Deployment controller (upstream deployment util and
// controller_utils): which ReplicaSet is new, counts, orderings, proportions for scaling
// mid-rollout, and the complete / progressing / timed-out predicates.
// Nothing here talks to the API; nothing mutates its arguments.
import { desiredReplicas, maxSurge } from './int-or-percent.js';
import { maxReplicasAnnotation, desiredReplicasAnnotation, revisionOf } from './annotations.js';
import { getCondition, Progressing, Reasons } from './conditions.js';
import { equalIgnoreHash } from './pod-template-hash.js';
import type { Deployment, DeploymentStatus, ReplicaSet } from './types.js';

export const MAX_INT32 = 2147483647;

export const specReplicas = (rs: ReplicaSet): number => rs.spec.replicas ?? 1;

export const hasProgressDeadline = (d: Deployment): boolean =>
  typeof d.spec.progressDeadlineSeconds === 'number' && d.spec.progressDeadlineSeconds !== MAX_INT32;

export const hasRevisionHistoryLimit = (d: Deployment): boolean =>
  typeof d.spec.revisionHistoryLimit === 'number' && d.spec.revisionHistoryLimit !== MAX_INT32;

/** controller.ReplicaSetsByCreationTimestamp: oldest first, then by name. */
export function byCreation(a: ReplicaSet, b: ReplicaSet): number {
  const ta = a.metadata.creationTimestamp ?? '';
  const tb = b.metadata.creationTimestamp ?? '';
  if (ta !== tb) return ta < tb ? -1 : 1;
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}

/** Larger first; equal sizes: newer first (scaling up). */
export const bySizeNewer = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(a) !== specReplicas(b) ? specReplicas(b) - specReplicas(a) : byCreation(b, a);

/** Larger first; equal sizes: older first (scaling down). */
export const bySizeOlder = (a: ReplicaSet, b: ReplicaSet): number =>
  specReplicas(a) !== specReplicas(b) ? specReplicas(b) - specReplicas(a) : byCreation(a, b);

/** By revision, then creation. */
export function byRevision(a: ReplicaSet, b: ReplicaSet): number {
  const ra = revisionOf(a);
  const rb = revisionOf(b);
  if (ra === rb || (Number.isNaN(ra) && Number.isNaN(rb))) return byCreation(a, b);
  return (Number.isNaN(ra) ? 0 : ra) - (Number.isNaN(rb) ? 0 : rb);
}

export const filterActive = (rss: readonly (ReplicaSet | undefined)[]): ReplicaSet[] =>
  rss.filter((rs): rs is ReplicaSet => !!rs && specReplicas(rs) > 0);

const sum = (rss: readonly (ReplicaSet | undefined)[], f: (rs: ReplicaSet) => number): number =>
  rss.reduce((n, rs) => n + (rs ? f(rs) : 0), 0);

export const replicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, specReplicas);
export const actualReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.replicas ?? 0);
export const readyReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.readyReplicas ?? 0);
export const availableReplicaCount = (rss: readonly (ReplicaSet | undefined)[]): number => sum(rss, (rs) => rs.status?.availableReplicas ?? 0);

/** The oldest ReplicaSet whose template equals the Deployment's (ignoring the hash label). */
export function findNewReplicaSet(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet | undefined {
  return [...rsList].sort(byCreation).find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
}

/** All ReplicaSets but the new one. */
export function findOldReplicaSets(d: Deployment, rsList: readonly ReplicaSet[]): ReplicaSet[] {
  const n = findNewReplicaSet(d, rsList);
  return rsList.filter((rs) => !n || rs.metadata.uid !== n.metadata.uid);
}

/** The only active ReplicaSet, or the newest one when none is active; undefined when several are. */
export function findActiveOrLatest(newRS: ReplicaSet | undefined, oldRSs: readonly ReplicaSet[]): ReplicaSet | undefined {
  if (!newRS && oldRSs.length === 0) return undefined;
  const newestFirst = [...oldRSs].sort((a, b) => byCreation(b, a));
  const active = filterActive([...newestFirst, newRS]);
  if (active.length === 0) return newRS ?? newestFirst[0];
  if (active.length === 1) return active[0];
  return undefined;
}

/** Go's integer.RoundToInt32: halves away from zero. */
export const roundHalfAway = (a: number): number => (a < 0 ? Math.trunc(a - 0.5) : Math.trunc(a + 0.5));

function replicaSetFraction(rs: ReplicaSet, d: Deployment): number {
  if (desiredReplicas(d) === 0) return -specReplicas(rs);
  const deploymentReplicas = desiredReplicas(d) + maxSurge(d);
  const annotated = maxReplicasAnnotation(rs) ?? d.status?.replicas ?? 0;
  // never proportionally scaled from zero: spec.replicas and the annotation are > 0 here
  const newSize = (specReplicas(rs) * deploymentReplicas) / annotated;
  return roundHalfAway(newSize) - specReplicas(rs);
}

/** How many replicas `rs` gets of `toAdd` (negative: removes), `added` being handed out already. */
export function getProportion(rs: ReplicaSet | undefined, d: Deployment, toAdd: number, added: number): number {
  if (!rs || specReplicas(rs) === 0 || toAdd === 0 || toAdd === added) return 0;
  const fraction = replicaSetFraction(rs, d);
  const allowed = toAdd - added;
  return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
}

/** The size the new ReplicaSet may have now (rolling: bounded by maxSurge; recreate: all). */
export function newRSNewReplicas(d: Deployment, allRSs: readonly (ReplicaSet | undefined)[], newRS: ReplicaSet): number {
  switch (d.spec.strategy?.type) {
    case 'RollingUpdate': {
      const maxTotal = desiredReplicas(d) + maxSurge(d);
      const current = replicaCount(allRSs);
      if (current >= maxTotal) return specReplicas(newRS);
      const up = Math.min(maxTotal - current, desiredReplicas(d) - specReplicas(newRS));
      return specReplicas(newRS) + up;
    }
    case 'Recreate':
      return desiredReplicas(d);
    default:
      throw new Error(`deployment type ${JSON.stringify(d.spec.strategy?.type)} isn't supported`);
  }
}

/** The new ReplicaSet owns all desired replicas, believes so (annotation), and all are available. */
export function isSaturated(d: Deployment, rs: ReplicaSet | undefined): boolean {
  if (!rs) return false;
  const desired = desiredReplicasAnnotation(rs);
  if (desired === undefined) return false;
  return specReplicas(rs) === desiredReplicas(d) && desired === desiredReplicas(d) && (rs.status?.availableReplicas ?? 0) === desiredReplicas(d);
}

/** All desired replicas updated and available, no old ones left, generation observed. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus | undefined): boolean {
  const want = desiredReplicas(d);
  return (s?.updatedReplicas ?? 0) === want && (s?.replicas ?? 0) === want && (s?.availableReplicas ?? 0) === want
    && (s?.observedGeneration ?? 0) >= (d.metadata.generation ?? 0);
}

/** New pods scaled up / became ready or available, or old pods went away, since `d.status`. */
export function deploymentProgressing(d: Deployment, next: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = (old.replicas ?? 0) - (old.updatedReplicas ?? 0);
  const newOld = (next.replicas ?? 0) - (next.updatedReplicas ?? 0);
  return (next.updatedReplicas ?? 0) > (old.updatedReplicas ?? 0) || newOld < oldOld
    || (next.readyReplicas ?? 0) > (old.readyReplicas ?? 0) || (next.availableReplicas ?? 0) > (old.availableReplicas ?? 0);
}

/** The Progressing condition is older than progressDeadlineSeconds (or already timed out). */
export function deploymentTimedOut(d: Deployment, next: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(next, Progressing);
  if (!c) return false;
  if (c.reason === Reasons.NewRSAvailable) return false;
  if (c.reason === Reasons.TimedOut) return true;
  const from = Date.parse(c.lastUpdateTime ?? '');
  if (Number.isNaN(from)) return false;
  return from + d.spec.progressDeadlineSeconds! * 1000 < nowMs;
}

/** Structural equality of JSON values (key order ignored; undefined members ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => jsonEqual(v, bb[i]));
  }
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
