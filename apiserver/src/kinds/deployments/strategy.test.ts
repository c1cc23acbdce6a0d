import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { deployments } from './index.js';

const now = new Date('2024-01-01T00:02:00Z');

const deploy = (spec: Record<string, unknown> = {}): KubeObject => ({
  metadata: { name: 'nginx-deployment', labels: { app: 'nginx' } },
  spec: {
    selector: { matchLabels: { app: 'nginx' } },
    template: { metadata: { labels: { app: 'nginx' } }, spec: { containers: [{ name: 'nginx', image: 'nginx:1.7.9' }] } },
    ...spec,
  },
});

test('defaults: replicas, rolling update 25%/25%, history, deadline, template', async () => {
  const { obj, errors } = await simulateCreate(deployments, { ...deploy(), status: { replicas: 9 } });
  assert.deepEqual(errors, []);
  assert.equal(obj.spec.replicas, 1);
  assert.deepEqual(obj.spec.strategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } });
  assert.equal(obj.spec.revisionHistoryLimit, 10);
  assert.equal(obj.spec.progressDeadlineSeconds, 600);
  const podSpec = obj.spec.template.spec;
  assert.equal(podSpec.restartPolicy, 'Always');
  assert.equal(podSpec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.equal(podSpec.enableServiceLinks, undefined, 'pod-only default');
  assert.equal(podSpec.tolerations, undefined, 'admission defaults are for pods only');
  assert.deepEqual(obj.status, {});
});

test('Recreate strategy gets no rollingUpdate', async () => {
  const { obj, errors } = await simulateCreate(deployments, deploy({ strategy: { type: 'Recreate' } }));
  assert.deepEqual(errors, []);
  assert.deepEqual(obj.spec.strategy, { type: 'Recreate' });
});

test('selector must match template labels; selector required', async () => {
  const mismatch = await simulateCreate(deployments, deploy({ selector: { matchLabels: { app: 'other' } } }));
  assert.deepEqual(fields(mismatch.errors), ['spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`']);
  const missing = await simulateCreate(deployments, deploy({ selector: undefined }));
  assert.deepEqual(fields(missing.errors), [
    'spec.selector: Required value',
    'spec.template.metadata.labels: Invalid value: {"app":"nginx"}: `selector` does not match template `labels`',
  ]);
  const empty = await simulateCreate(deployments, deploy({ selector: {} }));
  assert.deepEqual(fields(empty.errors), ['spec.selector: Invalid value: {}: empty selector is invalid for deployment']);
});

test('replicas, surge/unavailable, deadlines, restart policy, container image', async () => {
  const { errors } = await simulateCreate(deployments, deploy({
    replicas: -1,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } },
    minReadySeconds: 10,
    progressDeadlineSeconds: 5,
    template: { metadata: { labels: { app: 'nginx' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'nginx' }] } },
  }));
  const text = fields(errors);
  assert.ok(text.includes('spec.replicas: Invalid value: -1: must be greater than or equal to 0'));
  assert.ok(text.includes('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0'));
  assert.ok(text.includes('spec.progressDeadlineSeconds: Invalid value: 5: must be greater than minReadySeconds'));
  assert.ok(text.includes('spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"'));
  assert.ok(text.includes('spec.template.spec.containers[0].image: Required value'));
  const pct = await simulateCreate(deployments, deploy({ strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '1x', maxUnavailable: '150%' } } }));
  const t2 = fields(pct.errors);
  assert.ok(t2.some((t) => t.startsWith("spec.strategy.rollingUpdate.maxSurge: Invalid value: \"1x\": a valid percent string must be a numeric string followed by an ending '%'")));
  assert.ok(t2.includes('spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%'));
});

test('update: status kept, selector immutable, generation bumps on spec or annotations', async () => {
  const created = (await simulateCreate(deployments, deploy())).obj;
  created.status = { replicas: 1, readyReplicas: 1 };
  const scaled = structuredClone(created);
  scaled.spec.replicas = 4;
  scaled.status = {};
  const res = await simulateUpdate(deployments, scaled, created);
  assert.deepEqual(res.errors, []);
  assert.deepEqual(res.obj.status, { replicas: 1, readyReplicas: 1 });
  assert.equal(deployments.strategy.specChanged!(res.obj, created), true);
  const annotated = structuredClone(created);
  annotated.metadata.annotations = { 'kubernetes.io/change-cause': 'x' };
  assert.equal(deployments.strategy.specChanged!(annotated, created), true);
  assert.equal(deployments.strategy.specChanged!(structuredClone(created), created), false);

  const moved = structuredClone(created);
  moved.spec.selector = { matchLabels: { app: 'nginx', tier: 'x' } };
  moved.spec.template.metadata.labels.tier = 'x';
  const r2 = await simulateUpdate(deployments, moved, created);
  assert.deepEqual(fields(r2.errors), ['spec.selector: Invalid value: {"matchLabels":{"app":"nginx","tier":"x"}}: field is immutable']);
});

test('/status keeps the spec; scale maps replicas and the selector', async () => {
  const created = (await simulateCreate(deployments, deploy({ replicas: 2 }))).obj;
  const next = structuredClone(created);
  next.spec.replicas = 7;
  next.status = { replicas: 2, updatedReplicas: 2, readyReplicas: 2, availableReplicas: 2, observedGeneration: 1 };
  const res = await simulateUpdate(deployments, next, created, undefined, 'status');
  assert.deepEqual(res.errors, []);
  assert.equal(res.obj.spec.replicas, 2);
  assert.equal(res.obj.status.readyReplicas, 2);
  assert.equal(res.obj.metadata.generation, created.metadata.generation);
  // annotations go through /status (the controller's revision annotation), labels do not
  const annotated = structuredClone(created);
  annotated.metadata.annotations = { 'deployment.kubernetes.io/revision': '3' };
  annotated.metadata.labels = { changed: 'yes' };
  const ann = await simulateUpdate(deployments, annotated, created, undefined, 'status');
  assert.deepEqual(ann.errors, []);
  assert.deepEqual(ann.obj.metadata.annotations, { 'deployment.kubernetes.io/revision': '3' });
  assert.deepEqual(ann.obj.metadata.labels, { app: 'nginx' });
  assert.equal(ann.obj.metadata.generation, created.metadata.generation);
  const bad = structuredClone(next);
  bad.status = { replicas: 1, availableReplicas: 3, readyReplicas: 3 };
  assert.ok(fields((await simulateUpdate(deployments, bad, created, undefined, 'status')).errors).includes('status.availableReplicas: Invalid value: 3: cannot be greater than status.replicas'));

  const scale = deployments.scale!;
  assert.equal(scale.getReplicas(res.obj), 2);
  assert.equal(scale.statusReplicas(res.obj), 2);
  assert.equal(scale.selector(res.obj), 'app=nginx');
  scale.setReplicas(res.obj, 4);
  assert.equal(res.obj.spec.replicas, 4);
});

test('table: READY UP-TO-DATE AVAILABLE AGE + wide', async () => {
  const { obj } = await simulateCreate(deployments, deploy({ replicas: 4 }));
  obj.status = { replicas: 4, readyReplicas: 3, updatedReplicas: 4, availableReplicas: 3 };
  assert.deepEqual(deployments.table.cells(obj, now), ['nginx-deployment', '3/4', 4, 3, '2m', 'nginx', 'nginx:1.7.9', 'app=nginx']);
  assert.deepEqual(deployments.table.columns.map((c) => c.name), ['Name', 'Ready', 'Up-to-date', 'Available', 'Age', 'Containers', 'Images', 'Selector']);
});
