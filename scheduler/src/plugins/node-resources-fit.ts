// NodeResourcesFit (upstream plugin, LeastAllocated scoring strategy).
// Filter: pods + 1 ≤ allocatable pods ("Too many pods"), and for cpu, memory and every other
// requested resource, requested-on-node + pod request ≤ allocatable ("Insufficient cpu",
// "Insufficient memory", "Insufficient <resource>"); every failing resource is reported.
// Resources the pod does not request are not checked (upstream).
// Score (weight 1): mean over cpu and memory of (allocatable − requested) × 100 / allocatable,
// using non-zero requests (100m / 200Mi per container when unset), integer arithmetic.
import { MAX_NODE_SCORE, type FilterPlugin, type FilterResult, type NodeInfo, type PodInfo, type ScorePlugin } from '../framework/types.js';

export const NodeResourcesFit: FilterPlugin & ScorePlugin = {
  name: 'NodeResourcesFit',
  weight: 1,
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    if (node.invalid) return `node(s) had invalid allocatable: ${node.invalid}`;
    const r = pod.requests;
    const tooMany = node.pods.size + 1 > node.allocPods;
    const cpu = r.milliCPU > 0 && r.milliCPU > node.allocMilliCPU - node.reqMilliCPU;
    const mem = r.memory > 0 && r.memory > node.allocMemory - node.reqMemory;
    if (!tooMany && !cpu && !mem && r.scalar.size === 0) return null;
    const reasons: string[] = [];
    if (tooMany) reasons.push('Too many pods');
    if (cpu) reasons.push('Insufficient cpu');
    if (mem) reasons.push('Insufficient memory');
    for (const [name, v] of r.scalar) {
      if (v > (node.allocScalar.get(name) ?? 0) - (node.reqScalar.get(name) ?? 0)) reasons.push(`Insufficient ${name}`);
    }
    return reasons.length ? reasons : null;
  },
  score(pod: PodInfo, node: NodeInfo): number {
    let sum = 0;
    let weights = 0;
    if (node.allocMilliCPU > 0) {
      sum += leastRequested(node.nonZeroMilliCPU + pod.requests.nonZeroMilliCPU, node.allocMilliCPU);
      weights++;
    }
    if (node.allocMemory > 0) {
      sum += leastRequested(node.nonZeroMemory + pod.requests.nonZeroMemory, node.allocMemory);
      weights++;
    }
    return weights === 0 ? 0 : Math.trunc(sum / weights);
  },
};

function leastRequested(requested: number, capacity: number): number {
  if (requested > capacity) return 0;
  return Math.trunc(((capacity - requested) * MAX_NODE_SCORE) / capacity);
}
