import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaRegistry } from '../openapi/schema-registry.js';
import { checkFieldValidation, parseFieldValidation, strictIssueMessages } from './field-validation.js';
import { definitions, deploymentDef } from './test-schemas.js';

const registry = createSchemaRegistry(definitions);

// The body upstream's field validation integration test sends (facts: paths and order).
const invalidBody = `{
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "dupename",
    "name": "dupename",
    "unknownMeta": "metaVal",
    "labels": {"app": "nginx"}
  },
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {"containers": [{
        "name": "nginx",
        "image": "nginx:latest",
        "unknownNested": "val1",
        "imagePullPolicy": "Always",
        "imagePullPolicy": "Never"
      }]}
    }
  }
}`;

const expectedIssues = [
  'duplicate field "metadata.name"',
  'unknown field "metadata.unknownMeta"',
  'unknown field "spec.unknown1"',
  'unknown field "spec.unknownDupe"',
  'duplicate field "spec.paused"',
  'unknown field "spec.template.spec.containers[0].unknownNested"',
  'duplicate field "spec.template.spec.containers[0].imagePullPolicy"',
];

const run = (mode: 'Strict' | 'Warn' | 'Ignore', raw = invalidBody) => checkFieldValidation({
  obj: JSON.parse(raw), rawJson: raw, schema: deploymentDef.schema, resolveRef: registry.resolve,
  mode, kind: 'Deployment', version: 'v1',
});

test('Strict: one 400 listing unknown and duplicate fields in document order', () => {
  const out = run('Strict');
  assert.ok(out.error);
  assert.equal(out.error.httpCode, 400);
  assert.equal(out.error.reason, 'BadRequest');
  assert.equal(out.error.status.message,
    `Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: ${expectedIssues.join(', ')}`);
  assert.deepEqual(out.warnings, []);
});

test('Warn: one warning per issue, no error', () => {
  const out = run('Warn');
  assert.equal(out.error, undefined);
  assert.deepEqual(out.warnings, expectedIssues);
});

test('Ignore: nothing', () => {
  assert.deepEqual(run('Ignore'), { warnings: [], valueErrors: [] });
});

test('type errors are a 400 in every mode, first error only, with the decoder sentence', () => {
  const raw = '{"spec":{"replicas":"3","paused":"no","foo":1}}';
  for (const mode of ['Strict', 'Warn', 'Ignore'] as const) {
    const out = run(mode, raw);
    assert.equal(out.error?.httpCode, 400);
    assert.equal(out.error?.status.message,
      'Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32');
  }
});

test('a clean body passes in Strict mode; enum violations come back as value errors', () => {
  const raw = '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"a","imagePullPolicy":"Sometimes"}]}}}}';
  const out = run('Strict', raw);
  assert.equal(out.error, undefined);
  assert.deepEqual(out.warnings, []);
  assert.deepEqual(out.valueErrors.map((e) => e.field), ['spec.template.spec.containers[0].imagePullPolicy']);
});

test('without raw JSON (e.g. a YAML body) only unknown fields are reported', () => {
  const out = checkFieldValidation({
    obj: JSON.parse(invalidBody), schema: deploymentDef.schema, resolveRef: registry.resolve,
    mode: 'Warn', kind: 'Deployment', version: 'v1',
  });
  assert.deepEqual(out.warnings, expectedIssues.filter((i) => i.startsWith('unknown')));
});

test('nothing below an unknown field is reported, not even duplicates', () => {
  assert.deepEqual(strictIssueMessages([
    { path: 'spec.x', duplicate: false }, { path: 'spec.x.a', duplicate: false }, { path: 'spec.x.a', duplicate: true },
    { path: 'spec.xy', duplicate: false }, { path: 'spec.xy', duplicate: true },
  ], ['spec.x']), ['unknown field "spec.x"', 'duplicate field "spec.xy"']);
});

test('parseFieldValidation: default Warn, exact values, unsupported values', () => {
  assert.deepEqual(parseFieldValidation(undefined), { mode: 'Warn' });
  assert.deepEqual(parseFieldValidation(''), { mode: 'Warn' });
  assert.deepEqual(parseFieldValidation('Strict'), { mode: 'Strict' });
  assert.deepEqual(parseFieldValidation('Ignore'), { mode: 'Ignore' });
  const bad = parseFieldValidation('strict');
  assert.equal(bad.mode, 'Warn');
  assert.deepEqual(bad.error, {
    field: 'fieldValidation', reason: 'FieldValueNotSupported',
    message: 'Unsupported value: "strict": supported values: "Ignore", "Strict", "Warn"',
  });
});
