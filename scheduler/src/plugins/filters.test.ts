// Filter plugins, one describe each: the upstream "why not" reasons and the edge cases.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInfo, podInfo } from '../testing/infos.js';
import { NodeAffinity } from './node-affinity.js';
import { NodePorts } from './node-ports.js';
import { NodeReady } from './node-ready.js';
import { NodeResourcesFit } from './node-resources-fit.js';
import { NodeUnschedulable } from './node-unschedulable.js';
import { TaintToleration, toleratesTaint } from './taint-toleration.js';

describe('NodeUnschedulable', () => {
  it('rejects a cordoned node unless the pod tolerates node.kubernetes.io/unschedulable', () => {
    const n = nodeInfo('n', { unschedulable: true });
    assert.equal(NodeUnschedulable.filter(podInfo(), n), 'node(s) were unschedulable');
    assert.equal(NodeUnschedulable.filter(podInfo({ tolerations: [{ key: 'node.kubernetes.io/unschedulable', operator: 'Exists', effect: 'NoSchedule' }] }), n), null);
    assert.equal(NodeUnschedulable.filter(podInfo(), nodeInfo('m')), null);
  });
});

describe('NodeReady', () => {
  it('treats Ready=False / Unknown / missing as the lifecycle taints', () => {
    assert.equal(NodeReady.filter(podInfo(), nodeInfo('n')), null);
    assert.equal(NodeReady.filter(podInfo(), nodeInfo('n', { ready: 'False' })), 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
    assert.equal(NodeReady.filter(podInfo(), nodeInfo('n', { ready: 'Unknown' })), 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
    assert.equal(NodeReady.filter(podInfo(), nodeInfo('n', { ready: null })), 'node(s) had untolerated taint {node.kubernetes.io/unreachable: }');
    const tolerant = podInfo({ tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists' }] });
    assert.equal(NodeReady.filter(tolerant, nodeInfo('n', { ready: 'False' })), null);
  });
  it('leaves a node that already carries the taint to TaintToleration', () => {
    const n = nodeInfo('n', { ready: 'False', taints: [{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }] });
    assert.equal(NodeReady.filter(podInfo(), n), null);
    assert.equal(TaintToleration.filter(podInfo(), n), 'node(s) had untolerated taint {node.kubernetes.io/not-ready: }');
  });
});

describe('TaintToleration', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it('reports the first untolerated NoSchedule/NoExecute taint as {key: value}', () => {
    assert.equal(TaintToleration.filter(podInfo(), nodeInfo('n', { taints: [taint] })), 'node(s) had untolerated taint {dedicated: gpu}');
    assert.equal(TaintToleration.filter(podInfo(), nodeInfo('n', { taints: [{ key: 'k', value: 'v', effect: 'NoExecute' }] })), 'node(s) had untolerated taint {k: v}');
    assert.equal(TaintToleration.filter(podInfo(), nodeInfo('n', { taints: [{ key: 'soft', effect: 'PreferNoSchedule' }] })), null);
  });
  it('matches tolerations as upstream (Equal/Exists, empty key, empty effect)', () => {
    assert.ok(toleratesTaint({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint));
    assert.ok(toleratesTaint({ key: 'dedicated', value: 'gpu' }, taint));
    assert.ok(toleratesTaint({ key: 'dedicated', operator: 'Exists' }, taint));
    assert.ok(toleratesTaint({ operator: 'Exists' }, taint));
    assert.ok(!toleratesTaint({ key: 'dedicated', value: 'cpu' }, taint));
    assert.ok(!toleratesTaint({ key: 'dedicated', operator: 'Exists', effect: 'NoExecute' }, taint));
    assert.ok(!toleratesTaint({ value: 'gpu' }, taint));
  });
  it('scores fewer untolerated PreferNoSchedule taints higher', () => {
    const p = podInfo();
    const scores = Float64Array.from([nodeInfo('a'), nodeInfo('b', { taints: [{ key: 's', effect: 'PreferNoSchedule' }] })].map((n) => TaintToleration.score(p, n)));
    TaintToleration.normalize!(scores, p, []);
    assert.deepEqual([...scores], [100, 0]);
  });
});

describe('NodeAffinity', () => {
  const n = nodeInfo('n1', { labels: { disk: 'ssd', gen: '5' } });
  const req = (matchExpressions: unknown[]) => ({ nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } });
  it('nodeSelector must match every label', () => {
    assert.equal(NodeAffinity.filter(podInfo({ nodeSelector: { disk: 'ssd' } }), n), null);
    assert.equal(NodeAffinity.filter(podInfo({ nodeSelector: { disk: 'ssd', zone: 'a' } }), n), "node(s) didn't match Pod's node affinity/selector");
  });
  it('required terms: In, NotIn, Exists, DoesNotExist, Gt, Lt, matchFields', () => {
    const ok = (expr: unknown[]) => NodeAffinity.filter(podInfo({ affinity: req(expr) }), n) === null;
    assert.ok(ok([{ key: 'disk', operator: 'In', values: ['ssd', 'nvme'] }]));
    assert.ok(!ok([{ key: 'disk', operator: 'NotIn', values: ['ssd'] }]));
    assert.ok(ok([{ key: 'disk', operator: 'Exists' }, { key: 'gpu', operator: 'DoesNotExist' }]));
    assert.ok(ok([{ key: 'gen', operator: 'Gt', values: ['4'] }]));
    assert.ok(!ok([{ key: 'gen', operator: 'Lt', values: ['5'] }]));
    assert.ok(!ok([{ key: 'gen', operator: 'Gt', values: ['x'] }]));
    const byName = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n1'] }] }] } } };
    assert.equal(NodeAffinity.filter(podInfo({ affinity: byName }), n), null);
    // terms are ORed
    const two = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'disk', operator: 'In', values: ['hdd'] }] }, { matchExpressions: [{ key: 'gen', operator: 'Exists' }] }] } } };
    assert.equal(NodeAffinity.filter(podInfo({ affinity: two }), n), null);
  });
  it('scores preferred terms by weight, normalized to 100; skipped without preferences', () => {
    const p = podInfo({ affinity: { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [
      { weight: 10, preference: { matchExpressions: [{ key: 'disk', operator: 'In', values: ['ssd'] }] } },
      { weight: 30, preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
    ] } } });
    const nodes = [n, nodeInfo('n2', { labels: { zone: 'a' } }), nodeInfo('n3')];
    const scores = Float64Array.from(nodes.map((x) => NodeAffinity.score(p, x)));
    assert.deepEqual([...scores], [10, 30, 0]);
    NodeAffinity.normalize!(scores, p, nodes);
    assert.deepEqual([...scores], [33, 100, 0]);
    assert.equal(NodeAffinity.skip!(podInfo()), true);
    assert.equal(NodeAffinity.skip!(p), false);
  });
});

describe('NodePorts', () => {
  it('conflicts on the same protocol/port when either side is 0.0.0.0 or the IPs match', () => {
    const used = podInfo({ spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort: 8080, hostIP: '10.0.0.1' }] }] } });
    const n = nodeInfo('n', {}, [used]);
    const want = (hostPort: number, hostIP?: string, protocol?: string) =>
      NodePorts.filter(podInfo({ spec: { containers: [{ name: 'c', image: 'i', ports: [{ containerPort: 80, hostPort, ...(hostIP ? { hostIP } : {}), ...(protocol ? { protocol } : {}) }] }] } }), n);
    assert.equal(want(8080), "node(s) didn't have free ports for the requested pod ports");
    assert.equal(want(8080, '10.0.0.1'), "node(s) didn't have free ports for the requested pod ports");
    assert.equal(want(8080, '10.0.0.2'), null);
    assert.equal(want(8080, undefined, 'UDP'), null);
    assert.equal(want(8081), null);
    n.removePod(used.key);
    assert.equal(want(8080), null);
  });
});

describe('NodeResourcesFit filter', () => {
  it('reports every insufficient resource and too many pods', () => {
    const n = nodeInfo('n', { cpu: '2', memory: '1Gi', pods: '2' }, [podInfo({ cpu: '1500m', memory: '512Mi' })]);
    assert.equal(NodeResourcesFit.filter(podInfo({ cpu: '500m', memory: '512Mi' }), n), null);
    assert.deepEqual(NodeResourcesFit.filter(podInfo({ cpu: '501m' }), n), ['Insufficient cpu']);
    assert.deepEqual(NodeResourcesFit.filter(podInfo({ cpu: '1', memory: '1Gi' }), n), ['Insufficient cpu', 'Insufficient memory']);
    n.addPod(podInfo());
    assert.deepEqual(NodeResourcesFit.filter(podInfo(), n), ['Too many pods']);
  });
  it('checks extended resources the pod requests', () => {
    const n = nodeInfo('n');
    assert.deepEqual(NodeResourcesFit.filter(podInfo({ spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { 'example.com/gpu': '1' } } }] } }), n), ['Insufficient example.com/gpu']);
  });
  it('uses the init-container max rule and pod overhead', () => {
    const n = nodeInfo('n', { cpu: '2' });
    const init = podInfo({ spec: {
      containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '500m' } } }],
      initContainers: [{ name: 'i', image: 'i', resources: { requests: { cpu: '2' } } }],
    } });
    assert.equal(init.requests.milliCPU, 2000);
    assert.equal(NodeResourcesFit.filter(init, n), null);
    const over = podInfo({ spec: { containers: [{ name: 'a', image: 'i', resources: { requests: { cpu: '1900m' } } }], overhead: { cpu: '200m' } } });
    assert.equal(over.requests.milliCPU, 2100);
    assert.deepEqual(NodeResourcesFit.filter(over, n), ['Insufficient cpu']);
  });
});
