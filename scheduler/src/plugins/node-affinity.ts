// NodeAffinity (upstream plugin).
// Filter: spec.nodeSelector (every label equal) AND the required node affinity terms; reason
// "node(s) didn't match Pod's node affinity/selector".
// Score (weight 2): the sum of the weights of the matching preferred terms, normalized so the
// best node gets 100 (upstream DefaultNormalizeScore).
import { MAX_NODE_SCORE, type FilterPlugin, type FilterResult, type NodeInfo, type PodInfo, type ScorePlugin } from '../framework/types.js';

export const ERR_REASON_NODE_AFFINITY = "node(s) didn't match Pod's node affinity/selector";

/** upstream DefaultNormalizeScore(MaxNodeScore, reverse, scores). */
export function defaultNormalizeScore(scores: Float64Array, reverse: boolean): void {
  let max = 0;
  for (const s of scores) if (s > max) max = s;
  if (max === 0) {
    if (reverse) scores.fill(MAX_NODE_SCORE);
    return;
  }
  for (let i = 0; i < scores.length; i++) {
    const s = Math.trunc(MAX_NODE_SCORE * scores[i]! / max);
    scores[i] = reverse ? MAX_NODE_SCORE - s : s;
  }
}

export const NodeAffinity: FilterPlugin & ScorePlugin = {
  name: 'NodeAffinity',
  weight: 2,
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    if (pod.nodeSelector) {
      for (const k in pod.nodeSelector) if (node.labels[k] !== pod.nodeSelector[k]) return ERR_REASON_NODE_AFFINITY;
    }
    if (pod.requiredAffinity && !pod.requiredAffinity(node.labels, node.name)) return ERR_REASON_NODE_AFFINITY;
    return null;
  },
  skip(pod: PodInfo): boolean {
    return pod.preferredAffinity.length === 0;
  },
  score(pod: PodInfo, node: NodeInfo): number {
    let s = 0;
    for (const p of pod.preferredAffinity) if (p.matches(node.labels, node.name)) s += p.weight;
    return s;
  },
  normalize(scores: Float64Array): void {
    defaultNormalizeScore(scores, false);
  },
};
