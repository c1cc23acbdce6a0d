// OwnerSpread (upstream's SelectorSpread default spreading, keyed by the controller owner):
// pods with the same controller ownerReference (one ReplicaSet, StatefulSet, …) are spread
// across nodes. Raw score = pods of that owner already on the node (bound or assumed);
// normalized to 100 × (max − count) / max over the feasible nodes (all 100 when max is 0).
// Weight 2, as upstream's PodTopologySpread system-default spreading. Pods without a
// controller owner score the same everywhere. Zones are not considered.
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo, type ScorePlugin } from '../framework/types.js';

export const OwnerSpread: ScorePlugin = {
  name: 'OwnerSpread',
  weight: 2,
  skip(pod: PodInfo): boolean {
    return pod.ownerId < 0;
  },
  score(pod: PodInfo, node: NodeInfo): number {
    if (pod.ownerId < 0 || node.ownerCounts.size === 0) return 0;
    return node.ownerCounts.get(pod.ownerId) ?? 0;
  },
  normalize(scores: Float64Array): void {
    let max = 0;
    for (const s of scores) if (s > max) max = s;
    for (let i = 0; i < scores.length; i++) scores[i] = max === 0 ? MAX_NODE_SCORE : Math.trunc(MAX_NODE_SCORE * (max - scores[i]!) / max);
  },
};
