// The default plugin set, in upstream's filter order (NodeUnschedulable, TaintToleration,
// NodeAffinity, NodePorts, NodeResourcesFit; k8ts's NodeReady stands in for the lifecycle
// controller's condition taints and runs before TaintToleration) and score weights.
import type { FilterPlugin, ScorePlugin } from '../framework/types.js';
import { BalancedAllocation } from './balanced-allocation.js';
import { NodeAffinity } from './node-affinity.js';
import { NodePorts } from './node-ports.js';
import { NodeReady } from './node-ready.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { OwnerSpread } from './owner-spread.js';
import { TaintToleration } from './taint-toleration.js';

export const DEFAULT_FILTERS: readonly FilterPlugin[] = [NodeUnschedulable, NodeReady, TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit];
export const DEFAULT_SCORES: readonly ScorePlugin[] = [NodeResourcesFit, BalancedAllocation, OwnerSpread, NodeAffinity, TaintToleration];

export { BalancedAllocation, NodeAffinity, NodePorts, NodeReady, NodeResourcesFit, NodeUnschedulable, OwnerSpread, TaintToleration };
