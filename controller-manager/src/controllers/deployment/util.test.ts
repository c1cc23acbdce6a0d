// Pure parts of the Deployment controller: hash, fenceposts, proportions, annotations, status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastRevision, maxRevision, setNewReplicaSetAnnotations } from './annotations.js';
import { maxSurge, maxUnavailable, resolveFenceposts, scaledValue } from './int-or-percent.js';
import { computeHash, equalIgnoreHash, fnv32a, safeEncodeString } from './pod-template-hash.js';
import { calculateStatus } from './status.js';
import type { Deployment, ReplicaSet } from './types.js';
import { findActiveOrLatest, findNewReplicaSet, getProportion, isSaturated, newRSNewReplicas, roundHalfAway } from './util.js';

const enc = (s: string) => new TextEncoder().encode(s);

function dep(replicas: number, surge: number | string = '25%', unavailable: number | string = '25%', extra: Partial<Deployment['spec']> = {}): Deployment {
  return {
    metadata: { name: 'd', namespace: 'ns', uid: 'u', generation: 2, annotations: {} },
    spec: {
      replicas, selector: { matchLabels: { app: 'd' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: surge, maxUnavailable: unavailable } },
      template: { metadata: { labels: { app: 'd' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      ...extra,
    },
  };
}

function rs(name: string, replicas: number, o: { created?: string; annotations?: Record<string, string>; available?: number; image?: string } = {}): ReplicaSet {
  return {
    metadata: { name, uid: name, namespace: 'ns', creationTimestamp: o.created ?? '2024-01-01T00:00:00Z', annotations: o.annotations ?? {} },
    spec: { replicas, template: { metadata: { labels: { app: 'd', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: o.image ?? name }] } } },
    status: { replicas, availableReplicas: o.available ?? replicas, readyReplicas: o.available ?? replicas },
  };
}

describe('pod-template-hash', () => {
  it('is FNV-1a 32 encoded with the safe alphabet', () => {
    assert.equal(fnv32a(enc('')), 0x811c9dc5);
    assert.equal(fnv32a(enc('a')), 0xe40c292c);
    assert.equal(fnv32a(enc('foobar')), 0xbf9cf968);
    assert.equal(safeEncodeString('0123456789'), '456789bcdf', 'digits map into the 4-9,b-f range as in real names like 7c5ddbdf54');
  });

  it('ignores key order and null/empty noise; changes with content and collisionCount', () => {
    const a = { metadata: { labels: { app: 'x', tier: 'y' } }, spec: { containers: [{ name: 'c', image: 'i', resources: {} }] } };
    const b = { spec: { containers: [{ image: 'i', name: 'c' }] }, metadata: { creationTimestamp: null, labels: { tier: 'y', app: 'x' } } };
    assert.equal(computeHash(a), computeHash(b));
    assert.ok(equalIgnoreHash(a, b));
    assert.notEqual(computeHash(a), computeHash({ ...a, spec: { containers: [{ name: 'c', image: 'j' }] } }));
    assert.notEqual(computeHash(a), computeHash(a, 0));
    assert.notEqual(computeHash(a, 0), computeHash(a, 1));
    assert.match(computeHash(a), /^[bcdfghjklmnpqrstvwxz2456789]{1,10}$/);
    assert.ok(equalIgnoreHash({ metadata: { labels: { app: 'x', 'pod-template-hash': 'abc' } } }, { metadata: { labels: { app: 'x' } } }));
  });
});

describe('fenceposts', () => {
  it('rounds surge up and unavailable down, as upstream', () => {
    assert.deepEqual(resolveFenceposts('25%', '25%', 10), [3, 2]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 4), [1, 1]);
    assert.deepEqual(resolveFenceposts('25%', '25%', 1), [1, 0]);
    assert.deepEqual(resolveFenceposts(0, '10%', 5), [0, 1], 'both zero → unavailable 1');
    assert.deepEqual(resolveFenceposts(2, 1, 10), [2, 1]);
    assert.equal(scaledValue('33%', 10, true), 4);
    assert.throws(() => scaledValue('3', 10, true), /not a percentage/);
    assert.equal(maxUnavailable(dep(2, 0, 5)), 2, 'capped at replicas');
    assert.equal(maxSurge(dep(3, 1, 0, { strategy: { type: 'Recreate' } })), 0);
  });
});

describe('replica arithmetic', () => {
  it('new RS size within maxSurge', () => {
    const d = dep(10, 3, 2);
    const old = rs('old', 10);
    const n = rs('new', 0);
    assert.equal(newRSNewReplicas(d, [old, n], n), 3);
    assert.equal(newRSNewReplicas(d, [rs('old', 8), rs('new', 3)], rs('new', 3)), 5);
    assert.equal(newRSNewReplicas(d, [rs('old', 10), rs('new', 3)], rs('new', 3)), 3);
  });

  it('proportions: 10 → 15 with old 8 / new 5 gives +3 / +2 (docs example)', () => {
    const d = dep(15, 3, 2);
    const ann = { 'deployment.kubernetes.io/max-replicas': '13' };
    const old = rs('old', 8, { annotations: ann });
    const n = rs('new', 5, { annotations: ann });
    assert.equal(getProportion(old, d, 5, 0), 3);
    assert.equal(getProportion(n, d, 5, 3), 2);
    assert.equal(roundHalfAway(-2.5), -3);
    assert.equal(roundHalfAway(2.5), 3);
  });

  it('finds the new ReplicaSet by template, the only active one, saturation', () => {
    const d = dep(3);
    const same = rs('same', 3, { created: '2024-01-02T00:00:00Z', image: 'i', annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } });
    const older = rs('older', 0, { created: '2024-01-01T00:00:00Z' });
    assert.equal(findNewReplicaSet(d, [older, same])?.metadata.name, 'same');
    assert.equal(findActiveOrLatest(same, [older])?.metadata.name, 'same');
    assert.equal(findActiveOrLatest(undefined, [older, rs('newer', 0, { created: '2024-02-01T00:00:00Z' })])?.metadata.name, 'newer');
    assert.equal(findActiveOrLatest(same, [rs('x', 1)]), undefined);
    assert.ok(isSaturated(d, same));
    assert.ok(!isSaturated(d, rs('s2', 3, { image: 'i', available: 2, annotations: { 'deployment.kubernetes.io/desired-replicas': '3' } })));
  });
});

describe('annotations', () => {
  it('copies deployment annotations, bumps revision and records history on reuse', () => {
    const d = dep(2);
    d.metadata.annotations = { 'kubernetes.io/change-cause': 'x', 'kubectl.kubernetes.io/last-applied-configuration': '{}', 'deployment.kubernetes.io/revision': '9' };
    const fresh = rs('n', 0);
    fresh.metadata.annotations = {};
    assert.ok(setNewReplicaSetAnnotations(d, fresh, '1', false));
    assert.deepEqual(fresh.metadata.annotations, {
      'kubernetes.io/change-cause': 'x', 'deployment.kubernetes.io/revision': '1',
      'deployment.kubernetes.io/desired-replicas': '2', 'deployment.kubernetes.io/max-replicas': '3',
    });
    const reused = rs('o', 0, { annotations: { 'deployment.kubernetes.io/revision': '1' } });
    assert.ok(setNewReplicaSetAnnotations(d, reused, '3', true));
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision'], '3');
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1');
    assert.ok(setNewReplicaSetAnnotations(d, reused, '5', true));
    assert.equal(reused.metadata.annotations!['deployment.kubernetes.io/revision-history'], '1,3');
    assert.ok(!setNewReplicaSetAnnotations(d, reused, '2', true), 'never lowered');
    const revs = [rs('a', 0, { annotations: { 'deployment.kubernetes.io/revision': '4' } }), rs('b', 0, { annotations: { 'deployment.kubernetes.io/revision': '7' } }), rs('c', 0, { annotations: { 'deployment.kubernetes.io/revision': 'x' } })];
    assert.equal(maxRevision(revs), 7);
    assert.equal(lastRevision(revs), 4);
  });
});

describe('status', () => {
  it('sums ReplicaSet statuses, omits zeros and sets Available', () => {
    const d = dep(4, 1, 1);
    const s = calculateStatus([rs('old', 1, { available: 1 }), rs('new', 3, { available: 1 })], rs('new', 3, { available: 1 }), d, Date.parse('2024-01-01T00:00:00Z'));
    assert.deepEqual({ ...s, conditions: undefined }, { observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 2, availableReplicas: 2, unavailableReplicas: 2, conditions: undefined });
    assert.deepEqual(s.conditions?.map((c) => [c.type, c.status, c.reason]), [['Available', 'False', 'MinimumReplicasUnavailable']]);
  });
});
