// NodeUnschedulable (upstream plugin): a cordoned node (spec.unschedulable) fits only pods
// that tolerate node.kubernetes.io/unschedulable:NoSchedule. Reason "node(s) were unschedulable".
import type { FilterPlugin, FilterResult, NodeInfo, PodInfo, Taint } from '../framework/types.js';
import { tolerated } from './taint-toleration.js';

export const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };
export const ERR_REASON_UNSCHEDULABLE = 'node(s) were unschedulable';

export const NodeUnschedulable: FilterPlugin = {
  name: 'NodeUnschedulable',
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    if (!node.unschedulable) return null;
    return tolerated(pod.tolerations, UNSCHEDULABLE_TAINT) ? null : ERR_REASON_UNSCHEDULABLE;
  },
};
