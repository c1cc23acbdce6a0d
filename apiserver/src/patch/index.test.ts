import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '@k8ts/shared';
import { applyPatch, parsePatchBody, patchTypeFromContentType } from './index.js';
import { deepFreeze, deploymentSchema, resolveRef } from './test-schemas.js';

function rejects(fn: () => unknown, code: number, reason?: string): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.httpCode, code, e.message);
    if (reason) assert.equal(e.reason, reason);
    return true;
  });
}

test('patch type from Content-Type', () => {
  assert.equal(patchTypeFromContentType('application/json-patch+json'), 'json');
  assert.equal(patchTypeFromContentType('application/merge-patch+json'), 'merge');
  assert.equal(patchTypeFromContentType('application/strategic-merge-patch+json'), 'strategic');
  assert.equal(patchTypeFromContentType('Application/Strategic-Merge-Patch+JSON; charset=utf-8'), 'strategic');
  assert.equal(patchTypeFromContentType(' application/merge-patch+json ;charset=UTF-8'), 'merge');
});

test('server-side apply and unknown media types are 415', () => {
  rejects(() => patchTypeFromContentType('application/apply-patch+yaml'), 415, 'UnsupportedMediaType');
  rejects(() => patchTypeFromContentType('application/json'), 415, 'UnsupportedMediaType');
  rejects(() => patchTypeFromContentType('application/yaml'), 415);
  rejects(() => patchTypeFromContentType(''), 415);
  rejects(() => patchTypeFromContentType(undefined), 415);
  rejects(() => patchTypeFromContentType('toString'), 415);
});

test('raw bodies are parsed; invalid JSON is 400', () => {
  assert.deepEqual(parsePatchBody('{"a":1}'), { a: 1 });
  assert.deepEqual(parsePatchBody(Buffer.from('[1]')), [1]);
  assert.deepEqual(parsePatchBody(new TextEncoder().encode('{"b":2}')), { b: 2 });
  assert.deepEqual(parsePatchBody({ c: 3 }), { c: 3 });
  rejects(() => parsePatchBody('{nope'), 400, 'BadRequest');
});

const live = () => deepFreeze({
  apiVersion: 'apps/v1', kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web', old: 'x' }, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas: 1, template: { spec: { containers: [{ name: 'web', image: 'nginx:1.24' }, { name: 'side', image: 'b' }] } } },
});

test('applyPatch: each flavour end to end', () => {
  const j = applyPatch('json', live(), '[{"op":"replace","path":"/spec/replicas","value":3}]') as any;
  assert.equal(j.spec.replicas, 3);
  const m = applyPatch('merge', live(), Buffer.from('{"metadata":{"labels":{"old":null}}}')) as any;
  assert.deepEqual(m.metadata.labels, { app: 'web' });
  // a merge patch replaces lists wholesale...
  const ml = applyPatch('merge', live(), { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } } } }) as any;
  assert.deepEqual(ml.spec.template.spec.containers, [{ name: 'web', image: 'nginx:1.25' }]);
  // ...a strategic patch merges them by key
  const s = applyPatch('strategic', live(), '{"spec":{"template":{"spec":{"containers":[{"name":"web","image":"nginx:1.25"}]}}}}', deploymentSchema, resolveRef) as any;
  assert.deepEqual(s.spec.template.spec.containers, [{ name: 'web', image: 'nginx:1.25' }, { name: 'side', image: 'b' }]);
});

test('applyPatch: errors', () => {
  rejects(() => applyPatch('merge', live(), '[]'), 400, 'BadRequest');
  rejects(() => applyPatch('merge', live(), 'null'), 400);
  rejects(() => applyPatch('strategic', live(), '"x"', deploymentSchema, resolveRef), 400);
  rejects(() => applyPatch('json', live(), '{"op":"add"}'), 400, 'BadRequest');
  rejects(() => applyPatch('json', live(), '[{"op":"test","path":"/spec/replicas","value":5}]'), 422, 'Invalid');
  rejects(() => applyPatch('json', live(), '[{"op":"replace","path":"","value":[1]}]'), 422, 'Invalid');
  rejects(() => applyPatch('strategic', live(), '{"spec":{"$bogus":1}}', deploymentSchema, resolveRef), 400, 'BadRequest');
});
