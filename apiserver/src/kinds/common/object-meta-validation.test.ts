import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nameIsDNSLabel, validateObjectMeta, validateObjectMetaUpdate } from './object-meta-validation.js';

const text = (errs: Array<{ field: string; message: string }>): string[] => errs.map((e) => `${e.field}: ${e.message}`);

test('names, namespaces, labels, annotations, finalizers', () => {
  const errs = text(validateObjectMeta({
    metadata: {
      name: 'Bad_Name', namespace: 'default',
      labels: { app: 'bad value' },
      annotations: { 'a/b/c': 'x' },
      finalizers: ['custom'],
    },
  }, true));
  assert.ok(errs.some((e) => e.startsWith('metadata.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain')));
  assert.ok(errs.some((e) => e.startsWith('metadata.labels: Invalid value: "bad value": a valid label must be')));
  assert.ok(errs.some((e) => e.startsWith('metadata.annotations: Invalid value: "a/b/c": a qualified name')));
  assert.ok(errs.includes('metadata.finalizers: Invalid value: "custom": name is neither a standard finalizer name nor is it fully qualified'));
});

test('required name, namespace; forbidden namespace on cluster-scoped kinds', () => {
  assert.deepEqual(text(validateObjectMeta({ metadata: {} }, true)), [
    'metadata.name: Required value: name or generateName is required',
    'metadata.namespace: Required value',
  ]);
  assert.deepEqual(text(validateObjectMeta({ metadata: { name: 'n1', namespace: 'x' } }, false)), ['metadata.namespace: Forbidden: not allowed on this type']);
  assert.deepEqual(text(validateObjectMeta({ metadata: { name: 'dev', generateName: 'dev-' } }, false, nameIsDNSLabel)), []);
});

test('annotations may total at most 256 KiB', () => {
  const errs = text(validateObjectMeta({ metadata: { name: 'x', namespace: 'd', annotations: { big: 'x'.repeat(262145) } } }, true));
  assert.deepEqual(errs, ['metadata.annotations: Too long: must have at most 262144 bytes']);
});

test('identity fields are immutable', () => {
  const errs = text(validateObjectMetaUpdate({ metadata: { name: 'b', uid: 'u2' } }, { metadata: { name: 'a', uid: 'u1' } }));
  assert.deepEqual(errs, ['metadata.name: Invalid value: "b": field is immutable', 'metadata.uid: Invalid value: "u2": field is immutable']);
});
