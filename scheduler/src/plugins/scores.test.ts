// Score plugins: least-allocated, balanced allocation, owner spreading.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInfo, podInfo } from '../testing/infos.js';
import { BalancedAllocation } from './balanced-allocation.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { OwnerSpread } from './owner-spread.js';

describe('NodeResourcesFit score (LeastAllocated)', () => {
  it('is the mean of the free fractions of cpu and memory after placing the pod', () => {
    const n = nodeInfo('n', { cpu: '4', memory: '8Gi' }, [podInfo({ cpu: '1', memory: '2Gi' })]);
    // cpu: (4000 − 1000 − 1000) × 100 / 4000 = 50; memory: (8 − 2 − 2) × 100 / 8 = 50
    assert.equal(NodeResourcesFit.score(podInfo({ cpu: '1', memory: '2Gi' }), n), 50);
    // a pod without requests counts as 100m / 200Mi
    const empty = nodeInfo('e', { cpu: '1', memory: '1000Mi' });
    assert.equal(NodeResourcesFit.score(podInfo(), empty), Math.trunc((90 + 80) / 2));
  });
});

describe('BalancedAllocation', () => {
  it('prefers equal cpu and memory fractions', () => {
    const p = podInfo({ cpu: '1', memory: '1Gi' });
    assert.equal(BalancedAllocation.score(p, nodeInfo('a', { cpu: '2', memory: '2Gi' })), 100);
    // cpu 1/4 = .25, memory 1/1 = 1: std = .375 → 62
    assert.equal(BalancedAllocation.score(p, nodeInfo('b', { cpu: '4', memory: '1Gi' })), 62);
  });
});

describe('OwnerSpread', () => {
  it('scores nodes with fewer pods of the same owner higher', () => {
    const owned = (name: string) => podInfo({ ownerUid: 'rs-1', name });
    const nodes = [nodeInfo('a', {}, [owned('x'), owned('y')]), nodeInfo('b', {}, [owned('z')]), nodeInfo('c', {}, [podInfo({ ownerUid: 'other' })])];
    const p = owned('new');
    const scores = Float64Array.from(nodes.map((n) => OwnerSpread.score(p, n)));
    assert.deepEqual([...scores], [2, 1, 0]);
    OwnerSpread.normalize!(scores, p, nodes);
    assert.deepEqual([...scores], [0, 50, 100]);
    assert.equal(OwnerSpread.skip!(podInfo()), true);
  });
});
