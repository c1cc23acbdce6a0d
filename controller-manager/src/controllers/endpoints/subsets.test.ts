import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { computeSubsets } from './subsets.js';

const svc = (spec: Record<string, unknown>): KubeObject => ({ metadata: { name: 'web', namespace: 'd' }, spec: { selector: { app: 'web' }, ...spec } });
const pod = (name: string, ip: string | undefined, ready: boolean, extra: { ports?: unknown[]; deleting?: boolean; phase?: string } = {}): KubeObject => ({
  metadata: { name, namespace: 'd', uid: `uid-${name}`, labels: { app: 'web' }, ...(extra.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}) },
  spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'x', ports: extra.ports ?? [] }] },
  status: { phase: extra.phase ?? 'Running', ...(ip ? { podIP: ip } : {}), conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }] },
});

describe('computeSubsets', () => {
  it('splits ready and not-ready pods, skips pods without IP, terminating or terminal', () => {
    const { subsets } = computeSubsets(svc({ ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] }), [
      pod('b', '10.0.0.10', true), pod('a', '10.0.0.9', true), pod('c', '10.0.0.11', false), pod('noip', undefined, true),
      pod('gone', '10.0.0.12', true, { deleting: true }), pod('done', '10.0.0.13', false, { phase: 'Succeeded' }),
    ]);
    assert.equal(subsets.length, 1);
    assert.deepEqual(subsets[0]!.addresses!.map((a) => a.ip), ['10.0.0.9', '10.0.0.10']);
    assert.deepEqual(subsets[0]!.notReadyAddresses!.map((a) => a.ip), ['10.0.0.11']);
    assert.deepEqual(subsets[0]!.ports, [{ port: 8080, protocol: 'TCP' }]);
    assert.deepEqual(subsets[0]!.addresses![0], { ip: '10.0.0.9', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'uid-a' } });
  });

  it('publishNotReadyAddresses puts every pod with an IP (even terminating) under addresses', () => {
    const { subsets } = computeSubsets(svc({ publishNotReadyAddresses: true, ports: [{ port: 80 }] }), [
      pod('a', '10.0.0.1', false), pod('b', '10.0.0.2', true, { deleting: true }),
    ]);
    assert.deepEqual(subsets, [{ addresses: subsets[0]!.addresses, ports: [{ port: 80, protocol: 'TCP' }] }]);
    assert.equal(subsets[0]!.addresses!.length, 2);
  });

  it('resolves named ports per pod and groups pods by port set', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web' }, { name: 'metrics', port: 9090, targetPort: 9090 }] });
    const { subsets, unresolved } = computeSubsets(s, [
      pod('a', '10.0.0.1', true, { ports: [{ name: 'web', containerPort: 8080 }] }),
      pod('b', '10.0.0.2', true, { ports: [{ name: 'web', containerPort: 8081 }] }),
      pod('c', '10.0.0.3', true, { ports: [{ name: 'other', containerPort: 1 }] }),
    ]);
    assert.equal(subsets.length, 3);
    const byIp = (ip: string) => subsets.find((x) => x.addresses?.some((a) => a.ip === ip))!;
    assert.deepEqual(byIp('10.0.0.1').ports, [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }]);
    assert.deepEqual(byIp('10.0.0.2').ports, [{ name: 'http', port: 8081, protocol: 'TCP' }, { name: 'metrics', port: 9090, protocol: 'TCP' }]);
    assert.deepEqual(byIp('10.0.0.3').ports, [{ name: 'metrics', port: 9090, protocol: 'TCP' }]);
    assert.equal(unresolved.length, 1);
  });

  it('same port set → one subset; equal inputs in any order give equal output', () => {
    const s = svc({ ports: [{ name: 'http', port: 80, targetPort: 'web' }] });
    const pods = [pod('a', '10.0.0.1', true, { ports: [{ name: 'web', containerPort: 80 }] }), pod('b', '10.0.0.2', false, { ports: [{ name: 'web', containerPort: 80 }] })];
    const one = computeSubsets(s, pods).subsets;
    assert.equal(one.length, 1);
    assert.deepEqual(computeSubsets(s, [...pods].reverse()).subsets, one);
  });

  it('headless service without ports lists addresses with hostnames', () => {
    const p = pod('a', '10.0.0.1', true);
    p.spec.hostname = 'a';
    p.spec.subdomain = 'web';
    const { subsets } = computeSubsets(svc({ clusterIP: 'None' }), [p]);
    assert.deepEqual(subsets, [{ addresses: [{ ip: '10.0.0.1', hostname: 'a', nodeName: 'n1', targetRef: { kind: 'Pod', namespace: 'd', name: 'a', uid: 'uid-a' } }] }]);
  });
});
