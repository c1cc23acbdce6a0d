import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatResourceList, type KubeObject } from '@k8ts/shared';
import { checkQuotaRequest } from './quota-check.js';
import { addDefaultTolerations } from './default-toleration-seconds.js';

const quota = (name: string, hard: Record<string, string>, used?: Record<string, string>, spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name, namespace: 'dev', resourceVersion: '7' },
  spec: { hard, ...spec },
  status: used ? { hard, used } : {},
});
const pod = (name: string, resources?: { requests?: Record<string, string>; limits?: Record<string, string> }): KubeObject => ({
  metadata: { name, namespace: 'dev' },
  spec: { containers: [{ name: 'app', image: 'nginx', resources: resources ?? {} }] },
  status: { phase: 'Pending' },
});
const check = (object: KubeObject, quotas: KubeObject[], resource = 'pods') => checkQuotaRequest({ operation: 'CREATE', resource, object, quotas, now: Date.now() });

test('within quota: charges every concerned quota', () => {
  const q = quota('compute-quota', { pods: '10', 'requests.cpu': '4' }, { pods: '1', 'requests.cpu': '1' });
  const r = check(pod('x', { requests: { cpu: '500m' } }), [q]);
  assert.ok(r.allowed);
  assert.equal(r.charges.length, 1);
  assert.deepEqual(formatResourceList(r.charges[0]!.used), { pods: '2', 'requests.cpu': '1500m' });
});

test('over quota: the upstream message', () => {
  const q = quota('compute-quota', { pods: '10', 'requests.cpu': '2' }, { pods: '1', 'requests.cpu': '1' });
  const r = check(pod('x', { requests: { cpu: '2' } }), [q]);
  assert.deepEqual(r, { allowed: false, message: 'exceeded quota: compute-quota, requested: requests.cpu=2, used: requests.cpu=1, limited: requests.cpu=2' });
  const full = quota('pod-count', { pods: '2' }, { pods: '2' });
  assert.deepEqual(check(pod('y'), [full]), { allowed: false, message: 'exceeded quota: pod-count, requested: pods=1, used: pods=2, limited: pods=2' });
  const mem = quota('mem', { 'requests.memory': '1Gi', 'limits.memory': '1Gi' }, { 'requests.memory': '768Mi', 'limits.memory': '768Mi' });
  assert.deepEqual(check(pod('z', { limits: { memory: '512Mi' }, requests: { memory: '512Mi' } }), [mem]), {
    allowed: false, message: 'exceeded quota: mem, requested: limits.memory=512Mi,requests.memory=512Mi, used: limits.memory=768Mi,requests.memory=768Mi, limited: limits.memory=1Gi,requests.memory=1Gi',
  });
});

test('cpu/memory quotas refuse pods that do not state them', () => {
  const q = quota('compute-quota', { pods: '10', 'requests.cpu': '4', 'limits.memory': '1Gi' }, { pods: '0', 'requests.cpu': '0', 'limits.memory': '0' });
  assert.deepEqual(check(pod('x'), [q]), { allowed: false, message: 'failed quota: compute-quota: must specify limits.memory for: app; requests.cpu for: app' });
  // a count-only quota does not care
  assert.ok(check(pod('x'), [quota('n', { pods: '3' }, { pods: '0' })]).allowed);
});

test('quotas without status concern nothing; partial status is refused', () => {
  assert.deepEqual(check(pod('x'), [quota('fresh', { pods: '0' })]), { allowed: true, charges: [] });
  const partial: KubeObject = { metadata: { name: 'p', namespace: 'dev' }, spec: { hard: { pods: '1', 'count/pods': '1' } }, status: { hard: { pods: '1', 'count/pods': '1' }, used: { pods: '0' } } };
  assert.deepEqual(check(pod('x'), [partial]), { allowed: false, message: 'status unknown for quota: p, resources: count/pods,pods' });
});

test('object counts, scoped quotas, and service updates', () => {
  const q = quota('objects', { configmaps: '1', 'count/deployments.apps': '1' }, { configmaps: '1', 'count/deployments.apps': '0' });
  assert.deepEqual(check({ metadata: { name: 'c' } }, [q], 'configmaps'), { allowed: false, message: 'exceeded quota: objects, requested: configmaps=1, used: configmaps=1, limited: configmaps=1' });
  const d = check({ metadata: { name: 'd' } }, [q], 'deployments.apps');
  assert.ok(d.allowed && formatResourceList(d.charges[0]!.used)['count/deployments.apps'] === '1');
  const be = quota('be', { pods: '0' }, { pods: '0' }, { scopes: ['BestEffort'] });
  assert.equal(check(pod('x', { requests: { cpu: '1' } }), [be]).allowed, true, 'not best effort: out of scope');
  assert.equal(check(pod('x'), [be]).allowed, false);
  const np = quota('np', { 'services.nodeports': '1' }, { 'services.nodeports': '0' });
  const old: KubeObject = { metadata: { name: 's', resourceVersion: '3' }, spec: { type: 'ClusterIP', ports: [{ port: 80 }, { port: 81 }] } };
  const next: KubeObject = { metadata: { name: 's' }, spec: { type: 'NodePort', ports: [{ port: 80 }, { port: 81 }] } };
  assert.deepEqual(checkQuotaRequest({ operation: 'UPDATE', resource: 'services', object: next, oldObject: old, quotas: [np], now: 0 }), {
    allowed: false, message: 'exceeded quota: np, requested: services.nodeports=2, used: services.nodeports=0, limited: services.nodeports=1',
  });
  assert.deepEqual(checkQuotaRequest({ operation: 'UPDATE', resource: 'pods', object: pod('x'), oldObject: pod('x'), quotas: [quota('n', { pods: '0' }, { pods: '0' })], now: 0 }), { allowed: true, charges: [] });
});

test('DefaultTolerationSeconds adds what is not tolerated yet', () => {
  const p = pod('x');
  addDefaultTolerations(p, { notReadySeconds: 60 });
  assert.deepEqual(p.spec!.tolerations, [
    { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 60 },
    { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  ]);
  const all = pod('y');
  all.spec!.tolerations = [{ operator: 'Exists' }];
  addDefaultTolerations(all);
  assert.deepEqual(all.spec!.tolerations, [{ operator: 'Exists' }]);
  const one = pod('z');
  one.spec!.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 }];
  addDefaultTolerations(one);
  assert.equal(one.spec!.tolerations.length, 2);
  assert.equal(one.spec!.tolerations[1].key, 'node.kubernetes.io/not-ready');
});
