import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchemaRegistry } from './schema-registry.js';
import { OBJECT_META } from './meta-schemas.js';

test('resolves full names, #/components/schemas/ refs and unique short names', () => {
  const container = { type: 'object' as const, properties: { name: { type: 'string' as const } } };
  const r = createSchemaRegistry({ 'io.k8s.api.core.v1.Container': container });
  assert.equal(r.resolve('io.k8s.api.core.v1.Container'), container);
  assert.equal(r.resolve('#/components/schemas/io.k8s.api.core.v1.Container'), container);
  assert.equal(r.resolve('Container'), container);
  assert.equal(r.resolve('#/components/schemas/Container'), container);
  assert.equal(r.canonicalName('ObjectMeta'), OBJECT_META);
  assert.ok(r.resolve('ObjectMeta')?.properties?.['labels']);
  assert.equal(r.resolve('Nope'), undefined);
});

test('ambiguous short names do not resolve; exact names win over suffixes', () => {
  const a = { type: 'string' as const };
  const b = { type: 'integer' as const };
  const r = createSchemaRegistry({ 'io.k8s.api.a.v1.Thing': a, 'io.k8s.api.b.v1.Thing': b });
  assert.equal(r.resolve('Thing'), undefined);
  const exact = { type: 'boolean' as const };
  const r2 = createSchemaRegistry({ 'io.k8s.api.a.v1.Thing': a, Thing: exact });
  assert.equal(r2.resolve('Thing'), exact);
});

test('a caller definition replaces a built-in one; built-ins can be left out', () => {
  const mine = { type: 'object' as const, 'x-kubernetes-preserve-unknown-fields': true };
  assert.equal(createSchemaRegistry({ [OBJECT_META]: mine }).resolve('ObjectMeta'), mine);
  const bare = createSchemaRegistry({}, { builtins: false });
  assert.deepEqual(bare.names(), []);
  assert.equal(bare.resolve('ObjectMeta'), undefined);
});
