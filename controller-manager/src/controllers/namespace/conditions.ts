// The five deletion conditions upstream's namespace controller keeps on a terminating
// namespace's status (pkg/controller/namespace/deletion/status_condition_utils.go), with its
// types, reasons and messages, so `kubectl describe ns` reads the same.
//
// Contract: pure. updateConditions() changes a condition only when its status, reason or
// message changed (then lastTransitionTime = now), appends missing ones, leaves other
// condition types alone, and says whether anything changed (so unchanged status is not written).

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastTransitionTime?: string;
}

export interface DeletionObservations {
  /** groupVersion → error, from discovery. */
  discoveryFailures: Map<string, string>;
  /** Errors deleting or listing content. */
  contentErrors: string[];
  remaining: { resource: string; count: number }[];
  finalizers: Map<string, number>;
}

const TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK: Record<(typeof TYPES)[number], { reason: string; message: string }> = {
  NamespaceDeletionDiscoveryFailure: { reason: 'ResourcesDiscovered', message: 'All resources successfully discovered' },
  NamespaceDeletionGroupVersionParsingFailure: { reason: 'ParsedGroupVersions', message: 'All legacy kube types successfully parsed' },
  NamespaceDeletionContentFailure: { reason: 'ContentDeleted', message: 'All content successfully deleted, may be waiting on finalization' },
  NamespaceContentRemaining: { reason: 'ContentRemoved', message: 'All content successfully removed' },
  NamespaceFinalizersRemaining: { reason: 'ContentHasNoFinalizers', message: 'All content-preserving finalizers finished' },
};

/** The conditions for one deletion round (without lastTransitionTime). */
export function deletionConditions(o: DeletionObservations): NamespaceCondition[] {
  return TYPES.map((type): NamespaceCondition => {
    const failed = failure(type, o);
    return failed ? { type, status: 'True', ...failed } : { type, status: 'False', ...OK[type] };
  });
}

function failure(type: (typeof TYPES)[number], o: DeletionObservations): { reason: string; message: string } | undefined {
  switch (type) {
    case 'NamespaceDeletionDiscoveryFailure': {
      if (o.discoveryFailures.size === 0) return undefined;
      const errs = [...o.discoveryFailures].sort(([a], [b]) => a.localeCompare(b)).map(([gv, e]) => `${gv}: ${e}`);
      return { reason: 'DiscoveryFailed', message: `Discovery failed for some groups, ${errs.length} failing: ${errs.join(', ')}` };
    }
    case 'NamespaceDeletionGroupVersionParsingFailure':
      return undefined;
    case 'NamespaceDeletionContentFailure':
      if (o.contentErrors.length === 0) return undefined;
      return { reason: 'ContentDeletionFailed', message: `Failed to delete all resource types, ${o.contentErrors.length} remaining: ${o.contentErrors.join(', ')}` };
    case 'NamespaceContentRemaining': {
      if (o.remaining.length === 0) return undefined;
      const parts = [...o.remaining].sort((a, b) => a.resource.localeCompare(b.resource)).map((r) => `${r.resource} has ${r.count} resource instances`);
      return { reason: 'SomeResourcesRemain', message: `Some resources are remaining: ${parts.join(', ')}` };
    }
    case 'NamespaceFinalizersRemaining': {
      if (o.finalizers.size === 0) return undefined;
      const parts = [...o.finalizers].sort(([a], [b]) => a.localeCompare(b)).map(([f, n]) => `${f} in ${n} resource instances`);
      return { reason: 'SomeFinalizersRemain', message: `Some content in the namespace has finalizers remaining: ${parts.join(', ')}` };
    }
  }
}

/** Merges `next` into `existing` (upstream's namespaceConditionUpdater.Update). */
export function updateConditions(
  existing: readonly NamespaceCondition[] | undefined, next: readonly NamespaceCondition[], now: string,
): { conditions: NamespaceCondition[]; changed: boolean } {
  const out = (existing ?? []).map((c) => ({ ...c }));
  let changed = false;
  for (const c of next) {
    const i = out.findIndex((o) => o.type === c.type);
    if (i < 0) {
      out.push({ ...c, lastTransitionTime: now });
      changed = true;
    } else {
      const old = out[i]!;
      if (old.status !== c.status || old.reason !== c.reason || old.message !== c.message) {
        out[i] = { ...c, lastTransitionTime: now };
        changed = true;
      }
    }
  }
  return { conditions: out, changed };
}
