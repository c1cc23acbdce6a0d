// core/v1 NodeSelector matching (required node affinity terms and preferred terms), as
// upstream's nodeaffinity package: terms are ORed, the requirements of one term ANDed;
// operators In, NotIn, Exists, DoesNotExist, Gt, Lt on labels and In/NotIn on the field
// metadata.name. A term with no requirements matches nothing; an unknown operator or a
// Gt/Lt value that is not an integer makes the requirement (and so its term) never match.
import type { KubeObject } from '@k8ts/shared';

export interface NodeSelectorRequirement { key: string; operator: string; values?: string[] }
export interface NodeSelectorTerm { matchExpressions?: NodeSelectorRequirement[]; matchFields?: NodeSelectorRequirement[] }

export type NodeMatcher = (labels: Record<string, string>, name: string) => boolean;

function requirement(r: NodeSelectorRequirement, field: boolean): (labels: Record<string, string>, name: string) => boolean {
  const values = r.values ?? [];
  const get = field
    ? (_l: Record<string, string>, name: string): string | undefined => (r.key === 'metadata.name' ? name : undefined)
    : (l: Record<string, string>): string | undefined => l[r.key];
  switch (r.operator) {
    case 'In': { const s = new Set(values); return (l, n) => { const v = get(l, n); return v !== undefined && s.has(v); }; }
    case 'NotIn': { const s = new Set(values); return (l, n) => { const v = get(l, n); return v === undefined || !s.has(v); }; }
    case 'Exists': return field ? () => false : (l, n) => get(l, n) !== undefined;
    case 'DoesNotExist': return field ? () => false : (l, n) => get(l, n) === undefined;
    case 'Gt':
    case 'Lt': {
      if (field || values.length !== 1 || !/^-?\d+$/.test(values[0]!)) return () => false;
      const bound = Number(values[0]);
      const gt = r.operator === 'Gt';
      return (l, n) => {
        const v = get(l, n);
        if (v === undefined || !/^-?\d+$/.test(v)) return false;
        return gt ? Number(v) > bound : Number(v) < bound;
      };
    }
    default: return () => false;
  }
}

export function termMatcher(term: NodeSelectorTerm): NodeMatcher {
  const reqs = [
    ...(term.matchExpressions ?? []).map((r) => requirement(r, false)),
    ...(term.matchFields ?? []).map((r) => requirement(r, true)),
  ];
  if (reqs.length === 0) return () => false;
  return (l, n) => {
    for (const r of reqs) if (!r(l, n)) return false;
    return true;
  };
}

export function nodeSelectorMatcher(terms: NodeSelectorTerm[]): NodeMatcher {
  const ms = terms.map(termMatcher);
  return (l, n) => {
    for (const m of ms) if (m(l, n)) return true;
    return false;
  };
}

export function nodeLabels(node: KubeObject | undefined): Record<string, string> {
  return (node?.metadata.labels ?? {}) as Record<string, string>;
}
