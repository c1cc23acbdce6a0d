import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { deletionConditions, updateConditions } from './conditions.js';

const clean = { discoveryFailures: new Map<string, string>(), contentErrors: [], remaining: [], finalizers: new Map<string, number>() };

describe('namespace deletion conditions', () => {
  it('reports the five upstream condition types, all False when deletion went well', () => {
    assert.deepEqual(deletionConditions(clean).map((c) => [c.type, c.status, c.reason]), [
      ['NamespaceDeletionDiscoveryFailure', 'False', 'ResourcesDiscovered'],
      ['NamespaceDeletionGroupVersionParsingFailure', 'False', 'ParsedGroupVersions'],
      ['NamespaceDeletionContentFailure', 'False', 'ContentDeleted'],
      ['NamespaceContentRemaining', 'False', 'ContentRemoved'],
      ['NamespaceFinalizersRemaining', 'False', 'ContentHasNoFinalizers'],
    ]);
  });

  it('words failures as upstream does, in a stable order', () => {
    const c = deletionConditions({
      discoveryFailures: new Map([['metrics.k8s.io/v1beta1', 'the server is currently unable to handle the request']]),
      contentErrors: ['failed to delete pods: boom'],
      remaining: [{ resource: 'pods', count: 2 }, { resource: 'deployments.apps', count: 1 }],
      finalizers: new Map([['kubernetes.io/pvc-protection', 1], ['example.com/a', 3]]),
    });
    const msg = (t: string) => c.find((x) => x.type === t)!.message;
    assert.equal(msg('NamespaceDeletionDiscoveryFailure'), 'Discovery failed for some groups, 1 failing: metrics.k8s.io/v1beta1: the server is currently unable to handle the request');
    assert.equal(msg('NamespaceDeletionContentFailure'), 'Failed to delete all resource types, 1 remaining: failed to delete pods: boom');
    assert.equal(msg('NamespaceContentRemaining'), 'Some resources are remaining: deployments.apps has 1 resource instances, pods has 2 resource instances');
    assert.equal(msg('NamespaceFinalizersRemaining'), 'Some content in the namespace has finalizers remaining: example.com/a in 3 resource instances, kubernetes.io/pvc-protection in 1 resource instances');
    assert.deepEqual(c.filter((x) => x.status === 'True').map((x) => x.type), [
      'NamespaceDeletionDiscoveryFailure', 'NamespaceDeletionContentFailure', 'NamespaceContentRemaining', 'NamespaceFinalizersRemaining',
    ]);
  });

  it('updates only what changed, keeping transition times and other condition types', () => {
    const first = updateConditions([{ type: 'Other', status: 'True', reason: 'X', message: 'x' }], deletionConditions(clean), 't1');
    assert.equal(first.changed, true);
    assert.equal(first.conditions.length, 6);
    assert.ok(first.conditions.slice(1).every((c) => c.lastTransitionTime === 't1'));
    const same = updateConditions(first.conditions, deletionConditions(clean), 't2');
    assert.equal(same.changed, false);
    const next = updateConditions(first.conditions, deletionConditions({ ...clean, remaining: [{ resource: 'pods', count: 1 }] }), 't3');
    assert.equal(next.changed, true);
    const times = Object.fromEntries(next.conditions.map((c) => [c.type, c.lastTransitionTime]));
    assert.equal(times.NamespaceContentRemaining, 't3');
    assert.equal(times.NamespaceDeletionDiscoveryFailure, 't1');
    assert.equal(next.conditions[0]!.type, 'Other');
  });
});
