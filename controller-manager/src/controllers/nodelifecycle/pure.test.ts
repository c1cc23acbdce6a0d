// Unit tests of the pure node-lifecycle, taint-eviction and IPAM pieces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { conditionsForSilentNode, observeNode } from './node-health.js';
import { computeZoneState } from './zone-state.js';
import { swapTaints } from './node-updates.js';
import { toleratesTaint } from './taints.js';
import { evictionDecision } from '../tainteviction/taint-eviction-controller.js';
import { CidrSet, parseIPv4CIDR } from '../nodeipam/cidr-set.js';

const node = (ready?: { status: string; hb: string }): KubeObject => ({
  metadata: { name: 'n', creationTimestamp: '2026-01-01T00:00:00Z' },
  status: { conditions: ready ? [{ type: 'Ready', status: ready.status, lastHeartbeatTime: ready.hb, lastTransitionTime: ready.hb, reason: 'KubeletReady' }] : [] },
});

describe('node health', () => {
  it('a newly seen node gets a full grace period; heartbeats and lease renewals move the probe time', () => {
    const h1 = observeNode(undefined, node({ status: 'True', hb: 'a' }), undefined, 1000);
    assert.equal(h1.probeTimestamp, 1000);
    const h2 = observeNode(h1, node({ status: 'True', hb: 'a' }), undefined, 5000);
    assert.equal(h2.probeTimestamp, 1000);
    const h3 = observeNode(h2, node({ status: 'True', hb: 'b' }), undefined, 6000);
    assert.equal(h3.probeTimestamp, 6000);
    const lease = { metadata: { name: 'n' }, spec: { renewTime: '2026-01-01T00:00:10.000000Z' } };
    const h4 = observeNode(h3, node({ status: 'True', hb: 'b' }), lease, 9000);
    assert.equal(h4.probeTimestamp, 9000);
    assert.equal(observeNode(h4, node({ status: 'True', hb: 'b' }), lease, 12000).probeTimestamp, 9000);
  });

  it('a node that never posted Ready counts from its creation', () => {
    assert.equal(observeNode(undefined, node(), undefined, Date.parse('2026-01-01T01:00:00Z')).probeTimestamp, Date.parse('2026-01-01T00:00:00Z'));
  });

  it('silent nodes get Unknown conditions with upstream reasons', () => {
    const c = conditionsForSilentNode(node({ status: 'True', hb: '2026-01-01T00:00:05Z' }), Date.parse('2026-01-01T00:10:00Z'))!;
    const ready = c.find((x) => x.type === 'Ready')!;
    assert.equal(ready.status, 'Unknown');
    assert.equal(ready.reason, 'NodeStatusUnknown');
    assert.equal(ready.message, 'Kubelet stopped posting node status.');
    assert.equal(ready.lastHeartbeatTime, '2026-01-01T00:00:05Z');
    assert.equal(c.find((x) => x.type === 'MemoryPressure')!.reason, 'NodeStatusNeverUpdated');
    const again = { ...node(), status: { conditions: c } };
    assert.equal(conditionsForSilentNode(again, Date.parse('2026-01-01T00:11:00Z')), undefined);
  });

  it('zone states', () => {
    assert.equal(computeZoneState(['True', 'Unknown'], 0.55), 'Normal');
    assert.equal(computeZoneState(['Unknown'], 0.55), 'FullDisruption');
    assert.equal(computeZoneState([undefined, 'False'], 0.55), 'FullDisruption');
    assert.equal(computeZoneState(['True', 'False', 'False', 'Unknown'], 0.55), 'PartialDisruption');
  });
});

describe('taints and tolerations', () => {
  const unreachable = { key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: '2026-01-01T00:00:00Z' };
  it('toleratesTaint follows upstream matching', () => {
    assert.ok(toleratesTaint({ key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }, unreachable));
    assert.ok(toleratesTaint({ operator: 'Exists' }, unreachable));
    assert.ok(!toleratesTaint({ key: unreachable.key, operator: 'Equal', value: 'x', effect: 'NoExecute' }, unreachable));
    assert.ok(!toleratesTaint({ key: unreachable.key, operator: 'Exists', effect: 'NoSchedule' }, unreachable));
  });
  it('eviction decisions', () => {
    const since = (t: { timeAdded?: string }) => Date.parse(t.timeAdded!);
    assert.deepEqual(evictionDecision([unreachable], [], since), { kind: 'now' });
    assert.deepEqual(evictionDecision([unreachable], [{ key: unreachable.key, operator: 'Exists', effect: 'NoExecute' }], since), { kind: 'none' });
    assert.deepEqual(evictionDecision([unreachable], [{ operator: 'Exists', tolerationSeconds: 0 }], since), { kind: 'now' });
    assert.deepEqual(evictionDecision([unreachable], [{ operator: 'Exists', tolerationSeconds: 300 }], since),
      { kind: 'at', at: Date.parse('2026-01-01T00:05:00Z') });
    assert.deepEqual(evictionDecision([], [], since), { kind: 'none' });
  });
  it('swapTaints adds and removes by key and effect, undefined when nothing changes', () => {
    const t = [{ key: 'a', effect: 'NoSchedule' }];
    assert.equal(swapTaints(t, [{ key: 'a', effect: 'NoSchedule' }], [{ key: 'b', effect: 'NoExecute' }]), undefined);
    assert.deepEqual(swapTaints(t, [{ key: 'b', effect: 'NoExecute' }], [{ key: 'a', effect: 'NoSchedule' }]), [{ key: 'b', effect: 'NoExecute' }]);
  });
});

describe('CidrSet', () => {
  it('hands out distinct /24 blocks, honours occupied ones, releases', () => {
    const s = new CidrSet('10.244.0.0/16', 24);
    assert.equal(s.size, 256);
    s.occupy('10.244.1.0/24');
    const a = s.allocateNext();
    const b = s.allocateNext();
    assert.equal(a, '10.244.0.0/24');
    assert.equal(b, '10.244.2.0/24');
    assert.ok(!s.occupy('10.245.0.0/24'));
    s.release(a!);
    assert.ok(!s.isOccupied(a!));
    assert.deepEqual(parseIPv4CIDR('10.244.3.7/24'), { base: (10 << 24 >>> 0) + (244 << 16) + (3 << 8), prefix: 24 });
  });
  it('exhaustion returns undefined', () => {
    const s = new CidrSet('10.0.0.0/30', 31);
    assert.ok(s.allocateNext());
    assert.ok(s.allocateNext());
    assert.equal(s.allocateNext(), undefined);
  });
});
