// TaintToleration (upstream plugin of the same name).
// Filter: the node's NoSchedule / NoExecute taints must all be tolerated; the first one that
// is not gives "node(s) had untolerated taint {key: value}".
// Score (weight 3): fewer untolerated PreferNoSchedule taints is better (reverse-normalized).
import { MAX_NODE_SCORE, type FilterPlugin, type FilterResult, type NodeInfo, type PodInfo, type ScorePlugin, type Taint, type Toleration } from '../framework/types.js';

/** upstream Toleration.ToleratesTaint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  const op = t.operator || 'Equal';
  if (op === 'Exists') return true;
  if (op === 'Equal') return !t.key ? false : (t.value ?? '') === (taint.value ?? '');
  return false;
}

export function tolerated(tolerations: readonly Toleration[], taint: Taint): boolean {
  for (const t of tolerations) if (toleratesTaint(t, taint)) return true;
  return false;
}

export function untoleratedTaintReason(taint: Taint): string {
  return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
}

export const TaintToleration: FilterPlugin & ScorePlugin = {
  name: 'TaintToleration',
  weight: 3,
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    for (const taint of node.taints) {
      if (taint.effect !== 'NoSchedule' && taint.effect !== 'NoExecute') continue;
      if (!tolerated(pod.tolerations, taint)) return untoleratedTaintReason(taint);
    }
    return null;
  },
  score(pod: PodInfo, node: NodeInfo): number {
    if (node.taints.length === 0) return 0;
    let n = 0;
    for (const taint of node.taints) {
      if (taint.effect !== 'PreferNoSchedule') continue;
      // upstream only counts tolerations with an empty or PreferNoSchedule effect here
      if (!pod.tolerations.some((t) => (!t.effect || t.effect === 'PreferNoSchedule') && toleratesTaint(t, taint))) n++;
    }
    return n;
  },
  normalize(scores: Float64Array): void {
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : MAX_NODE_SCORE - Math.trunc(MAX_NODE_SCORE * scores[i]! / max);
  },
};
