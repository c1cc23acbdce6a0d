// Which pods a replica controller deletes first when it has too many (upstream
// ActivePodsWithRanks.Less + getPodsToDelete). The order, first deleted first:
//   1. unassigned (no spec.nodeName) < assigned
//   2. Pending < Unknown < Running (other phases rank with Pending)
//   3. not ready < ready
//   4. lower controller.kubernetes.io/pod-deletion-cost < higher (annotation, int32; bad or
//      missing = 0)
//   5. higher rank < lower rank (rank = related pods on the same node: doubled-up pods first)
//   6. both ready: ready more recently < ready longer, compared on a log2 scale of the time
//      since ready (upstream LogarithmicScaleDown, on by default), pods in the same bucket
//      ordered by uid; a missing ready time sorts first
//   7. more container restarts < fewer
//   8. newer creationTimestamp < older, on the same log2 scale (a missing one sorts first)
// Pure; `now` is injected.
import type { KubeObject } from '@k8ts/shared';
import { isPodReady, maxContainerRestarts, podReadyTime } from './pod-conditions.js';

export const POD_DELETION_COST_ANNOTATION = 'controller.kubernetes.io/pod-deletion-cost';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };

function deletionCost(pod: KubeObject): number {
  const v = pod.metadata.annotations?.[POD_DELETION_COST_ANNOTATION];
  if (v === undefined || !/^-?\d+$/.test(v)) return 0;
  const n = Number(v);
  return n >= -2147483648 && n <= 2147483647 ? n : 0;
}

function parseTime(s: string | undefined): number | undefined {
  if (!s) return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** floor(log2(now - t in ns)), -1 when t is not in the past (upstream logarithmicRankDiff). */
function logBucket(t: number, now: number): number {
  const d = (now - t) * 1e6;
  return d > 0 ? Math.floor(Math.log2(d)) : -1;
}

/** Negative when a (with time ta) should be deleted before b: undefined first, then newer first. */
function compareTimes(ta: number | undefined, tb: number | undefined, now: number, uidA: string, uidB: string): number {
  if (ta === tb) return 0;
  if (ta === undefined) return -1;
  if (tb === undefined) return 1;
  const diff = logBucket(ta, now) - logBucket(tb, now);
  if (diff === 0) return uidA < uidB ? -1 : uidA > uidB ? 1 : 0;
  return diff;
}

export interface RankedPod { pod: KubeObject; rank: number }

/** Sort comparator: negative when a is the better candidate for deletion. */
export function comparePodsForDeletion(a: RankedPod, b: RankedPod, now: number): number {
  const pa = a.pod;
  const pb = b.pod;
  const na = pa.spec?.nodeName ? 1 : 0;
  const nb = pb.spec?.nodeName ? 1 : 0;
  if (na !== nb) return na - nb;
  const pha = PHASE_ORDER[pa.status?.phase as string] ?? 0;
  const phb = PHASE_ORDER[pb.status?.phase as string] ?? 0;
  if (pha !== phb) return pha - phb;
  const ra = isPodReady(pa) ? 1 : 0;
  const rb = isPodReady(pb) ? 1 : 0;
  if (ra !== rb) return ra - rb;
  const ca = deletionCost(pa);
  const cb = deletionCost(pb);
  if (ca !== cb) return ca - cb;
  if (a.rank !== b.rank) return b.rank - a.rank;
  const uidA = pa.metadata.uid ?? '';
  const uidB = pb.metadata.uid ?? '';
  if (ra && rb) {
    const c = compareTimes(podReadyTime(pa), podReadyTime(pb), now, uidA, uidB);
    if (c !== 0) return c;
  }
  const xa = maxContainerRestarts(pa);
  const xb = maxContainerRestarts(pb);
  if (xa !== xb) return xb - xa;
  return compareTimes(parseTime(pa.metadata.creationTimestamp), parseTime(pb.metadata.creationTimestamp), now, uidA, uidB);
}

/**
 * Picks `diff` pods of `pods` to delete. `related` are the pods that count for the
 * doubled-up rank (the owner's pods and its siblings'): a pod's rank is the number of related
 * pods on its node.
 */
export function podsToDelete(pods: KubeObject[], related: KubeObject[], diff: number, now: number): KubeObject[] {
  if (diff >= pods.length) return [...pods];
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = p.spec?.nodeName;
    if (node) perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const ranked: RankedPod[] = pods.map((pod) => ({ pod, rank: pod.spec?.nodeName ? perNode.get(pod.spec.nodeName) ?? 0 : 0 }));
  ranked.sort((a, b) => comparePodsForDeletion(a, b, now));
  return ranked.slice(0, diff).map((r) => r.pod);
}
