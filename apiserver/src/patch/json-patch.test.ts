import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isStatusError } from '@k8ts/shared';
import { applyJsonPatch, parseJsonPatch, MAX_JSON_PATCH_OPERATIONS } from './json-patch.js';
import { deepFreeze } from './test-schemas.js';

function rejects(fn: () => unknown, code: number, msg?: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(isStatusError(e), `expected a StatusError, got ${String(e)}`);
    assert.equal(e.httpCode, code, e.message);
    if (msg) assert.match(e.message, msg);
    return true;
  });
}

const doc = () => deepFreeze({
  metadata: { name: 'web', labels: { app: 'web' }, annotations: { 'a/b': '1', 'c~d': '2' } },
  spec: { replicas: 1, list: ['a', 'b', 'c'], containers: [{ name: 'web', image: 'nginx:1.24' }] },
});

test('add: object member, array insert, array append with -, new nested key', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'add', path: '/metadata/labels/tier', value: 'fe' },
    { op: 'add', path: '/spec/list/1', value: 'x' },
    { op: 'add', path: '/spec/list/-', value: 'z' },
    { op: 'add', path: '/spec/list/5', value: 'end' }, // index == length is allowed
    { op: 'add', path: '/spec/replicas', value: 3 }, // add on existing member replaces
  ]) as any;
  assert.deepEqual(out.metadata.labels, { app: 'web', tier: 'fe' });
  assert.deepEqual(out.spec.list, ['a', 'x', 'b', 'c', 'z', 'end']);
  assert.equal(out.spec.replicas, 3);
});

test('remove and replace, with ~0 / ~1 escaping', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'remove', path: '/metadata/annotations/a~1b' },
    { op: 'replace', path: '/metadata/annotations/c~0d', value: 'changed' },
    { op: 'remove', path: '/spec/list/0' },
    { op: 'replace', path: '/spec/containers/0/image', value: 'nginx:1.25' },
  ]) as any;
  assert.deepEqual(out.metadata.annotations, { 'c~d': 'changed' });
  assert.deepEqual(out.spec.list, ['b', 'c']);
  assert.equal(out.spec.containers[0].image, 'nginx:1.25');
});

test('move and copy', () => {
  const out = applyJsonPatch(doc(), [
    { op: 'copy', from: '/metadata/labels', path: '/spec/selector' },
    { op: 'move', from: '/spec/list/0', path: '/spec/list/-' },
    { op: 'move', from: '/metadata/annotations', path: '/metadata/notes' },
  ]) as any;
  assert.deepEqual(out.spec.selector, { app: 'web' });
  assert.notEqual(out.spec.selector, out.metadata.labels); // a copy, not a shared object
  assert.deepEqual(out.spec.list, ['b', 'c', 'a']);
  assert.equal(out.metadata.annotations, undefined);
  assert.deepEqual(out.metadata.notes, { 'a/b': '1', 'c~d': '2' });
});

test('test passes on deep equality regardless of key order; value null is a value', () => {
  const out = applyJsonPatch({ a: { x: 1, y: [1, { z: null }] }, n: null }, [
    { op: 'test', path: '/a', value: { y: [1, { z: null }], x: 1 } },
    { op: 'test', path: '/n', value: null },
    { op: 'add', path: '/b', value: null },
  ]);
  assert.deepEqual(out, { a: { x: 1, y: [1, { z: null }] }, n: null, b: null });
});

test('whole-document add / replace', () => {
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'replace', path: '', value: { b: 2 } }]), { b: 2 });
  assert.deepEqual(applyJsonPatch({ a: 1 }, [{ op: 'add', path: '', value: { c: 3 } }]), { c: 3 });
});

test('kubectl rollout undo: replace /spec/template and /metadata/annotations', () => {
  const live = deepFreeze({
    metadata: { name: 'web', annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: {
      replicas: 2,
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': 'x' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.25' }] } },
    },
  });
  const oldTemplate = { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.24' }] } };
  const patch = [
    { op: 'replace', path: '/spec/template', value: oldTemplate },
    { op: 'replace', path: '/metadata/annotations', value: { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'v1' } },
  ];
  const out = applyJsonPatch(live, patch) as any;
  assert.deepEqual(out.spec.template, oldTemplate);
  assert.notEqual(out.spec.template, oldTemplate); // not shared with the patch
  assert.equal(out.spec.replicas, 2);
  assert.deepEqual(out.metadata.annotations, { 'deployment.kubernetes.io/revision': '1', 'kubernetes.io/change-cause': 'v1' });
  assert.equal(live.spec.template.spec.containers[0]!.image, 'nginx:1.25');
});

test('the input document and patch are never mutated; nothing is applied on failure', () => {
  const live = doc();
  const patch = deepFreeze([{ op: 'add', path: '/spec/list/-', value: { deep: ['v'] } }]);
  const out = applyJsonPatch(live, patch) as any;
  out.spec.list[3].deep.push('w');
  assert.deepEqual(patch[0]!.value, { deep: ['v'] });
  const before = JSON.stringify(live);
  rejects(() => applyJsonPatch(live, [{ op: 'remove', path: '/spec/list/0' }, { op: 'test', path: '/spec/replicas', value: 9 }]), 422);
  assert.equal(JSON.stringify(live), before);
});

test('keys such as __proto__ are data', () => {
  const out = applyJsonPatch({}, JSON.parse('[{"op":"add","path":"/__proto__","value":{"polluted":true}}]')) as any;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.deepEqual(Object.keys(out), ['__proto__']);
  assert.equal(({} as any).polluted, undefined);
});

test('422 Invalid: failed test, missing paths, bad indices, move into a child, remove root', () => {
  rejects(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/replicas', value: 2 }]), 422, /spec\/replicas/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'test', path: '/spec/nope', value: 2 }]), 422, /does not exist/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/nope', value: 2 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/metadata/labels/nope' }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/missing/child', value: 1 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/list/9', value: 1 }]), 422, /out of range/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/list/01', value: 1 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/list/-1', value: 1 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/spec/list/3' }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/spec/list/-', value: 1 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/spec/replicas/x', value: 1 }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'move', from: '/spec', path: '/spec/inner' }]), 422, /own child/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'copy', from: '/nope', path: '/x' }]), 422);
  rejects(() => applyJsonPatch(doc(), [{ op: 'remove', path: '' }]), 422);
});

test('400 BadRequest: malformed patch documents', () => {
  rejects(() => applyJsonPatch(doc(), { op: 'add', path: '/a', value: 1 }), 400, /array/);
  rejects(() => applyJsonPatch(doc(), ['add']), 400);
  rejects(() => applyJsonPatch(doc(), [{ op: 'merge', path: '/a', value: 1 }]), 400, /unsupported op/);
  rejects(() => applyJsonPatch(doc(), [{ path: '/a', value: 1 }]), 400);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a' }]), 400, /value/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', value: 1 }]), 400, /path/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: 'a', value: 1 }]), 400, /JSON pointer/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a~2', value: 1 }]), 400, /JSON pointer/);
  rejects(() => applyJsonPatch(doc(), [{ op: 'move', path: '/a' }]), 400, /from/);
});

test('too many operations is 413', () => {
  const ops = Array.from({ length: MAX_JSON_PATCH_OPERATIONS + 1 }, () => ({ op: 'test', path: '', value: {} }));
  rejects(() => parseJsonPatch(ops), 413);
});
