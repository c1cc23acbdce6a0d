// Deletion order of surplus pods, criterion by criterion (upstream ActivePodsWithRanks).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { podsToDelete, POD_DELETION_COST_ANNOTATION } from './active-pods-ranking.js';

const NOW = Date.parse('2026-01-01T12:00:00Z');
const ago = (s: number): string => new Date(NOW - s * 1000).toISOString().replace(/\.\d+Z$/, 'Z');

function pod(name: string, o: { node?: string; phase?: string; readySince?: number; restarts?: number; created?: number; cost?: string; uid?: string } = {}): KubeObject {
  return {
    metadata: {
      name, uid: o.uid ?? name, creationTimestamp: ago(o.created ?? 3600),
      ...(o.cost !== undefined ? { annotations: { [POD_DELETION_COST_ANNOTATION]: o.cost } } : {}),
    },
    spec: o.node ? { nodeName: o.node } : {},
    status: {
      phase: o.phase ?? 'Running',
      ...(o.readySince !== undefined ? { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: ago(o.readySince) }] } : {}),
      containerStatuses: [{ name: 'c', restartCount: o.restarts ?? 0 }],
    },
  };
}

const first = (pods: KubeObject[], related: KubeObject[] = pods): string => podsToDelete(pods, related, 1, NOW)[0]!.metadata.name!;

describe('pods to delete first', () => {
  it('unassigned before assigned', () => assert.equal(first([pod('a', { node: 'n1' }), pod('b')]), 'b'));
  it('Pending before Unknown before Running', () => {
    assert.equal(first([pod('run', { node: 'n', phase: 'Running' }), pod('unk', { node: 'n', phase: 'Unknown' })]), 'unk');
    assert.equal(first([pod('unk', { node: 'n', phase: 'Unknown' }), pod('pend', { node: 'n', phase: 'Pending' })]), 'pend');
  });
  it('not ready before ready', () => assert.equal(first([pod('r', { node: 'n', readySince: 100 }), pod('nr', { node: 'n' })]), 'nr'));
  it('lower pod-deletion-cost first', () => assert.equal(first([pod('hi', { node: 'n', cost: '10' }), pod('lo', { node: 'n', cost: '-5' })]), 'lo'));
  it('doubled-up pods (more related pods on the node) first', () => {
    const a = pod('a', { node: 'n1' });
    const b = pod('b', { node: 'n2' });
    const sibling = pod('s', { node: 'n2' });
    assert.equal(first([a, b], [a, b, sibling]), 'b');
  });
  it('ready more recently first (log2 buckets), then more restarts, then newer', () => {
    assert.equal(first([pod('old', { node: 'n', readySince: 86_400 }), pod('new', { node: 'n', readySince: 10 })]), 'new');
    assert.equal(first([pod('calm', { node: 'n', readySince: 100 }), pod('crashy', { node: 'n', readySince: 100, restarts: 7 })]), 'crashy');
    assert.equal(first([pod('older', { node: 'n', created: 86_400 }), pod('newer', { node: 'n', created: 5 })]), 'newer');
  });
  it('returns every pod when asked for at least as many', () => {
    assert.equal(podsToDelete([pod('a'), pod('b')], [], 5, NOW).length, 2);
  });
});
