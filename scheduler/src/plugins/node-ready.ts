// NodeReady (k8ts): a node whose Ready condition is not True is treated as carrying the
// NoSchedule taint the node lifecycle controller puts on it upstream (TaintNodesByCondition):
// Ready=False → node.kubernetes.io/not-ready, Ready=Unknown or missing →
// node.kubernetes.io/unreachable. A pod that tolerates that taint still fits; otherwise the
// reason is upstream's "node(s) had untolerated taint {node.kubernetes.io/not-ready: }".
// When the node already carries a taint with that key, TaintToleration judges it instead.
import type { FilterPlugin, FilterResult, NodeInfo, PodInfo, Taint } from '../framework/types.js';
import { tolerated, untoleratedTaintReason } from './taint-toleration.js';

export const NOT_READY_TAINT: Taint = { key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' };
export const UNREACHABLE_TAINT: Taint = { key: 'node.kubernetes.io/unreachable', effect: 'NoSchedule' };

export const NodeReady: FilterPlugin = {
  name: 'NodeReady',
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    if (node.ready === 'True') return null;
    const taint = node.ready === 'False' ? NOT_READY_TAINT : UNREACHABLE_TAINT;
    if (node.taints.some((t) => t.key === taint.key)) return null;
    return tolerated(pod.tolerations, taint) ? null : untoleratedTaintReason(taint);
  },
};
