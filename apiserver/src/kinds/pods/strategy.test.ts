import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '@k8ts/shared';
import { fields, simulateCreate, simulateUpdate } from '../testing/store-sim.js';
import { pods } from './index.js';

const pod = (spec: Record<string, unknown>, name = 'web'): KubeObject => ({ metadata: { name, labels: { app: 'web' } }, spec });

test('create applies pod defaults and admission defaults', async () => {
  const { obj, errors } = await simulateCreate(pods, pod({
    containers: [
      { name: 'nginx', image: 'nginx', ports: [{ containerPort: 80 }], livenessProbe: { httpGet: { port: 80 } } },
      { name: 'side', image: 'busybox:1.36', resources: { limits: { cpu: '0.5', memory: '128Mi' } } },
    ],
  }));
  assert.deepEqual(errors, []);
  const spec = obj.spec;
  assert.equal(spec.restartPolicy, 'Always');
  assert.equal(spec.dnsPolicy, 'ClusterFirst');
  assert.equal(spec.schedulerName, 'default-scheduler');
  assert.equal(spec.terminationGracePeriodSeconds, 30);
  assert.equal(spec.enableServiceLinks, true);
  assert.deepEqual(spec.securityContext, {});
  assert.equal(spec.serviceAccountName, 'default');
  assert.equal(spec.priority, 0);
  const [nginx, side] = spec.containers;
  assert.equal(nginx.imagePullPolicy, 'Always');
  assert.equal(side.imagePullPolicy, 'IfNotPresent');
  assert.equal(nginx.terminationMessagePath, '/dev/termination-log');
  assert.equal(nginx.terminationMessagePolicy, 'File');
  assert.deepEqual(nginx.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(nginx.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  assert.deepEqual(side.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  assert.equal(spec.tolerations, undefined, 'default tolerations come from the DefaultTolerationSeconds admission plugin');
  assert.deepEqual(obj.status, { phase: 'Pending', qosClass: 'Burstable' });
});

test('existing tolerations and images with digests are respected', async () => {
  const { obj } = await simulateCreate(pods, pod({
    containers: [{ name: 'a', image: 'nginx@sha256:abcd' }],
    tolerations: [{ operator: 'Exists' }],
  }));
  assert.equal(obj.spec.containers[0].imagePullPolicy, 'IfNotPresent');
  assert.deepEqual(obj.spec.tolerations, [{ operator: 'Exists' }]);
});

test('create resets client-provided status; QoS classes', async () => {
  const best = await simulateCreate(pods, { ...pod({ containers: [{ name: 'a', image: 'x' }] }), status: { phase: 'Running' } });
  assert.deepEqual(best.obj.status, { phase: 'Pending', qosClass: 'BestEffort' });
  const guaranteed = await simulateCreate(pods, pod({ containers: [{ name: 'a', image: 'x', resources: { limits: { cpu: '1', memory: '1Gi' } } }] }));
  assert.equal(guaranteed.obj.status.qosClass, 'Guaranteed');
});

test('validation reports upstream field paths and messages', async () => {
  const { errors } = await simulateCreate(pods, pod({
    restartPolicy: 'Sometimes',
    containers: [
      { name: 'Web', image: '' },
      { name: 'dup', image: 'x', ports: [{ containerPort: 70000 }], volumeMounts: [{ name: 'missing', mountPath: '/d' }] },
      { name: 'dup', image: 'x', env: [{ name: 'A', value: 'x', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
    ],
  }));
  const text = fields(errors);
  assert.ok(text.some((t) => t.startsWith('spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label')));
  assert.ok(text.includes('spec.containers[0].image: Required value'));
  assert.ok(text.includes('spec.containers[1].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive'));
  assert.ok(text.includes('spec.containers[1].volumeMounts[0].name: Not found: "missing"'));
  assert.ok(text.includes('spec.containers[2].name: Duplicate value: "dup"'));
  assert.ok(text.includes('spec.containers[2].env[0].valueFrom: Invalid value: "": may not be specified when `value` is not empty'));
  assert.ok(text.includes('spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'));
});

test('containers are required; bad pod names are rejected', async () => {
  const { errors } = await simulateCreate(pods, pod({ containers: [] }, 'Bad_Name'));
  const text = fields(errors);
  assert.ok(text.includes('spec.containers: Required value'));
  assert.ok(text.some((t) => t.startsWith('metadata.name: Invalid value: "Bad_Name"')));
});

test('update keeps status and allows only image / deadline / toleration changes', async () => {
  const created = (await simulateCreate(pods, pod({
    containers: [{ name: 'a', image: 'nginx:1.7.9' }],
    tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
  }))).obj;
  created.status = { phase: 'Running', qosClass: 'BestEffort' };

  const next = structuredClone(created);
  next.spec.containers[0].image = 'nginx:1.9.1';
  next.spec.tolerations = [...next.spec.tolerations, { key: 'k', operator: 'Exists', effect: 'NoSchedule' }];
  next.status = { phase: 'Failed' };
  const ok = await simulateUpdate(pods, next, created);
  assert.deepEqual(ok.errors, []);
  assert.equal(ok.obj.status.phase, 'Running');

  const bad = structuredClone(created);
  bad.spec.containers[0].ports = [{ containerPort: 8080 }];
  const res = await simulateUpdate(pods, bad, created);
  assert.equal(res.errors.length, 1);
  assert.equal(res.errors[0]!.field, 'spec');
  assert.match(res.errors[0]!.message, /^Forbidden: pod updates may not change fields other than `spec.containers\[\*\].image`/);

  const removed = structuredClone(created);
  removed.spec.tolerations = [];
  assert.deepEqual(fields((await simulateUpdate(pods, removed, created)).errors), ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds']);
});

test('/status takes only the status', async () => {
  const created = (await simulateCreate(pods, pod({ containers: [{ name: 'a', image: 'x' }] }))).obj;
  const next = structuredClone(created);
  next.spec.containers[0].image = 'changed';
  next.metadata.labels = { hacked: 'yes' };
  next.status = { phase: 'Running', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }] };
  const res = await simulateUpdate(pods, next, created, undefined, 'status');
  assert.deepEqual(res.errors, []);
  assert.equal(res.obj.spec.containers[0].image, 'x');
  assert.deepEqual(res.obj.metadata.labels, { app: 'web' });
  assert.equal(res.obj.status.phase, 'Running');
});

test('ephemeral containers may not be set on create', async () => {
  await assert.rejects(simulateCreate(pods, pod({ containers: [{ name: 'a', image: 'x' }], ephemeralContainers: [{ name: 'dbg', image: 'busybox' }] })),
    (e: any) => e.status?.code === 422 && /spec.ephemeralContainers: Forbidden: cannot be set on create/.test(e.message));
});

test('graceful deletion periods', () => {
  const grace = pods.strategy.deletionGracePeriodSeconds!;
  assert.equal(grace({ metadata: {}, spec: { terminationGracePeriodSeconds: 30 } }, undefined), 0);
  assert.equal(grace({ metadata: {}, spec: { nodeName: 'n1', terminationGracePeriodSeconds: 30 } }, undefined), 30);
  assert.equal(grace({ metadata: {}, spec: { nodeName: 'n1' } }, 5), 5);
  assert.equal(grace({ metadata: {}, spec: { nodeName: 'n1' }, status: { phase: 'Succeeded' } }, 5), 0);
});

test('field selectors select unset fields as empty', () => {
  const sel = pods.fieldSelectors!;
  const p: KubeObject = { metadata: { name: 'x' }, spec: { restartPolicy: 'Always' }, status: { phase: 'Pending' } };
  assert.equal(sel['spec.nodeName']!(p), '');
  assert.equal(sel['status.phase']!(p), 'Pending');
  assert.equal(sel['spec.restartPolicy']!(p), 'Always');
  assert.equal(sel['status.podIP']!({ ...p, status: { podIPs: [{ ip: '10.0.0.1' }] } }), '10.0.0.1');
});
