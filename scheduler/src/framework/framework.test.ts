// The framework runner and FitError: node sampling, the first failing filter per node, the
// aggregated upstream message, scoring with weights and random tie-breaking; resources.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nodeInfo, podInfo } from '../testing/infos.js';
import { DEFAULT_FILTERS, DEFAULT_SCORES } from '../plugins/index.js';
import { FitError } from './fit-error.js';
import { Framework, numFeasibleNodesToFind } from './framework.js';
import { computePodRequests } from './resources.js';
import type { FilterPlugin, ScorePlugin } from './types.js';

describe('numFeasibleNodesToFind (percentageOfNodesToScore)', () => {
  it('follows upstream’s adaptive default', () => {
    assert.equal(numFeasibleNodesToFind(50), 50);
    assert.equal(numFeasibleNodesToFind(99), 99);
    assert.equal(numFeasibleNodesToFind(100), 100);
    assert.equal(numFeasibleNodesToFind(150), 100);
    assert.equal(numFeasibleNodesToFind(1000), 420);
    assert.equal(numFeasibleNodesToFind(5000), 500);
    assert.equal(numFeasibleNodesToFind(6000), 300);
    assert.equal(numFeasibleNodesToFind(1000, 10), 100);
    assert.equal(numFeasibleNodesToFind(1000, 100), 1000);
  });
});

describe('FitError message', () => {
  it('counts reasons and sorts the "<n> <reason>" strings as upstream', () => {
    const e = new FitError(3, new Map([['Insufficient cpu', 2], ['node(s) had untolerated taint {key: value}', 1]]), new Set());
    assert.equal(e.message(), '0/3 nodes are available: 1 node(s) had untolerated taint {key: value}, 2 Insufficient cpu.');
    assert.equal(new FitError(12, new Map([['b', 2], ['a', 10]]), new Set()).message(), '0/12 nodes are available: 10 a, 2 b.');
    assert.equal(new FitError(0, new Map(), new Set()).message(), 'no nodes available to schedule pods');
  });
});

describe('Framework', () => {
  it('runs filters in order, stops at the first failure per node, and aggregates reasons', () => {
    const fw = new Framework({ filters: DEFAULT_FILTERS, scores: DEFAULT_SCORES });
    const nodes = [
      nodeInfo('a', { cpu: '1' }),
      nodeInfo('b', { cpu: '1', taints: [{ key: 'key', value: 'value', effect: 'NoSchedule' }] }),
      nodeInfo('c', { cpu: '1', unschedulable: true }),
      nodeInfo('d', { cpu: '1', memory: '1Mi' }),
    ];
    const r = fw.schedule(podInfo({ cpu: '2', memory: '1Gi' }), nodes);
    assert.ok(r instanceof FitError);
    // node d fails both cpu and memory: one node can give several reasons (upstream)
    assert.equal(r.message(), '0/4 nodes are available: 1 Insufficient memory, 1 node(s) had untolerated taint {key: value}, 1 node(s) were unschedulable, 2 Insufficient cpu.');
    assert.deepEqual([...r.rejectingPlugins].sort(), ['NodeResourcesFit', 'NodeUnschedulable', 'TaintToleration']);
  });

  it('picks the highest weighted score; ties are broken at random', () => {
    const filters: FilterPlugin[] = [];
    const byName: ScorePlugin = { name: 'ByName', weight: 2, score: (_p, n) => (n.name === 'b' ? 10 : 5) };
    const flat: ScorePlugin = { name: 'Flat', weight: 1, score: () => 1 };
    const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(n));
    assert.equal((new Framework({ filters, scores: [byName, flat] }).schedule(podInfo(), nodes) as { node: string }).node, 'b');
    const seen = new Set<string>();
    let x = 0;
    const rnd = [0.9, 0.1, 0.9, 0.9, 0.1, 0.1];
    const fw = new Framework({ filters, scores: [flat], random: () => rnd[x++ % rnd.length]! });
    for (let i = 0; i < 6; i++) seen.add((fw.schedule(podInfo(), nodes) as { node: string }).node);
    assert.ok(seen.size > 1, `ties always went to ${[...seen]}`);
  });

  it('stops filtering after numFeasibleNodesToFind nodes and continues round-robin', () => {
    const count: FilterPlugin = { name: 'Count', filter: () => null };
    const nodes = Array.from({ length: 200 }, (_, i) => nodeInfo(`n${i}`));
    const fw = new Framework({ filters: [count], scores: [], percentageOfNodesToScore: 10 });
    const r1 = fw.schedule(podInfo(), nodes) as { evaluatedNodes: number; feasibleNodes: number };
    assert.equal(r1.evaluatedNodes, 100);
    assert.equal(r1.feasibleNodes, 100);
  });
});

describe('pod requests (resourcehelper.PodRequests)', () => {
  it('sums containers, takes the max with init containers, adds sidecars and overhead', () => {
    const r = computePodRequests({ spec: {
      containers: [{ resources: { requests: { cpu: '100m', memory: '128Mi' } } }, { resources: { requests: { cpu: '0.5' } } }],
      initContainers: [
        { restartPolicy: 'Always', resources: { requests: { cpu: '200m', memory: '64Mi' } } },
        { resources: { requests: { cpu: '1', memory: '1Gi' } } },
      ],
      overhead: { cpu: '10m' },
    } });
    // regular: 600m + sidecar 200m = 800m; init: 1000m + 200m sidecar = 1200m → 1200m + 10m
    assert.equal(r.milliCPU, 1210);
    assert.equal(r.memory, 1024 * 1024 * 1024 + 64 * 1024 * 1024);
    // non-zero: the second container requests no memory → 200Mi
    assert.equal(r.nonZeroMemory, Math.max(128 + 200 + 64, 1024 + 64) * 1024 * 1024);
  });
  it('marks an unparsable quantity as a pod error instead of throwing', () => {
    const p = podInfo({ spec: { containers: [{ name: 'c', image: 'i', resources: { requests: { cpu: 'lots' } } }] } });
    assert.match(p.error!, /invalid quantity "lots" for resource "cpu"/);
  });
});
