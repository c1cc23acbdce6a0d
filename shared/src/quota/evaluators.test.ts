import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../api/meta.js';
import { evaluatorFor, matchesQuotaScopes, resourceForQuotaName } from './evaluators.js';
import { formatResourceList, prettyPrintResources } from './resource-list.js';
import { calculateQuotaUsage, resourcesTrackedBy } from './usage.js';

const pod = (name: string, containers: Array<{ name: string; requests?: Record<string, string>; limits?: Record<string, string> }>, extra: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'dev' },
  spec: { containers: containers.map((c) => ({ name: c.name, image: 'x', resources: { requests: c.requests, limits: c.limits } })), ...extra },
  status: { phase: 'Pending' },
});

test('pod usage sums containers, takes the max of init containers, and names quota resources', () => {
  const p = pod('a', [{ name: 'a', requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }, { name: 'b', requests: { cpu: '250m' } }], {
    initContainers: [{ name: 'i', image: 'x', resources: { requests: { cpu: '2' } } }],
  });
  const u = evaluatorFor('pods').usage(p, Date.now());
  assert.deepEqual(formatResourceList(u), {
    'count/pods': '1', pods: '1', cpu: '2', 'requests.cpu': '2', memory: '128Mi', 'requests.memory': '128Mi', 'limits.cpu': '1', 'limits.memory': '256Mi',
  });
  assert.equal(prettyPrintResources(u), 'count/pods=1,cpu=2,limits.cpu=1,limits.memory=256Mi,memory=128Mi,pods=1,requests.cpu=2,requests.memory=128Mi');
});

test('terminal pods and pods past their grace period consume only count/pods', () => {
  const done = { ...pod('a', [{ name: 'a', requests: { cpu: '1' } }]), status: { phase: 'Succeeded' } };
  assert.deepEqual(formatResourceList(evaluatorFor('pods').usage(done, Date.now())), { 'count/pods': '1' });
  const past = pod('b', [{ name: 'a', requests: { cpu: '1' } }]);
  past.metadata.deletionTimestamp = new Date(Date.now() - 60_000).toISOString();
  past.metadata.deletionGracePeriodSeconds = 30;
  assert.deepEqual(formatResourceList(evaluatorFor('pods').usage(past, Date.now())), { 'count/pods': '1' });
  past.metadata.deletionTimestamp = new Date(Date.now() + 60_000).toISOString();
  assert.equal(formatResourceList(evaluatorFor('pods').usage(past, Date.now()))['requests.cpu'], '1');
});

test('pod constraints: cpu/memory quotas need every container to state them', () => {
  const ev = evaluatorFor('pods');
  const p = pod('a', [{ name: 'web', requests: { cpu: '1' } }, { name: 'side' }]);
  assert.equal(ev.constraints(['pods', 'requests.cpu', 'limits.memory'], p), 'must specify limits.memory for: side,web; requests.cpu for: side');
  assert.equal(ev.constraints(['pods', 'count/pods'], p), undefined);
});

test('services count node ports and load balancers; other kinds count objects', () => {
  const ev = evaluatorFor('services');
  const svc: KubeObject = { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 443 }] } };
  assert.deepEqual(formatResourceList(ev.usage(svc, 0)), { 'count/services': '1', services: '1', 'services.loadbalancers': '0', 'services.nodeports': '2' });
  assert.deepEqual(ev.matchingResources(['services.nodeports', 'pods', 'count/services']), ['services.nodeports', 'count/services']);
  assert.deepEqual(formatResourceList(evaluatorFor('deployments.apps').usage(svc, 0)), { 'count/deployments.apps': '1' });
  assert.deepEqual(formatResourceList(evaluatorFor('configmaps').usage(svc, 0)), { 'count/configmaps': '1', configmaps: '1' });
  assert.equal(resourceForQuotaName('requests.cpu'), 'pods');
  assert.equal(resourceForQuotaName('count/replicasets.apps'), 'replicasets.apps');
  assert.equal(resourceForQuotaName('services.loadbalancers'), 'services');
  assert.equal(resourceForQuotaName('secrets'), 'secrets');
});

test('scopes: Terminating, BestEffort; non-pod kinds never match a scoped quota', () => {
  const ev = evaluatorFor('pods');
  const q = (scopes: string[]): KubeObject => ({ metadata: { name: 'q' }, spec: { hard: { pods: '1' }, scopes } });
  const be = pod('a', [{ name: 'a' }]);
  const burst = pod('b', [{ name: 'a', requests: { cpu: '1' } }], { activeDeadlineSeconds: 10 });
  assert.equal(matchesQuotaScopes(ev, q(['BestEffort']), be), true);
  assert.equal(matchesQuotaScopes(ev, q(['BestEffort']), burst), false);
  assert.equal(matchesQuotaScopes(ev, q(['NotBestEffort', 'Terminating']), burst), true);
  assert.equal(matchesQuotaScopes(ev, q(['NotTerminating']), burst), false);
  assert.equal(matchesQuotaScopes(ev, q([]), burst), true);
  assert.equal(matchesQuotaScopes(evaluatorFor('configmaps'), q(['BestEffort']), be), false);
});

test('calculateQuotaUsage: sums tracked objects, zero for the rest', () => {
  const quota: KubeObject = { metadata: { name: 'compute-quota', namespace: 'dev' }, spec: { hard: { pods: '10', 'requests.cpu': '4', 'requests.memory': '5Gi', 'limits.cpu': '10', 'limits.memory': '10Gi', 'count/deployments.apps': '2', persistentvolumeclaims: '1' } } };
  assert.deepEqual(resourcesTrackedBy(quota), ['deployments.apps', 'persistentvolumeclaims', 'pods']);
  const objects: Record<string, KubeObject[]> = {
    pods: [
      pod('a', [{ name: 'a', requests: { cpu: '500m', memory: '128Mi' }, limits: { cpu: '1', memory: '128Mi' } }]),
      pod('b', [{ name: 'a', requests: { cpu: '1', memory: '128Mi' }, limits: { cpu: '1', memory: '256Mi' } }]),
      { ...pod('c', [{ name: 'a', requests: { cpu: '3' } }]), status: { phase: 'Failed' } },
    ],
  };
  const { hard, used } = calculateQuotaUsage(quota, (r) => objects[r], Date.now());
  assert.equal(Object.keys(hard).length, 7);
  assert.deepEqual(formatResourceList(used), {
    'count/deployments.apps': '0', 'limits.cpu': '2', 'limits.memory': '384Mi', persistentvolumeclaims: '0', pods: '2', 'requests.cpu': '1500m', 'requests.memory': '256Mi',
  });
});
