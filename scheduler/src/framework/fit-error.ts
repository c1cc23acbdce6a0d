// The "why not" message of a pod that fits no node, in upstream's FitError.Error() form:
//   "0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu."
// Each reason of each rejected node is counted; the "<count> <reason>" strings are sorted as
// plain strings (upstream sort.Strings, so "10 x" sorts before "2 y") and joined by ", ".
// With no nodes at all upstream says "no nodes available to schedule pods".
// Not handled: the "preemption: …" suffix (k8ts has no preemption).

export const NO_NODES_AVAILABLE = 'no nodes available to schedule pods';

export class FitError {
  constructor(
    readonly numAllNodes: number,
    /** reason → number of nodes that gave it */
    readonly reasons: ReadonlyMap<string, number>,
    /** names of the filter plugins that rejected at least one node */
    readonly rejectingPlugins: ReadonlySet<string>,
  ) {}

  message(): string {
    if (this.numAllNodes === 0) return NO_NODES_AVAILABLE;
    const parts = [...this.reasons].map(([reason, n]) => `${n} ${reason}`).sort();
    let msg = `0/${this.numAllNodes} nodes are available:`;
    if (parts.length) msg += ` ${parts.join(', ')}.`;
    return msg;
  }
}
