// What a replica controller reads off a pod (upstream podutil / controller_utils):
// active, ready (the Ready condition, as written by the kubelet — or by tests playing it),
// available (ready for at least minReadySeconds), when it became ready, its restarts.
// Pure functions over the pod object; malformed status fields read as absent.
import type { KubeObject } from '@k8ts/shared';

interface PodCondition { type?: string; status?: string; lastTransitionTime?: string }

/** Not Succeeded/Failed and not being deleted (upstream IsPodActive). */
export function isPodActive(pod: KubeObject): boolean {
  const phase = pod.status?.phase;
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

function readyCondition(pod: KubeObject): PodCondition | undefined {
  const conds = pod.status?.conditions;
  return Array.isArray(conds) ? (conds as PodCondition[]).find((c) => c?.type === 'Ready') : undefined;
}

export function isPodReady(pod: KubeObject): boolean {
  return readyCondition(pod)?.status === 'True';
}

/** When the Ready condition last turned True (ms since epoch), if ready and known. */
export function podReadyTime(pod: KubeObject): number | undefined {
  const c = readyCondition(pod);
  if (c?.status !== 'True' || !c.lastTransitionTime) return undefined;
  const t = Date.parse(c.lastTransitionTime);
  return Number.isNaN(t) ? undefined : t;
}

/**
 * Ready, and ready for at least minReadySeconds at `now` (upstream IsPodAvailable). A ready
 * pod without a lastTransitionTime counts as available only when minReadySeconds is 0.
 */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const t = podReadyTime(pod);
  return t !== undefined && t + minReadySeconds * 1000 <= now;
}

/** The highest restartCount among the pod's containers (0 without statuses). */
export function maxContainerRestarts(pod: KubeObject): number {
  const statuses = pod.status?.containerStatuses;
  let max = 0;
  if (Array.isArray(statuses)) for (const s of statuses) if (typeof s?.restartCount === 'number' && s.restartCount > max) max = s.restartCount;
  return max;
}
