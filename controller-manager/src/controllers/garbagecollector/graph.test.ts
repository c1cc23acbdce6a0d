// The dependency graph alone: linking, virtual owners, transitions, removal.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject, OwnerReference } from '@k8ts/shared';
import { DependencyGraph, FINALIZER_FOREGROUND, FINALIZER_ORPHAN, type Work } from './graph.js';

const ref = (uid: string, block = true): OwnerReference => ({ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: `rs-${uid}`, uid, controller: true, blockOwnerDeletion: block });
const obj = (uid: string, owners: OwnerReference[] = [], extra: Partial<KubeObject['metadata']> = {}): KubeObject =>
  ({ metadata: { name: `o-${uid}`, namespace: 'ns', uid, ownerReferences: owners, ...extra } });
const uids = (w: Work, q: keyof Work = 'attemptToDelete'): string[] => w[q].map((n) => n.identity.uid).sort();

describe('DependencyGraph', () => {
  it('creates a virtual owner (to be checked) for an unseen owner, and makes it real when observed', () => {
    const g = new DependencyGraph();
    const w = g.observe(obj('pod1', [ref('rs1')]), 'v1', 'Pod');
    assert.deepEqual(uids(w), ['rs1']);
    assert.equal(g.get('rs1')!.virtual, true);
    assert.equal(g.get('rs1')!.identity.namespace, 'ns');
    const w2 = g.observe(obj('rs1'), 'apps/v1', 'ReplicaSet');
    assert.deepEqual(uids(w2), []);
    assert.equal(g.get('rs1')!.virtual, false);
    assert.deepEqual([...g.get('rs1')!.dependents].map((d) => d.identity.uid), ['pod1']);
  });

  it('sends dependents of a removed owner to attemptToDelete', () => {
    const g = new DependencyGraph();
    g.observe(obj('rs1'), 'apps/v1', 'ReplicaSet');
    g.observe(obj('p1', [ref('rs1')]), 'v1', 'Pod');
    g.observe(obj('p2', [ref('rs1')]), 'v1', 'Pod');
    assert.deepEqual(uids(g.remove('rs1')), ['p1', 'p2']);
    assert.equal(g.get('rs1'), undefined);
    assert.equal(g.removeVirtual('p1').attemptToDelete.length, 0, 'a real node is not removed by a virtual delete');
  });

  it('orphan finalizer → attemptToOrphan; foreground → deletingDependents, the owner and its dependents to attemptToDelete', () => {
    const g = new DependencyGraph();
    g.observe(obj('rs1'), 'apps/v1', 'ReplicaSet');
    g.observe(obj('p1', [ref('rs1')]), 'v1', 'Pod');
    const del = { deletionTimestamp: '2026-01-01T00:00:00Z' };
    assert.deepEqual(uids(g.observe(obj('rs1', [], { ...del, finalizers: [FINALIZER_ORPHAN] }), 'apps/v1', 'ReplicaSet'), 'attemptToOrphan'), ['rs1']);
    g.observe(obj('rs2'), 'apps/v1', 'ReplicaSet');
    g.observe(obj('p2', [ref('rs2')]), 'v1', 'Pod');
    const w = g.observe(obj('rs2', [], { ...del, finalizers: [FINALIZER_FOREGROUND] }), 'apps/v1', 'ReplicaSet');
    assert.deepEqual(uids(w), ['p2', 'rs2']);
    assert.equal(g.get('rs2')!.deletingDependents, true);
    assert.deepEqual(g.get('rs2')!.blockingDependents().map((d) => d.identity.uid), ['p2']);
    // the dependent goes away: the waiting owner is looked at again
    assert.deepEqual(uids(g.remove('p2')), ['rs2']);
    assert.deepEqual(g.get('rs2')!.blockingDependents(), []);
  });

  it('re-links changed owner references; dropping a blocking reference wakes a waiting owner', () => {
    const g = new DependencyGraph();
    g.observe(obj('rs1', [], { deletionTimestamp: 'x', finalizers: [FINALIZER_FOREGROUND] }), 'apps/v1', 'ReplicaSet');
    g.observe(obj('p1', [ref('rs1')]), 'v1', 'Pod');
    const w = g.observe(obj('p1', [ref('rs1', false)]), 'v1', 'Pod');
    assert.deepEqual(uids(w), ['rs1']);
    assert.deepEqual(g.get('rs1')!.blockingDependents(), []);
    g.observe(obj('p1', [ref('rs9')]), 'v1', 'Pod');
    assert.equal(g.get('rs1')!.dependents.size, 0);
    assert.equal(g.get('rs9')!.virtual, true);
  });

  it('a dependent added under an owner already deleting its dependents is examined at once', () => {
    const g = new DependencyGraph();
    g.observe(obj('rs1', [], { deletionTimestamp: 'x', finalizers: [FINALIZER_FOREGROUND] }), 'apps/v1', 'ReplicaSet');
    assert.deepEqual(uids(g.observe(obj('late', [ref('rs1')]), 'v1', 'Pod')), ['late']);
  });
});
