import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaRegistry } from '../openapi/schema-registry.js';
import { validateAgainstSchema } from './schema-validate.js';
import { definitions, deploymentDef, podDef, widgetDef } from './test-schemas.js';
import { deepFreeze } from '../patch/test-schemas.js';

const registry = createSchemaRegistry(definitions);
const check = (obj: unknown, schema = podDef.schema, mode: 'Strict' | 'Warn' | 'Ignore' = 'Strict') =>
  validateAgainstSchema(deepFreeze(obj), schema, registry.resolve, { mode, rootName: 'Pod' });

const pod = () => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default', labels: { app: 'web' }, creationTimestamp: null, ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u1', controller: true }] },
  spec: {
    containers: [
      { name: 'a', image: 'nginx', imagePullPolicy: 'Always', ports: [{ containerPort: 80, protocol: 'TCP' }], resources: { limits: { cpu: '100m', memory: '1Gi' }, requests: { cpu: 0.5 } } },
      { name: 'b', image: 'busybox', args: ['sleep', '1'], env: [{ name: 'X', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } }] },
    ],
    restartPolicy: 'Always',
    nodeSelector: { 'kubernetes.io/os': 'linux' },
  },
  status: { phase: 'Running', startTime: '2024-05-01T10:00:00Z' },
});

test('a valid pod has no errors and no unknown fields', () => {
  assert.deepEqual(check(pod()), { typeErrors: [], valueErrors: [], unknownFields: [] });
});

test('unknown fields are reported at every depth, in document order, without a leading dot', () => {
  const p: any = pod();
  p.foo = 1;
  p.metadata.bogus = 'x';
  p.spec.foo = true;
  p.spec.containers[0].foo = 'x';
  p.spec.containers[1].env[0].bar = 'y';
  p.spec.containers[0].ports[0].hostIPx = '1.2.3.4';
  p.status.nope = 1;
  const r = check(p);
  assert.deepEqual(r.unknownFields, [
    'metadata.bogus',
    'spec.containers[0].ports[0].hostIPx',
    'spec.containers[0].foo',
    'spec.containers[1].env[0].bar',
    'spec.foo',
    'status.nope',
    'foo',
  ]);
  assert.deepEqual(r.typeErrors, []);
});

test('Ignore mode collects no unknown fields but still reports type errors', () => {
  const p: any = pod();
  p.spec.foo = 1;
  p.spec.priority = 'high';
  const r = check(p, podDef.schema, 'Ignore');
  assert.deepEqual(r.unknownFields, []);
  assert.equal(r.typeErrors.length, 1);
});

test('preserve-unknown-fields, additionalProperties: true and free-form objects accept anything below', () => {
  const w = {
    apiVersion: 'example.k8ts.dev/v1alpha1', kind: 'Widget', metadata: { name: 'w', whatever: 1 },
    spec: {
      extra: { deep: { deeper: [1, { x: 2 }] } },
      labelsLike: { a: { b: 1 } },
      anything: { q: 1 },
      known: { a: 'x', b: 'unlisted but preserved' },
      parts: { left: { count: 1 }, right: { count: 2, colour: 'red' } },
    },
  };
  const r = validateAgainstSchema(w, widgetDef.schema, registry.resolve);
  // metadata is not described by this schema: allowed as-is. parts is a map of described objects.
  assert.deepEqual(r.unknownFields, ['spec.parts.right.colour']);
  assert.deepEqual(r.typeErrors, []);
});

test('top-level apiVersion, kind and metadata are always allowed', () => {
  const r = validateAgainstSchema({ apiVersion: 'v1', kind: 'X', metadata: { a: 1 }, spec: {} },
    { type: 'object', properties: { spec: { type: 'object', properties: {} } } }, registry.resolve);
  assert.deepEqual(r, { typeErrors: [], valueErrors: [], unknownFields: [] });
});

test('wrong JSON types give a field path, a CRD-style message and a Go decoder message', () => {
  const d = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' }, spec: { replicas: '3', paused: 'yes' } };
  const r = validateAgainstSchema(d, deploymentDef.schema, registry.resolve, { rootName: 'Deployment' });
  assert.equal(r.typeErrors.length, 2);
  const [replicas, paused] = r.typeErrors;
  assert.equal(replicas!.field, 'spec.replicas');
  assert.equal(replicas!.reason, 'FieldValueTypeInvalid');
  assert.equal(replicas!.message, 'Invalid value: "string": spec.replicas in body must be of type integer: "string"');
  assert.equal(replicas!.decodeMessage, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.equal(paused!.decodeMessage, 'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.paused of type bool');
});

test('type errors inside arrays of objects and maps name the element', () => {
  const p: any = pod();
  p.spec.containers[1].image = 5;
  p.spec.containers[0].args = 'not-a-list';
  p.metadata.labels.app = 7;
  const r = check(p);
  assert.deepEqual(r.typeErrors.map((e) => e.field), ['metadata.labels[app]', 'spec.containers[0].args', 'spec.containers[1].image']);
  assert.equal(r.typeErrors[0]!.decodeMessage, 'json: cannot unmarshal number 7 into Go struct field ObjectMeta.metadata.labels.app of type string');
  assert.equal(r.typeErrors[1]!.decodeMessage, 'json: cannot unmarshal string into Go struct field Container.spec.containers[0].args of type []string');
  assert.equal(r.typeErrors[2]!.message, 'Invalid value: "integer": spec.containers[1].image in body must be of type string: "integer"');
});

test('an object where a list is expected, and a list where an object is expected', () => {
  const p: any = pod();
  p.spec.containers = { name: 'a' };
  p.status = [];
  const r = check(p);
  assert.deepEqual(r.typeErrors.map((e) => [e.field, e.decodeMessage]), [
    ['spec.containers', 'json: cannot unmarshal object into Go struct field PodSpec.spec.containers of type []v1.Container'],
    ['status', 'json: cannot unmarshal array into Go struct field Pod.status of type v1.PodStatus'],
  ]);
});

test('int-or-string accepts integers and strings only', () => {
  const dep = (maxSurge: unknown, maxUnavailable: unknown) => ({ spec: { strategy: { rollingUpdate: { maxSurge, maxUnavailable } } } });
  assert.deepEqual(validateAgainstSchema(dep('25%', 1), deploymentDef.schema, registry.resolve).typeErrors, []);
  assert.deepEqual(validateAgainstSchema(dep(2, 'x'), deploymentDef.schema, registry.resolve).typeErrors, []);
  const bad = validateAgainstSchema(dep(true, 1.5), deploymentDef.schema, registry.resolve).typeErrors;
  assert.deepEqual(bad.map((e) => e.field), ['spec.strategy.rollingUpdate.maxSurge', 'spec.strategy.rollingUpdate.maxUnavailable']);
  assert.match(bad[0]!.message, /must be of type integer,string: "boolean"/);
  assert.match(bad[0]!.decodeMessage, /of type intstr\.IntOrString$/);
  assert.match(bad[1]!.decodeMessage, /cannot unmarshal number 1\.5 into/);
});

test('quantities: suffixed strings and numbers pass, malformed strings fail with upstream\'s pattern', () => {
  const withLimits = (limits: Record<string, unknown>) => ({ spec: { containers: [{ name: 'a', resources: { limits } }] } });
  const good = { a: '100m', b: '1Gi', c: '0.5', d: 2, e: '1e3', f: '128974848', g: '129M', h: '+1.5Ki', i: '.5', j: '5E' };
  assert.deepEqual(check(withLimits(good)).typeErrors, []);
  for (const v of ['abc', '1GB', '', '1.2.3', '10 m', 'm']) {
    const r = check(withLimits({ cpu: v }));
    assert.equal(r.typeErrors.length, 1, `expected ${JSON.stringify(v)} to be rejected`);
    assert.equal(r.typeErrors[0]!.field, 'spec.containers[0].resources.limits[cpu]');
    assert.match(r.typeErrors[0]!.decodeMessage, /^quantities must match the regular expression/);
  }
  assert.equal(check(withLimits({ cpu: true })).typeErrors.length, 1);
});

test('int32 and int64 ranges', () => {
  const r = validateAgainstSchema({ spec: { replicas: 3000000000 } }, deploymentDef.schema, registry.resolve, { rootName: 'Deployment' });
  assert.equal(r.typeErrors.length, 1);
  assert.equal(r.typeErrors[0]!.message, 'Invalid value: 3000000000: spec.replicas in body should be less than or equal to 2147483647');
  assert.equal(r.typeErrors[0]!.decodeMessage, 'json: cannot unmarshal number 3000000000 into Go struct field DeploymentSpec.spec.replicas of type int32');
  assert.deepEqual(check({ spec: { terminationGracePeriodSeconds: 3000000000 } }).typeErrors, []);
  assert.equal(check({ spec: { terminationGracePeriodSeconds: 1e20 } }).typeErrors.length, 1);
  assert.equal(check({ spec: { priority: -2147483649 } }).typeErrors.length, 1);
});

test('enum violations are value errors (422 Unsupported value), not type errors', () => {
  const p: any = pod();
  p.spec.restartPolicy = 'Sometimes';
  p.spec.containers[0].ports[0].protocol = 'HTTP';
  const r = check(p);
  assert.deepEqual(r.typeErrors, []);
  assert.deepEqual(r.valueErrors, [
    { field: 'spec.containers[0].ports[0].protocol', reason: 'FieldValueNotSupported', message: 'Unsupported value: "HTTP": supported values: "TCP", "UDP", "SCTP"' },
    { field: 'spec.restartPolicy', reason: 'FieldValueNotSupported', message: 'Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"' },
  ]);
});

test('null is accepted anywhere', () => {
  const p: any = pod();
  p.spec.containers[0].ports = null;
  p.spec.restartPolicy = null;
  p.metadata.labels = null;
  p.status = null;
  assert.deepEqual(check(p), { typeErrors: [], valueErrors: [], unknownFields: [] });
});

test('date-time and byte formats are checked', () => {
  const p: any = pod();
  p.metadata.creationTimestamp = 'yesterday';
  p.status.startTime = '2024-13-01T00:00:00Z';
  const r = check(p);
  assert.deepEqual(r.typeErrors.map((e) => e.field), ['metadata.creationTimestamp', 'status.startTime']);
  assert.match(r.typeErrors[0]!.decodeMessage, /^parsing time "yesterday"/);

  const w = (secretData: string) => validateAgainstSchema({ spec: { secretData } }, widgetDef.schema, registry.resolve).typeErrors;
  assert.deepEqual(w('aGVsbG8='), []);
  assert.deepEqual(w(''), []);
  assert.equal(w('not base64!').length, 1);
  assert.equal(w('aGVsbG8').length, 1);
});

test('an unresolvable $ref leaves the value undescribed', () => {
  const schema = { type: 'object' as const, properties: { spec: { $ref: 'Nope' } } };
  assert.deepEqual(validateAgainstSchema({ spec: { anything: [1] } }, schema, registry.resolve),
    { typeErrors: [], valueErrors: [], unknownFields: [] });
});

test('siblings of a $ref win over the referenced schema', () => {
  const schema = { type: 'object' as const, properties: { spec: { $ref: 'PodSpec', 'x-kubernetes-preserve-unknown-fields': true } } };
  assert.deepEqual(validateAgainstSchema({ spec: { unknown: 1, nodeName: 3 } }, schema, registry.resolve).unknownFields, []);
  assert.equal(validateAgainstSchema({ spec: { unknown: 1, nodeName: 3 } }, schema, registry.resolve).typeErrors.length, 1);
});
