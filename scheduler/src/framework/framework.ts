// The framework runner (upstream's schedulePod → findNodesThatFitPod → prioritizeNodes →
// selectHost) for one pod over the cache's live NodeInfos.
//
// Contract:
// - Filters run per node in plugin order and stop at the first failing plugin (upstream).
// - Nodes are visited round-robin from where the previous pod stopped, and the search stops
//   once numFeasibleNodesToFind(n) nodes fit (upstream's percentageOfNodesToScore; default
//   adaptive: max(5, 50 − n/125) % of n, never fewer than 100 nodes).
// - One feasible node is chosen without scoring. A score plugin whose skip(pod) is true
//   (upstream PreScore → Skip) adds the same score to every node and is not run. Otherwise every score plugin scores every
//   feasible node, normalizes, is weighted and summed; the highest total wins, ties broken
//   uniformly at random (reservoir sampling, as upstream).
// - Synchronous and side-effect free (apart from the round-robin index): the caller assumes
//   the result into the cache before anything else can run.
import { FitError, NO_NODES_AVAILABLE } from './fit-error.js';
import type { FilterPlugin, NodeInfo, PodInfo, ScorePlugin } from './types.js';

export const MIN_FEASIBLE_NODES_TO_FIND = 100;
export const MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

/** upstream numFeasibleNodesToFind; percentage 0/undefined = adaptive default. */
export function numFeasibleNodesToFind(numAllNodes: number, percentage?: number): number {
  if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) return numAllNodes;
  let pct = percentage ?? 0;
  if (pct >= 100) return numAllNodes;
  if (pct <= 0) {
    pct = 50 - Math.trunc(numAllNodes / 125);
    if (pct < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) pct = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
  }
  const n = Math.trunc((numAllNodes * pct) / 100);
  return n < MIN_FEASIBLE_NODES_TO_FIND ? MIN_FEASIBLE_NODES_TO_FIND : n;
}

export interface ScheduleSuccess {
  node: string;
  evaluatedNodes: number;
  feasibleNodes: number;
}

export type ScheduleResult = ScheduleSuccess | FitError;

export interface FrameworkOptions {
  filters: readonly FilterPlugin[];
  scores: readonly ScorePlugin[];
  /** --percentage-of-nodes-to-score; 0 = adaptive. */
  percentageOfNodesToScore?: number;
  random?: () => number;
}

export class Framework {
  private nextStartNodeIndex = 0;
  private readonly random: () => number;

  constructor(private readonly opts: FrameworkOptions) {
    this.random = opts.random ?? Math.random;
  }

  schedule(pod: PodInfo, nodes: readonly NodeInfo[]): ScheduleResult {
    const n = nodes.length;
    if (n === 0) return new FitError(0, new Map(), new Set());
    const want = numFeasibleNodesToFind(n, this.opts.percentageOfNodesToScore);
    const feasible: NodeInfo[] = [];
    const reasons = new Map<string, number>();
    const rejecting = new Set<string>();
    const filters = this.opts.filters;
    let visited = 0;
    for (; visited < n && feasible.length < want; visited++) {
      const node = nodes[(this.nextStartNodeIndex + visited) % n]!;
      let ok = true;
      for (let f = 0; f < filters.length; f++) {
        const r = filters[f]!.filter(pod, node);
        if (r === null) continue;
        ok = false;
        rejecting.add(filters[f]!.name);
        if (typeof r === 'string') reasons.set(r, (reasons.get(r) ?? 0) + 1);
        else for (const s of r) reasons.set(s, (reasons.get(s) ?? 0) + 1);
        break;
      }
      if (ok) feasible.push(node);
    }
    this.nextStartNodeIndex = (this.nextStartNodeIndex + visited) % n;
    if (feasible.length === 0) return new FitError(n, reasons, rejecting);
    if (feasible.length === 1) return { node: feasible[0]!.name, evaluatedNodes: visited, feasibleNodes: 1 };

    const totals = new Float64Array(feasible.length);
    const scores = new Float64Array(feasible.length);
    for (const plugin of this.opts.scores) {
      if (plugin.skip?.(pod)) continue;
      for (let i = 0; i < feasible.length; i++) scores[i] = plugin.score(pod, feasible[i]!);
      plugin.normalize?.(scores, pod, feasible);
      const w = plugin.weight;
      for (let i = 0; i < feasible.length; i++) totals[i]! += scores[i]! * w;
    }
    let best = 0;
    let ties = 1;
    for (let i = 1; i < totals.length; i++) {
      if (totals[i]! > totals[best]!) { best = i; ties = 1; }
      else if (totals[i] === totals[best]) {
        ties++;
        if (this.random() * ties < 1) best = i;
      }
    }
    return { node: feasible[best]!.name, evaluatedNodes: visited, feasibleNodes: feasible.length };
  }
}

export { FitError, NO_NODES_AVAILABLE };
