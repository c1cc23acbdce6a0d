// NodeResourcesBalancedAllocation (upstream plugin, weight 1): favours nodes whose cpu and
// memory would be used in equal fractions after placing the pod:
// score = (1 − stddev(fractions)) × 100, fractions capped at 1, with requested = the node's
// requests + the pod's (real requests, not the non-zero defaults), as upstream.
import { MAX_NODE_SCORE, type NodeInfo, type PodInfo, type ScorePlugin } from '../framework/types.js';

export const BalancedAllocation: ScorePlugin = {
  name: 'NodeResourcesBalancedAllocation',
  weight: 1,
  score(pod: PodInfo, node: NodeInfo): number {
    if (node.allocMilliCPU <= 0 || node.allocMemory <= 0) return 0;
    const cpu = Math.min(1, (node.reqMilliCPU + pod.requests.milliCPU) / node.allocMilliCPU);
    const mem = Math.min(1, (node.reqMemory + pod.requests.memory) / node.allocMemory);
    const std = Math.abs(cpu - mem) / 2;
    return Math.trunc((1 - std) * MAX_NODE_SCORE);
  },
};
