// The scheduling framework's extension points (upstream's Filter and Score plugins, reduced
// to what k8ts runs) and the pre-computed views of a pod and a node that plugins read.
//
// Contract: plugins are pure functions of (PodInfo, NodeInfo); they never mutate either and
// never do I/O. A filter returns null when the node fits, else the upstream "why not"
// reason(s). A score plugin returns a raw score per node; `normalize` rewrites the scores of
// all feasible nodes in place to [0, 100] (MaxNodeScore) before `weight` is applied.
import type { KubeObject } from '@k8ts/shared';
import type { NodeInfo } from '../cache/node-info.js';
import type { PodInfo } from './pod-info.js';

export type { NodeInfo, PodInfo };

export const MAX_NODE_SCORE = 100;

/** null: the node passes; otherwise one or more reasons, counted separately in FitError. */
export type FilterResult = null | string | string[];

export interface FilterPlugin {
  readonly name: string;
  filter(pod: PodInfo, node: NodeInfo): FilterResult;
}

export interface ScorePlugin {
  readonly name: string;
  readonly weight: number;
  /** upstream PreScore returning Skip: true when this plugin would score every node the same for `pod`. */
  skip?(pod: PodInfo): boolean;
  score(pod: PodInfo, node: NodeInfo): number;
  /** Rewrites `scores` (one per feasible node, same order as `nodes`) to [0, 100]. */
  normalize?(scores: Float64Array, pod: PodInfo, nodes: readonly NodeInfo[]): void;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: string;
  tolerationSeconds?: number;
}

export interface Taint {
  key: string;
  value?: string;
  effect: string;
}

export type Pod = KubeObject;
