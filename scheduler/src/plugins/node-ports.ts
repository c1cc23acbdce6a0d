// NodePorts (upstream plugin): a pod's hostPorts must not collide with those of pods on the
// node (same protocol and port, and either side on 0.0.0.0 or both on the same IP).
// Reason "node(s) didn't have free ports for the requested pod ports".
import type { FilterPlugin, FilterResult, NodeInfo, PodInfo } from '../framework/types.js';

export const ERR_REASON_NODE_PORTS = "node(s) didn't have free ports for the requested pod ports";

export const NodePorts: FilterPlugin = {
  name: 'NodePorts',
  filter(pod: PodInfo, node: NodeInfo): FilterResult {
    for (const hp of pod.hostPorts) if (node.portConflicts(hp)) return ERR_REASON_NODE_PORTS;
    return null;
  },
};
